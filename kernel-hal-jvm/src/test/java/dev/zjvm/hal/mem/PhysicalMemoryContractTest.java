package dev.zjvm.hal.mem;

import static dev.zjvm.hal.mem.PhysicalMemory.PAGE_SIZE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Behaviour every {@link PhysicalMemory} must share; run against each implementation. */
abstract class PhysicalMemoryContractTest {
    private PhysicalMemory memory;

    /** A fresh store; {@code limitBytes} bounds what the kernel may commit. */
    abstract PhysicalMemory newMemory(long limitBytes);

    PhysicalMemory memory() {
        if (memory == null) memory = newMemory(Long.MAX_VALUE);
        return memory;
    }

    @AfterEach
    void closeMemory() {
        if (memory != null) memory.close();
    }

    private static byte[] pattern(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    @Test
    void freshExtentReadsZeroWithoutCommitting() {
        MemoryExtent e = memory().allocate(10 * PAGE_SIZE);
        byte[] buf = new byte[10 * PAGE_SIZE];
        Arrays.fill(buf, (byte) 7);
        e.read(0, buf, 0, buf.length);
        assertTrue(allZero(buf));
        assertEquals(0, e.committedBytes());
        assertEquals(0, memory().committedBytes());
    }

    @Test
    void capacityRoundsUpToPages() {
        assertEquals(PAGE_SIZE, memory().allocate(1).capacity());
        assertEquals(2 * PAGE_SIZE, memory().allocate(PAGE_SIZE + 1).capacity());
        assertEquals(0, memory().allocate(0).capacity());
        assertThrows(IllegalArgumentException.class, () -> memory().allocate(-1));
    }

    @Test
    void writeReadBackAndCommitPageGranular() {
        MemoryExtent e = memory().allocate(8 * PAGE_SIZE);
        byte[] data = pattern(100, 1);
        e.write(PAGE_SIZE - 50, data, 0, data.length); // straddles pages 0 and 1
        assertEquals(2L * PAGE_SIZE, e.committedBytes());
        assertEquals(2L * PAGE_SIZE, memory().committedBytes());
        byte[] back = new byte[100];
        e.read(PAGE_SIZE - 50, back, 0, 100);
        assertArrayEquals(data, back);
        byte[] around = new byte[3 * PAGE_SIZE];
        e.read(0, around, 0, around.length);
        assertArrayEquals(data, Arrays.copyOfRange(around, PAGE_SIZE - 50, PAGE_SIZE + 50));
        assertTrue(allZero(Arrays.copyOfRange(around, 0, PAGE_SIZE - 50)));
        assertTrue(allZero(Arrays.copyOfRange(around, PAGE_SIZE + 50, around.length)));
    }

    @Test
    void readAndWriteThroughNativeSegments() {
        MemoryExtent e = memory().allocate(4 * PAGE_SIZE);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocate(3 * PAGE_SIZE);
            for (long i = 0; i < src.byteSize(); i += 8) src.set(ValueLayout.JAVA_LONG_UNALIGNED, i, i * 31);
            e.write(PAGE_SIZE / 2, src, 8, 2 * PAGE_SIZE);
            MemorySegment dst = arena.allocate(3 * PAGE_SIZE);
            e.read(PAGE_SIZE / 2, dst, 16, 2 * PAGE_SIZE);
            assertEquals(-1, dst.asSlice(16, 2 * PAGE_SIZE).mismatch(src.asSlice(8, 2 * PAGE_SIZE)));
        }
    }

    @Test
    void outOfRangeIsAKernelBug() {
        MemoryExtent e = memory().allocate(2 * PAGE_SIZE);
        byte[] b = new byte[16];
        assertThrows(IndexOutOfBoundsException.class, () -> e.read(2 * PAGE_SIZE - 8, b, 0, 16));
        assertThrows(IndexOutOfBoundsException.class, () -> e.write(-1, b, 0, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> e.commit(PAGE_SIZE, 2 * PAGE_SIZE));
        assertThrows(IndexOutOfBoundsException.class, () -> e.decommit(2 * PAGE_SIZE, PAGE_SIZE));
        assertThrows(IndexOutOfBoundsException.class, () -> e.copyTo(0, memory().allocate(PAGE_SIZE), 0, 2 * PAGE_SIZE));
        assertThrows(IndexOutOfBoundsException.class, () -> e.read(0, b, 8, 16)); // destination too small
        assertEquals(0, e.committedBytes());
    }

    @Test
    void commitAllocatesZeroedPages() {
        MemoryExtent e = memory().allocate(16 * PAGE_SIZE);
        e.commit(PAGE_SIZE + 10, PAGE_SIZE); // covers pages 1 and 2
        assertEquals(2L * PAGE_SIZE, e.committedBytes());
        byte[] buf = new byte[16 * PAGE_SIZE];
        e.read(0, buf, 0, buf.length);
        assertTrue(allZero(buf));
        e.commit(0, 16 * PAGE_SIZE);
        assertEquals(16L * PAGE_SIZE, e.committedBytes());
        e.commit(0, 0);
        assertEquals(16L * PAGE_SIZE, e.committedBytes());
    }

    @Test
    void decommitFreesAndReadsZero() {
        MemoryExtent e = memory().allocate(8 * PAGE_SIZE);
        byte[] data = pattern(8 * PAGE_SIZE, 2);
        e.write(0, data, 0, data.length);
        assertEquals(8L * PAGE_SIZE, e.committedBytes());
        e.decommit(2 * PAGE_SIZE, 3 * PAGE_SIZE);
        assertEquals(5L * PAGE_SIZE, e.committedBytes());
        assertEquals(5L * PAGE_SIZE, memory().committedBytes());
        byte[] back = new byte[8 * PAGE_SIZE];
        e.read(0, back, 0, back.length);
        assertArrayEquals(Arrays.copyOfRange(data, 0, 2 * PAGE_SIZE), Arrays.copyOfRange(back, 0, 2 * PAGE_SIZE));
        assertTrue(allZero(Arrays.copyOfRange(back, 2 * PAGE_SIZE, 5 * PAGE_SIZE)));
        assertArrayEquals(Arrays.copyOfRange(data, 5 * PAGE_SIZE, data.length), Arrays.copyOfRange(back, 5 * PAGE_SIZE, back.length));
        assertThrows(IllegalArgumentException.class, () -> e.decommit(1, PAGE_SIZE));
        assertThrows(IllegalArgumentException.class, () -> e.decommit(0, PAGE_SIZE + 1));
        e.decommit(0, 8 * PAGE_SIZE);
        assertEquals(0, e.committedBytes());
    }

    @Test
    void chunkedReadsAfterDecommitSeeTheNewHoles() {
        int pages = 64;
        MemoryExtent e = memory().allocate((long) pages * PAGE_SIZE);
        byte[] data = pattern(pages * PAGE_SIZE, 12);
        e.write(0, data, 0, data.length);
        byte[] chunk = new byte[4 * PAGE_SIZE];
        for (int off = 0; off < data.length; off += chunk.length) {
            e.read(off, chunk, 0, chunk.length);
            assertArrayEquals(Arrays.copyOfRange(data, off, off + chunk.length), chunk);
        }
        e.decommit(10L * PAGE_SIZE, 2 * PAGE_SIZE);
        e.decommit(40L * PAGE_SIZE, PAGE_SIZE);
        byte[] back = new byte[data.length];
        for (int off = 0; off < data.length; off += chunk.length) e.read(off, back, off, chunk.length);
        byte[] expected = data.clone();
        Arrays.fill(expected, 10 * PAGE_SIZE, 12 * PAGE_SIZE, (byte) 0);
        Arrays.fill(expected, 40 * PAGE_SIZE, 41 * PAGE_SIZE, (byte) 0);
        assertArrayEquals(expected, back);
        assertEquals((pages - 3L) * PAGE_SIZE, e.committedBytes(), "reading the new holes must not commit them");
    }

    @Test
    void copyToCopiesDataAndKeepsHoles() {
        MemoryExtent src = memory().allocate(6 * PAGE_SIZE);
        MemoryExtent dst = memory().allocate(6 * PAGE_SIZE);
        byte[] a = pattern(PAGE_SIZE, 3);
        byte[] b = pattern(PAGE_SIZE, 4);
        src.write(0, a, 0, PAGE_SIZE);
        src.write(3 * PAGE_SIZE, b, 0, PAGE_SIZE); // pages 1, 2, 4, 5 are holes
        byte[] junk = pattern(6 * PAGE_SIZE, 5);
        dst.write(0, junk, 0, junk.length);
        src.copyTo(0, dst, 0, 6 * PAGE_SIZE);
        byte[] back = new byte[6 * PAGE_SIZE];
        dst.read(0, back, 0, back.length);
        assertArrayEquals(a, Arrays.copyOfRange(back, 0, PAGE_SIZE));
        assertTrue(allZero(Arrays.copyOfRange(back, PAGE_SIZE, 3 * PAGE_SIZE)));
        assertArrayEquals(b, Arrays.copyOfRange(back, 3 * PAGE_SIZE, 4 * PAGE_SIZE));
        assertTrue(allZero(Arrays.copyOfRange(back, 4 * PAGE_SIZE, 6 * PAGE_SIZE)));
        assertEquals(2L * PAGE_SIZE, dst.committedBytes(), "source holes stay holes");
        assertEquals(2L * PAGE_SIZE, src.committedBytes(), "copy must not commit the source");
    }

    @Test
    void copyToUnalignedRanges() {
        MemoryExtent src = memory().allocate(4 * PAGE_SIZE);
        MemoryExtent dst = memory().allocate(4 * PAGE_SIZE);
        byte[] data = pattern(2 * PAGE_SIZE, 6);
        src.write(100, data, 0, data.length);
        byte[] junk = pattern(4 * PAGE_SIZE, 7);
        dst.write(0, junk, 0, junk.length);
        // Source range [50, 50 + 3 pages) includes 50 zero bytes before the data and a hole tail.
        src.copyTo(50, dst, 300, 3 * PAGE_SIZE);
        byte[] back = new byte[4 * PAGE_SIZE];
        dst.read(0, back, 0, back.length);
        byte[] expected = junk.clone();
        byte[] srcAll = new byte[4 * PAGE_SIZE];
        src.read(0, srcAll, 0, srcAll.length);
        System.arraycopy(srcAll, 50, expected, 300, 3 * PAGE_SIZE);
        assertArrayEquals(expected, back);
    }

    @Test
    void extentsAreIndependent() {
        MemoryExtent e1 = memory().allocate(2 * PAGE_SIZE);
        MemoryExtent e2 = memory().allocate(2 * PAGE_SIZE);
        byte[] ones = new byte[2 * PAGE_SIZE];
        Arrays.fill(ones, (byte) 1);
        e1.write(0, ones, 0, ones.length);
        byte[] back = new byte[2 * PAGE_SIZE];
        e2.read(0, back, 0, back.length);
        assertTrue(allZero(back));
        assertEquals(0, e2.committedBytes());
        assertEquals(2L * PAGE_SIZE, memory().committedBytes());
    }

    @Test
    void closeFreesAndIsIdempotent() {
        MemoryExtent e = memory().allocate(4 * PAGE_SIZE);
        byte[] data = pattern(4 * PAGE_SIZE, 8);
        e.write(0, data, 0, data.length);
        assertEquals(4L * PAGE_SIZE, memory().committedBytes());
        e.close();
        e.close();
        assertEquals(0, memory().committedBytes());
        byte[] b = new byte[1];
        assertThrows(IllegalStateException.class, () -> e.read(0, b, 0, 1));
        assertThrows(IllegalStateException.class, () -> e.write(0, b, 0, 1));
        // Whatever range a new extent gets (possibly the freed one), it starts zero-filled.
        MemoryExtent next = memory().allocate(4 * PAGE_SIZE);
        byte[] back = new byte[4 * PAGE_SIZE];
        next.read(0, back, 0, back.length);
        assertTrue(allZero(back));
        assertEquals(0, next.committedBytes());
    }

    @Test
    void limitStopsKernelCommitsButNotOverwrites() {
        try (PhysicalMemory limited = newMemory(4L * PAGE_SIZE)) {
            MemoryExtent e = limited.allocate(8 * PAGE_SIZE);
            e.commit(0, 3 * PAGE_SIZE);
            byte[] page = pattern(PAGE_SIZE, 9);
            e.write(3 * PAGE_SIZE, page, 0, PAGE_SIZE);
            assertEquals(4L * PAGE_SIZE, limited.committedBytes());
            assertThrows(MemoryLimitException.class, () -> e.write(4 * PAGE_SIZE, page, 0, 1));
            assertThrows(MemoryLimitException.class, () -> e.commit(4 * PAGE_SIZE, PAGE_SIZE));
            e.write(0, page, 0, PAGE_SIZE); // already committed: allowed at the limit
            assertEquals(4L * PAGE_SIZE, limited.committedBytes());
            e.decommit(0, PAGE_SIZE);
            e.write(4 * PAGE_SIZE, page, 0, 1);
            assertEquals(4L * PAGE_SIZE, limited.committedBytes());
        }
    }

    @Test
    void contiguousRunsAreAlignedAndDisjoint() {
        MemoryExtent small = memory().allocate(3 * PAGE_SIZE);
        MemoryExtent aligned = memory().allocateContiguous(5 * PAGE_SIZE, 1L << 20);
        assertEquals(5L * PAGE_SIZE, aligned.capacity());
        assertEquals(0, aligned.physicalAddress() % (1L << 20));
        long a = small.physicalAddress();
        long b = aligned.physicalAddress();
        assertTrue(a + small.capacity() <= b || b + aligned.capacity() <= a, "runs overlap: " + a + " " + b);
        assertEquals(0, small.physicalAddress() % PAGE_SIZE);
        assertThrows(IllegalArgumentException.class, () -> memory().allocateContiguous(PAGE_SIZE, 100));
        assertThrows(IllegalArgumentException.class, () -> memory().allocateContiguous(PAGE_SIZE, 2048));
        assertThrows(MemoryLimitException.class, () -> memory().allocateContiguous(PAGE_SIZE, Long.highestOneBit(memory().physicalSize())),
                "the only run so aligned starts at 0, which is taken");
    }

    @Test
    void windowsShareTheOwnersPages() {
        MemoryExtent owner = memory().allocate(4 * PAGE_SIZE);
        byte[] data = pattern(PAGE_SIZE, 21);
        owner.write(PAGE_SIZE, data, 0, PAGE_SIZE);
        MemoryExtent w = memory().window(owner.physicalAddress() + PAGE_SIZE, 2 * PAGE_SIZE);
        assertEquals(owner.physicalAddress() + PAGE_SIZE, w.physicalAddress());
        byte[] back = new byte[PAGE_SIZE];
        w.read(0, back, 0, PAGE_SIZE);
        assertArrayEquals(data, back, "the window sees the owner's write");
        byte[] more = pattern(100, 22);
        w.write(PAGE_SIZE + 7, more, 0, more.length);
        byte[] seen = new byte[100];
        owner.read(2 * PAGE_SIZE + 7, seen, 0, seen.length);
        assertArrayEquals(more, seen, "the owner sees the window's write");
        w.close();
        owner.read(PAGE_SIZE, back, 0, PAGE_SIZE);
        assertArrayEquals(data, back, "closing a window frees nothing");
        assertThrows(IllegalArgumentException.class, () -> memory().window(1, PAGE_SIZE));
        assertThrows(IllegalArgumentException.class, () -> memory().window(0, 0));
        assertThrows(IllegalArgumentException.class, () -> memory().window(memory().physicalSize(), PAGE_SIZE));
        assertThrows(IllegalArgumentException.class, () -> memory().window(-PAGE_SIZE, PAGE_SIZE));
    }

    @Test
    void runsWrittenThroughAWindowWhileFreeStartZeroed() {
        MemoryExtent e = memory().allocate(4 * PAGE_SIZE);
        long at = e.physicalAddress();
        e.close();
        MemoryExtent w = memory().window(at, 4 * PAGE_SIZE);
        w.write(0, pattern(4 * PAGE_SIZE, 23), 0, 4 * PAGE_SIZE);
        MemoryExtent next = memory().allocate(4 * PAGE_SIZE);
        byte[] back = new byte[4 * PAGE_SIZE];
        next.read(0, back, 0, back.length);
        assertTrue(allZero(back), "a new extent starts zero-filled even over pages a window wrote");
    }
}
