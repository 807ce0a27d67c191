package dev.zjvm.hal.mem;

import static dev.zjvm.hal.mem.GuestAddressSpace.PROT_READ;
import static dev.zjvm.hal.mem.GuestAddressSpace.PROT_WRITE;
import static dev.zjvm.hal.mem.PhysicalMemory.PAGE_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

@SuppressWarnings("restricted") // native memory access is what this class is for
final class NativeMemoryTest {
    private static final long GIB = 1L << 30;

    @Test
    void twoKernelsLiveSideBySide() {
        try (NativeMemory a = NativeMemory.create(8 * GIB); NativeMemory b = NativeMemory.create(8 * GIB)) {
            GuestAddressReservation ra = a.reservation();
            GuestAddressReservation rb = b.reservation();
            assertTrue(ra.base() + ra.size() <= rb.base() || rb.base() + rb.size() <= ra.base(), "disjoint reservations");
            assertNotEquals(a.physicalMemory().fd(), b.physicalMemory().fd());
            NativeAddressSpace sa = a.newAddressSpace(GIB);
            NativeAddressSpace sb = b.newAddressSpace(GIB);
            MemoryExtent ea = a.physicalMemory().allocate(PAGE_SIZE);
            MemoryExtent eb = b.physicalMemory().allocate(PAGE_SIZE);
            sa.map(sa.base(), ea, 0, PAGE_SIZE, PROT_READ | PROT_WRITE);
            sb.map(sb.base(), eb, 0, PAGE_SIZE, PROT_READ | PROT_WRITE);
            MemorySegment.ofAddress(sa.base()).reinterpret(8).set(ValueLayout.JAVA_LONG, 0, 1);
            MemorySegment.ofAddress(sb.base()).reinterpret(8).set(ValueLayout.JAVA_LONG, 0, 2);
            byte[] buf = new byte[8];
            ea.read(0, buf, 0, 8);
            assertEquals(1L, MemorySegment.ofArray(buf).get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
            eb.read(0, buf, 0, 8);
            assertEquals(2L, MemorySegment.ofArray(buf).get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
            assertEquals(PAGE_SIZE, a.physicalMemory().committedBytes());
            assertEquals(3, a.hostLimits().mappingsInUse(), "the reservation plus one mapping at the bottom of a slice");
        }
    }

    @Test
    void closeUnmapsEverything() {
        NativeMemory m = NativeMemory.create(4 * GIB);
        long base = m.reservation().base();
        NativeAddressSpace s = m.newAddressSpace(GIB);
        s.map(s.base() + PAGE_SIZE, m.physicalMemory().allocate(2 * PAGE_SIZE), 0, 2 * PAGE_SIZE, PROT_READ);
        m.close();
        m.close();
        assertTrue(ProcMaps.within(base, base + 4 * GIB).isEmpty());
        assertEquals(0, s.hostMappings());
    }
}
