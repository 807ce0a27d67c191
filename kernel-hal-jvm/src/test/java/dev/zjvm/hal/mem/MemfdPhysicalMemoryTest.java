package dev.zjvm.hal.mem;

import dev.zjvm.hal.host.HostSyscall;

import static dev.zjvm.hal.mem.PhysicalMemory.PAGE_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** The shared contract against the memfd store, plus what only the host can show. */
@SuppressWarnings("restricted") // native memory access is what this class is for
final class MemfdPhysicalMemoryTest extends PhysicalMemoryContractTest {
    @Override
    PhysicalMemory newMemory(long limitBytes) {
        return MemfdPhysicalMemory.create(1L << 30, limitBytes);
    }

    private MemfdPhysicalMemory memfd() {
        return (MemfdPhysicalMemory) memory();
    }

    @Test
    void decommitReleasesHostBlocks() {
        MemfdPhysicalMemory m = memfd();
        MemoryExtent e = m.allocate(64 * PAGE_SIZE);
        e.commit(0, 64 * PAGE_SIZE);
        assertEquals(64L * PAGE_SIZE, MemNative.allocatedBytes(m.fd()));
        e.decommit(0, 32 * PAGE_SIZE);
        assertEquals(32L * PAGE_SIZE, MemNative.allocatedBytes(m.fd()));
        e.close();
        assertEquals(0, MemNative.allocatedBytes(m.fd()));
    }

    @Test
    void pagesTouchedThroughAnotherMappingAreCounted() {
        // What a guest does: store through its own shared mapping of the extent's file range.
        MemfdPhysicalMemory m = memfd();
        var e = (MemfdPhysicalMemory.Extent) m.allocate(16 * PAGE_SIZE);
        long addr = HostSyscall.mmap(0, 16 * PAGE_SIZE, MemNative.PROT_READ | MemNative.PROT_WRITE,
                MemNative.MAP_SHARED, m.fd(), e.fileOffset());
        try {
            MemorySegment view = MemorySegment.ofAddress(addr).reinterpret(16 * PAGE_SIZE);
            view.set(ValueLayout.JAVA_LONG, 5L * PAGE_SIZE, 0x1122334455667788L);
            view.set(ValueLayout.JAVA_LONG, 9L * PAGE_SIZE + 8, 42L);
            assertEquals(2L * PAGE_SIZE, e.committedBytes());
            assertEquals(2L * PAGE_SIZE, m.committedBytes());
            byte[] b = new byte[8];
            e.read(5L * PAGE_SIZE, b, 0, 8);
            assertEquals(0x1122334455667788L, MemorySegment.ofArray(b).get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
            e.decommit(5L * PAGE_SIZE, PAGE_SIZE);
            assertEquals(0L, view.get(ValueLayout.JAVA_LONG, 5L * PAGE_SIZE), "punched page reads zero through the mapping");
        } finally {
            HostSyscall.munmap(addr, 16 * PAGE_SIZE);
        }
    }

    @Test
    void commitFallbackForOldKernelsKeepsContents() {
        MemfdPhysicalMemory m = memfd();
        var e = (MemfdPhysicalMemory.Extent) m.allocate(4 * PAGE_SIZE);
        byte[] one = {42};
        e.write(PAGE_SIZE, one, 0, 1);
        m.populateByTouch(e.fileOffset(), e.fileOffset() + 4L * PAGE_SIZE);
        assertEquals(4L * PAGE_SIZE, e.committedBytes());
        byte[] back = new byte[1];
        e.read(PAGE_SIZE, back, 0, 1);
        assertEquals(42, back[0]);
    }

    @Test
    void dataRunsEndAtTheExtentEnd() {
        MemfdPhysicalMemory m = memfd();
        var a = (MemfdPhysicalMemory.Extent) m.allocate(8 * PAGE_SIZE);
        var b = (MemfdPhysicalMemory.Extent) m.allocate(8 * PAGE_SIZE);
        a.commit(0, a.capacity());
        b.commit(0, b.capacity());
        assertEquals(a.fileOffset() + a.capacity(), MemNative.lseek(m.fd(), a.fileOffset(), MemNative.SEEK_HOLE),
                "a SEEK_HOLE from one extent must not scan on into the next");
        assertTrue(b.fileOffset() > a.fileOffset() + a.capacity());
    }

    @Test
    void freedOffsetsAreReused() {
        MemfdPhysicalMemory m = memfd();
        var a = (MemfdPhysicalMemory.Extent) m.allocate(3 * PAGE_SIZE);
        var b = (MemfdPhysicalMemory.Extent) m.allocate(PAGE_SIZE);
        long offsetA = a.fileOffset();
        a.close();
        var c = (MemfdPhysicalMemory.Extent) m.allocate(2 * PAGE_SIZE);
        assertEquals(offsetA, c.fileOffset());
        assertEquals(5L * PAGE_SIZE, m.reservedBytes(), "3 pages of capacity and a guard page per extent");
        b.close();
        c.close();
        assertEquals(0, m.reservedBytes());
    }

    @Test
    void exhaustedSpaceIsAMemoryLimit() {
        try (MemfdPhysicalMemory m = MemfdPhysicalMemory.create(16L * PAGE_SIZE, Long.MAX_VALUE)) {
            MemoryExtent e = m.allocate(10 * PAGE_SIZE);
            MemoryLimitException ex = assertThrows(MemoryLimitException.class, () -> m.allocate(8 * PAGE_SIZE));
            assertTrue(ex.getMessage().contains("exhausted"), ex.getMessage());
            assertThrows(MemoryLimitException.class, () -> m.allocate(1L << 40));
            e.close();
            m.allocate(15 * PAGE_SIZE).close(); // the whole space again, less the guard page
        }
    }

    @Test
    void useAfterStoreCloseThrows() {
        MemfdPhysicalMemory m = MemfdPhysicalMemory.create(16L * PAGE_SIZE, Long.MAX_VALUE);
        MemoryExtent e = m.allocate(PAGE_SIZE);
        m.close();
        m.close();
        byte[] b = new byte[1];
        assertThrows(IllegalStateException.class, () -> e.write(0, b, 0, 1));
        assertThrows(IllegalStateException.class, () -> e.read(0, b, 0, 1));
        assertThrows(IllegalStateException.class, () -> m.allocate(PAGE_SIZE));
        e.close();
    }
}
