package dev.zjvm.hal.mem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

final class RangeAllocatorTest {
    @Test
    void firstFitAlignedAndCoalescing() {
        RangeAllocator r = new RangeAllocator(0x1000, 0x10000);
        long a = r.allocate(0x1000, 0x1000);
        long b = r.allocate(0x2000, 0x4000);
        assertEquals(0x1000, a);
        assertEquals(0x4000, b);
        long c = r.allocate(0x2000, 0x1000); // fits in the alignment gap [0x2000, 0x4000)
        assertEquals(0x2000, c);
        assertEquals(0x5000, r.allocatedBytes());
        r.release(b, 0x2000);
        r.release(a, 0x1000);
        r.release(c, 0x2000);
        assertEquals(1, r.freeFragments());
        assertEquals(0, r.allocatedBytes());
        assertEquals(0x1000, r.allocate(0x10000, 0x1000));
        assertEquals(-1, r.allocate(0x1000, 0x1000));
    }

    @Test
    void doubleReleaseIsRefused() {
        RangeAllocator r = new RangeAllocator(0, 0x10000);
        long a = r.allocate(0x2000, 0x1000);
        r.release(a, 0x2000);
        assertThrows(IllegalStateException.class, () -> r.release(a, 0x1000));
        assertThrows(IllegalArgumentException.class, () -> r.release(0x20000, 0x1000));
    }
}
