package dev.zjvm.hal.mem;

import static dev.zjvm.hal.mem.GuestAddressSpace.PROT_EXEC;
import static dev.zjvm.hal.mem.GuestAddressSpace.PROT_READ;
import static dev.zjvm.hal.mem.GuestAddressSpace.PROT_WRITE;
import static dev.zjvm.hal.mem.PhysicalMemory.PAGE_SIZE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Host-level checks of guest mappings. Only addresses this test just mapped readable are ever
 * loaded from Java; everything else is checked through /proc/self/maps.
 */
@SuppressWarnings("restricted") // native memory access is what this class is for
final class NativeAddressSpaceTest {
    private static final long SPACE = 1L << 30;
    private MemfdPhysicalMemory memory;
    private GuestAddressReservation reservation;
    private NativeAddressSpace space;

    @BeforeEach
    void setUp() {
        memory = MemfdPhysicalMemory.create(1L << 32, Long.MAX_VALUE);
        reservation = GuestAddressReservation.create(4 * SPACE);
        space = reservation.carve(SPACE);
    }

    @AfterEach
    void tearDown() {
        reservation.close();
        memory.close();
    }

    private static MemorySegment at(long vaddr, long length) {
        return MemorySegment.ofAddress(vaddr).reinterpret(length);
    }

    private static ProcMaps.Entry entryAt(long vaddr) {
        List<ProcMaps.Entry> e = ProcMaps.within(vaddr, vaddr + 1);
        assertEquals(1, e.size(), e.toString());
        return e.get(0);
    }

    @Test
    void mappingShowsExtentContents() {
        MemoryExtent e = memory.allocate(8 * PAGE_SIZE);
        byte[] data = new byte[4 * PAGE_SIZE];
        new Random(11).nextBytes(data);
        e.write(2 * PAGE_SIZE, data, 0, data.length);
        long vaddr = space.base() + 16 * PAGE_SIZE;
        space.map(vaddr, e, 2 * PAGE_SIZE, 4 * PAGE_SIZE, PROT_READ);
        assertArrayEquals(data, at(vaddr, data.length).toArray(ValueLayout.JAVA_BYTE));
        assertTrue(space.isNative());
        ProcMaps.Entry entry = entryAt(vaddr);
        assertEquals("r--s", entry.perms());
        assertEquals(vaddr, entry.start());
        assertEquals(vaddr + 4 * PAGE_SIZE, entry.end());
    }

    @Test
    void writesThroughTheMappingReachTheExtent() {
        MemoryExtent e = memory.allocate(4 * PAGE_SIZE);
        long vaddr = space.base() + space.size() - 4 * PAGE_SIZE; // top of the slice
        space.map(vaddr, e, 0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE);
        at(vaddr, 4 * PAGE_SIZE).set(ValueLayout.JAVA_LONG, 3L * PAGE_SIZE + 16, 0xCAFEBABE12345678L);
        byte[] b = new byte[8];
        e.read(3L * PAGE_SIZE + 16, b, 0, 8);
        assertEquals(0xCAFEBABE12345678L, MemorySegment.ofArray(b).get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
        assertEquals(PAGE_SIZE, e.committedBytes(), "only the touched page is committed");
    }

    @Test
    void protectChangesHostPermissions() {
        MemoryExtent e = memory.allocate(8 * PAGE_SIZE);
        long vaddr = space.base();
        space.map(vaddr, e, 0, 8 * PAGE_SIZE, PROT_READ | PROT_WRITE);
        space.protect(vaddr + 2 * PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ);
        assertEquals("rw-s", entryAt(vaddr).perms());
        ProcMaps.Entry ro = entryAt(vaddr + 2 * PAGE_SIZE);
        assertEquals("r--s", ro.perms());
        assertEquals(vaddr + 2 * PAGE_SIZE, ro.start());
        assertEquals(vaddr + 4 * PAGE_SIZE, ro.end());
        space.protect(vaddr + 6 * PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ | PROT_EXEC);
        assertEquals("r-xs", entryAt(vaddr + 7 * PAGE_SIZE).perms());
        assertEquals(3 * PAGE_SIZE, at(vaddr, 8 * PAGE_SIZE).get(ValueLayout.JAVA_INT, 3 * PAGE_SIZE) + 3 * PAGE_SIZE);
        assertHostCountBounded();
    }

    @Test
    void protectOfUnmappedAddressesIsRefused() {
        MemoryExtent e = memory.allocate(4 * PAGE_SIZE);
        long vaddr = space.base() + 8 * PAGE_SIZE;
        space.map(vaddr, e, 0, 2 * PAGE_SIZE, PROT_READ);
        space.map(vaddr + 3 * PAGE_SIZE, e, 2 * PAGE_SIZE, PAGE_SIZE, PROT_READ);
        assertThrows(IllegalArgumentException.class, () -> space.protect(vaddr, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE));
        assertThrows(IllegalArgumentException.class, () -> space.protect(vaddr - PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ));
        assertEquals("---p", entryAt(vaddr + 2 * PAGE_SIZE).perms(), "the hole must stay inaccessible");
        assertEquals("r--s", entryAt(vaddr).perms(), "a refused protect changes nothing");
    }

    @Test
    void unmapLeavesTheReservation() {
        MemoryExtent e = memory.allocate(4 * PAGE_SIZE);
        long vaddr = space.base() + 64 * PAGE_SIZE;
        space.map(vaddr, e, 0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE);
        at(vaddr, 4 * PAGE_SIZE).set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
        space.unmap(vaddr + PAGE_SIZE, 2 * PAGE_SIZE);
        assertEquals("rw-s", entryAt(vaddr).perms());
        ProcMaps.Entry hole = entryAt(vaddr + PAGE_SIZE);
        assertEquals("---p", hole.perms());
        assertEquals("", hole.path(), "an anonymous reservation, not the memfd");
        assertEquals("rw-s", entryAt(vaddr + 3 * PAGE_SIZE).perms());
        assertHostCountBounded();
        space.unmap(space.base(), space.size());
        List<ProcMaps.Entry> all = ProcMaps.within(reservation.base(), reservation.base() + reservation.size());
        assertEquals(1, all.size(), "the whole reservation merged back into one host mapping: " + all);
        assertEquals(0, space.hostMappings());
        assertEquals(1, e.committedBytes() / PAGE_SIZE, "unmap does not free VMO pages");
    }

    @Test
    void decommitFreesMappedPages() {
        MemfdPhysicalMemory.Extent e = (MemfdPhysicalMemory.Extent) memory.allocate(256 * PAGE_SIZE);
        long vaddr = space.base();
        space.map(vaddr, e, 0, 256 * PAGE_SIZE, PROT_READ | PROT_WRITE);
        MemorySegment guest = at(vaddr, 256 * PAGE_SIZE);
        for (long p = 0; p < 256; p++) guest.set(ValueLayout.JAVA_LONG, p * PAGE_SIZE, p + 1);
        assertEquals(256L * PAGE_SIZE, e.committedBytes());
        long blocks = MemNative.allocatedBytes(memory.fd());
        e.decommit(0, 128L * PAGE_SIZE);
        assertEquals(128L * PAGE_SIZE, e.committedBytes());
        assertEquals(blocks - 128L * PAGE_SIZE, MemNative.allocatedBytes(memory.fd()));
        assertEquals(0L, guest.get(ValueLayout.JAVA_LONG, 5L * PAGE_SIZE), "decommitted pages read zero in the guest");
        assertEquals(201L, guest.get(ValueLayout.JAVA_LONG, 200L * PAGE_SIZE));
    }

    @Test
    void invalidArgumentsAreRefusedBeforeAnyHostCall() {
        MemoryExtent e = memory.allocate(4 * PAGE_SIZE);
        long b = space.base();
        assertThrows(IllegalArgumentException.class, () -> space.map(b + 1, e, 0, PAGE_SIZE, PROT_READ));
        assertThrows(IllegalArgumentException.class, () -> space.map(b, e, 0, 100, PROT_READ));
        assertThrows(IllegalArgumentException.class, () -> space.map(b, e, 0, 0, PROT_READ));
        assertThrows(IllegalArgumentException.class, () -> space.map(b - PAGE_SIZE, e, 0, PAGE_SIZE, PROT_READ));
        assertThrows(IllegalArgumentException.class, () -> space.map(b + space.size() - PAGE_SIZE, e, 0, 2 * PAGE_SIZE, PROT_READ));
        assertThrows(IllegalArgumentException.class, () -> space.map(b, e, 3 * PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ));
        assertThrows(IllegalArgumentException.class, () -> space.map(b, e, 1, PAGE_SIZE, PROT_READ));
        assertThrows(IllegalArgumentException.class, () -> space.map(b, e, 0, PAGE_SIZE, 8));
        assertThrows(IllegalArgumentException.class, () -> space.map(b, e, -PAGE_SIZE, PAGE_SIZE, PROT_READ));
        assertThrows(IllegalArgumentException.class, () -> space.map(Long.MAX_VALUE & -PAGE_SIZE, e, 0, PAGE_SIZE, PROT_READ));
        try (HeapPhysicalMemory heap = new HeapPhysicalMemory()) {
            assertThrows(IllegalArgumentException.class, () -> space.map(b, heap.allocate(PAGE_SIZE), 0, PAGE_SIZE, PROT_READ));
        }
        MemoryExtent closed = memory.allocate(PAGE_SIZE);
        closed.close();
        assertThrows(IllegalArgumentException.class, () -> space.map(b, closed, 0, PAGE_SIZE, PROT_READ));
        assertThrows(IllegalArgumentException.class, () -> space.unmap(b, space.size() + PAGE_SIZE));
        assertThrows(IllegalArgumentException.class, () -> space.protect(b, PAGE_SIZE, PROT_READ)); // nothing mapped
        assertEquals(0, space.regionCount());
        assertEquals(1, ProcMaps.within(reservation.base(), reservation.base() + reservation.size()).size());
    }

    @Test
    void mappingBudgetIsEnforcedWithAClearError() {
        try (GuestAddressReservation small = GuestAddressReservation.create(SPACE, 20)) {
            NativeAddressSpace s = small.carve(SPACE);
            MemoryExtent e = memory.allocate(PAGE_SIZE);
            int mapped = 0;
            MemoryLimitException refused = null;
            for (int i = 0; i < 100 && refused == null; i++) {
                try {
                    s.map(s.base() + (2L * i + 1) * PAGE_SIZE, e, 0, PAGE_SIZE, PROT_READ); // a gap around each
                    mapped++;
                } catch (MemoryLimitException ex) {
                    refused = ex;
                }
            }
            assertTrue(refused != null && refused.getMessage().contains("host mapping budget exhausted"), String.valueOf(refused));
            assertTrue(refused.getMessage().contains("vm.max_map_count"), refused.getMessage());
            assertEquals(9, mapped, "1 for the reservation + 2 per isolated mapping stays within 20");
            HostLimits limits = small.hostLimits();
            assertEquals(20, limits.mappingBudget());
            assertEquals(19, limits.mappingsInUse());
            List<ProcMaps.Entry> host = ProcMaps.within(small.base(), small.base() + small.size());
            assertEquals(19, host.size(), "the count is exact when nothing merges");
            s.unmap(s.base(), 4L * PAGE_SIZE);
            s.map(s.base() + 40L * PAGE_SIZE, e, 0, PAGE_SIZE, PROT_READ); // room again
            s.close();
            assertEquals(1, small.hostLimits().mappingsInUse());
        }
    }

    @Test
    void hostLimitsReportTheHost() {
        HostLimits l = reservation.hostLimits();
        assertEquals(ProcMaps.maxMapCount(), l.maxMapCount());
        assertTrue(l.mappingBudget() < l.maxMapCount() - l.processMappings() + 1, l.toString());
        assertTrue(l.openFilesSoftLimit() > 0);
        assertEquals(1, l.mappingsInUse());
    }

    @Test
    void closeReservesTheWholeSliceAgain() {
        MemoryExtent e = memory.allocate(16 * PAGE_SIZE);
        for (int i = 0; i < 8; i++) {
            space.map(space.base() + 3L * i * PAGE_SIZE, e, 2L * i * PAGE_SIZE, 2 * PAGE_SIZE, i % 2 == 0 ? PROT_READ : PROT_READ | PROT_WRITE);
        }
        assertHostCountBounded();
        space.close();
        space.close();
        List<ProcMaps.Entry> all = ProcMaps.within(reservation.base(), reservation.base() + reservation.size());
        assertEquals(1, all.size(), all.toString());
        assertEquals(1, reservation.hostLimits().mappingsInUse());
        assertThrows(IllegalStateException.class, () -> space.map(space.base(), e, 0, PAGE_SIZE, PROT_READ));
    }

    @Test
    void randomOperationsKeepTheCountExactAndBounding() {
        NativeAddressSpace below = space;
        NativeAddressSpace above = reservation.carve(SPACE); // adjacent: edges touch
        MemoryExtent e = memory.allocate(64 * PAGE_SIZE);
        Random rnd = new Random(1234);
        int[] prots = {PROT_READ, PROT_READ | PROT_WRITE, PROT_READ | PROT_EXEC, 0};
        for (int step = 0; step < 400; step++) {
            NativeAddressSpace s = rnd.nextBoolean() ? below : above;
            // Operate near the slice edges so mappings touch the neighbour slice.
            long page = rnd.nextBoolean() ? rnd.nextInt(48) : s.size() / PAGE_SIZE - 48 + rnd.nextInt(48);
            long pages = 1 + rnd.nextInt((int) Math.min(16, s.size() / PAGE_SIZE - page));
            long vaddr = s.base() + page * PAGE_SIZE;
            long length = pages * PAGE_SIZE;
            switch (rnd.nextInt(3)) {
                case 0 -> s.map(vaddr, e, rnd.nextInt(48) * (long) PAGE_SIZE, length, prots[rnd.nextInt(prots.length)]);
                case 1 -> {
                    try {
                        s.protect(vaddr, length, prots[rnd.nextInt(prots.length)]);
                    } catch (IllegalArgumentException partlyUnmapped) {
                        // expected for ranges with holes
                    }
                }
                default -> s.unmap(vaddr, length);
            }
            assertEquals(s.recountHostMappings(), s.hostMappings(), "incremental count at step " + step);
            if (step % 20 == 0) assertHostCountBounded();
        }
        assertHostCountBounded();
        above.close();
    }

    @Test
    void slicesWorkFromManyThreadsAndTheSharedCountAddsUp() throws Exception {
        MemoryExtent e = memory.allocate(8 * PAGE_SIZE);
        int threads = 4;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<Long>> results = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                NativeAddressSpace s = reservation.carve(64L << 20);
                int seed = t;
                results.add(pool.submit(() -> {
                    Random rnd = new Random(seed);
                    long sum = 0;
                    for (int i = 0; i < 200; i++) {
                        long vaddr = s.base() + (long) rnd.nextInt(256) * PAGE_SIZE;
                        s.map(vaddr, e, (long) rnd.nextInt(4) * PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE);
                        sum += at(vaddr, 2 * PAGE_SIZE).get(ValueLayout.JAVA_LONG, PAGE_SIZE);
                        if (rnd.nextBoolean()) s.unmap(vaddr, PAGE_SIZE);
                    }
                    assertEquals(s.recountHostMappings(), s.hostMappings());
                    s.close();
                    return sum;
                }));
            }
            for (var r : results) r.get(60, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, reservation.hostLimits().mappingsInUse(), "every slice gave its mappings back");
        List<ProcMaps.Entry> all = ProcMaps.within(reservation.base(), reservation.base() + reservation.size());
        assertHostCountBounded();
        assertTrue(all.stream().allMatch(x -> x.perms().equals("---p")), all.toString());
    }

    /** The HAL's count is an upper bound of the host's mappings in the reservation. */
    private void assertHostCountBounded() {
        long host = ProcMaps.within(reservation.base(), reservation.base() + reservation.size()).size();
        long counted = reservation.hostLimits().mappingsInUse();
        assertTrue(host <= counted, "host " + host + " > counted " + counted);
    }

    @Test
    void aMappedWindowReachesTheOwnersPages() {
        MemoryExtent owner = memory.allocateContiguous(4 * PAGE_SIZE, 1L << 16);
        MemoryExtent window = memory.window(owner.physicalAddress() + PAGE_SIZE, 2 * PAGE_SIZE);
        long vaddr = space.base() + 64 * PAGE_SIZE;
        space.map(vaddr, window, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE);
        byte[] data = new byte[64];
        new Random(5).nextBytes(data);
        owner.write(PAGE_SIZE + 8, data, 0, data.length);
        byte[] seen = new byte[64];
        MemorySegment.copy(at(vaddr + 8, 64), ValueLayout.JAVA_BYTE, 0, seen, 0, 64);
        assertArrayEquals(data, seen, "the guest mapping of the window shows the owner's write");
        at(vaddr + PAGE_SIZE, 8).set(ValueLayout.JAVA_LONG_UNALIGNED, 0, 0x1122334455667788L);
        byte[] back = new byte[8];
        owner.read(2 * PAGE_SIZE, back, 0, 8);
        assertEquals(0x1122334455667788L, java.nio.ByteBuffer.wrap(back).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong());
        space.unmap(vaddr, 2 * PAGE_SIZE);
        window.close();
        owner.close();
    }
}
