package dev.zjvm.hal.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HostRamTest {
    @Test
    void parsesMemTotalAndMemFreeInKib() {
        HostRam ram = HostRam.parse("MemTotal:       24590164 kB\nMemFree:         1000 kB\nMemAvailable:   2000 kB\n");
        assertEquals(24590164L * 1024, ram.totalBytes());
        assertEquals(1000L * 1024, ram.freeBytes());
        assertThrows(IllegalArgumentException.class, () -> HostRam.parse("Buffers: 1 kB\n"));
    }

    @Test
    void readsThisHost() {
        HostRam ram = HostRam.read();
        assertTrue(ram.totalBytes() > 0 && ram.freeBytes() <= ram.totalBytes(), ram.toString());
    }
}
