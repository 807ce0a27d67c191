package dev.zjvm.object.boot;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.boot.KernelOptions.SerialSyscalls;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelOptionsTest {
    @Test
    void defaultsAreThe2020Ones() {
        assertEquals(new KernelOptions(false, SerialSyscalls.DISABLED), KernelOptions.parse(List.of()));
        assertEquals(KernelOptions.DEFAULTS, KernelOptions.parse(List.of("userboot=bin/x", "kernel.other=true")));
    }

    @Test
    void debuggingIsACmdlineBool() {
        for (String on : List.of("", "true", "1", "yes", "anything")) {
            assertTrue(KernelOptions.parse(List.of("kernel.enable-debugging-syscalls=" + on)).debuggingSyscalls(), on);
        }
        for (String off : List.of("false", "0", "off")) {
            assertFalse(KernelOptions.parse(List.of("kernel.enable-debugging-syscalls=" + off)).debuggingSyscalls(), off);
        }
    }

    @Test
    void serialTakesOnlyItsTwoValuesAndTheLastWordWins() {
        assertEquals(SerialSyscalls.ENABLED, KernelOptions.parse(List.of("kernel.enable-serial-syscalls=true")).serialSyscalls());
        assertEquals(SerialSyscalls.OUTPUT_ONLY,
                KernelOptions.parse(List.of("kernel.enable-serial-syscalls=output-only")).serialSyscalls());
        for (String v : List.of("", "1", "on", "TRUE", "output")) {
            assertEquals(SerialSyscalls.DISABLED, KernelOptions.parse(List.of("kernel.enable-serial-syscalls=" + v)).serialSyscalls(), v);
        }
        KernelOptions o = KernelOptions.parse(List.of("kernel.enable-serial-syscalls=true", "kernel.enable-debugging-syscalls=",
                "kernel.enable-serial-syscalls=false"));
        assertEquals(new KernelOptions(true, SerialSyscalls.DISABLED), o);
        // with() keeps what the words do not mention
        assertEquals(new KernelOptions(true, SerialSyscalls.OUTPUT_ONLY),
                new KernelOptions(false, SerialSyscalls.OUTPUT_ONLY).with(List.of("kernel.enable-debugging-syscalls")));
        assertTrue(SerialSyscalls.OUTPUT_ONLY.allowsOutput());
        assertFalse(SerialSyscalls.OUTPUT_ONLY.allowsInput());
        assertTrue(SerialSyscalls.ENABLED.allowsInput());
        assertFalse(SerialSyscalls.DISABLED.allowsOutput());
    }

    @Test
    void perKernelServices() {
        try (Kernel a = Kernel.forTesting(1); Kernel b = Kernel.forTesting(2)) {
            KernelOptions on = new KernelOptions(true, SerialSyscalls.ENABLED);
            KernelOptions.install(a, on);
            assertSame(on, KernelOptions.of(a));
            assertEquals(KernelOptions.DEFAULTS, KernelOptions.of(b));
            assertThrows(IllegalStateException.class, () -> KernelOptions.install(b, on), "b already read its defaults");
            assertSame(BootItems.NONE, BootItems.of(a));
            assertTrue(BootItems.NONE.usableFramebuffer().isEmpty());
        }
    }
}
