package dev.zjvm.hal.mem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

final class GuestAddressReservationTest {
    private static final long GIB = 1L << 30;

    @Test
    void placementAvoidsEveryPreexistingMapping() {
        List<ProcMaps.Entry> before = ProcMaps.read();
        try (GuestAddressReservation r = GuestAddressReservation.create(64 * GIB)) {
            long end = r.base() + r.size();
            for (ProcMaps.Entry e : before) {
                assertFalse(e.overlaps(r.base() - GuestAddressReservation.GUARD, end + GuestAddressReservation.GUARD),
                        "reservation overlaps or touches " + e);
            }
            assertTrue(r.base() >= GuestAddressReservation.FLOOR && end <= GuestAddressReservation.CEILING);
            List<ProcMaps.Entry> now = ProcMaps.within(r.base(), end);
            assertEquals(1, now.size(), now.toString());
            assertEquals(r.base(), now.get(0).start());
            assertEquals(end, now.get(0).end());
            assertEquals("---p", now.get(0).perms());
        }
    }

    @Test
    void closeGivesTheRangeBack() {
        GuestAddressReservation r = GuestAddressReservation.create(4 * GIB);
        long base = r.base();
        r.close();
        r.close();
        assertTrue(ProcMaps.within(base, base + 4 * GIB).isEmpty());
        assertThrows(IllegalStateException.class, () -> r.carve(1 << 20));
    }

    @Test
    void tooLargeIsAClearMemoryLimit() {
        MemoryLimitException e = assertThrows(MemoryLimitException.class,
                () -> GuestAddressReservation.create(GuestAddressReservation.CEILING));
        assertTrue(e.getMessage().contains("cannot reserve"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GuestAddressReservation.create(12345));
    }

    @Test
    void choosesTheHighestGuardedGap() {
        long ceiling = GuestAddressReservation.CEILING;
        var maps = List.of(
                new ProcMaps.Entry(0x1000, 0x2000, "r--p", ""),
                new ProcMaps.Entry(ceiling - 3 * GIB, ceiling - 2 * GIB, "rw-p", ""),
                new ProcMaps.Entry(ceiling + GIB, ceiling + 2 * GIB, "r-xp", "libc"));
        // Below the mapping at ceiling - 3 GiB, one guard away, aligned down.
        assertEquals(ceiling - 4 * GIB - 2 * GIB, GuestAddressReservation.choosePlacement(maps, 2 * GIB));
        // The gap above it (ceiling - 2 GiB .. ceiling) minus guards leaves nothing.
        var blocked = List.of(new ProcMaps.Entry(GuestAddressReservation.FLOOR, ceiling, "rw-p", ""));
        assertEquals(-1, GuestAddressReservation.choosePlacement(blocked, GIB));
    }

    @Test
    void slicesAreDisjointAndReused() {
        try (GuestAddressReservation r = GuestAddressReservation.create(16 * GIB)) {
            NativeAddressSpace a = r.carve(4 * GIB);
            NativeAddressSpace b = r.carve(8 * GIB);
            assertTrue(a.base() + a.size() <= b.base() || b.base() + b.size() <= a.base());
            assertTrue(a.base() >= r.base() && b.base() + b.size() <= r.base() + r.size());
            MemoryLimitException full = assertThrows(MemoryLimitException.class, () -> r.carve(8 * GIB));
            assertTrue(full.getMessage().contains("reservation full"), full.getMessage());
            long aBase = a.base();
            a.close();
            assertEquals(aBase, r.carve(4 * GIB).base());
            assertThrows(IllegalArgumentException.class, () -> r.carve(100));
        }
    }
}
