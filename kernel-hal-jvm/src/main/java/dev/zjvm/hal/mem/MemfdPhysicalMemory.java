package dev.zjvm.hal.mem;

import dev.zjvm.hal.host.HostSyscall;
import dev.zjvm.hal.host.HostCallException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Physical memory backed by one sparse memfd.
 *
 * <p>Each extent owns a fixed range of file offsets sized by its capacity; freed ranges are reused.
 * Pages are allocated by the host on first touch (by the kernel through the physmap, or by the guest
 * through a {@link NativeAddressSpace} mapping of the same file range) and freed by punching holes.
 * The kernel reaches extents through one shared mapping of the whole file (the "physmap"), reserved
 * with {@code MAP_NORESERVE}; the file is sized to the physmap up front so no access through it can
 * raise SIGBUS. The physmap lives in a shared {@link Arena}: a use after {@link #close()} throws
 * instead of touching unmapped memory.
 *
 * <p>Reads must not commit: on shmem a load from a hole allocates a page even through a read-only
 * or private mapping (checked on this host). So a read asks the file where its data is
 * ({@code SEEK_DATA}/{@code SEEK_HOLE}), copies data from the physmap and zero-fills the holes. This
 * beats {@code pread}, which also leaves holes alone, by 1.8x for a page and more for small reads
 * (docs/benchmarks-memory.md). Every extent is followed by one never-used page of offsets, so a
 * data run, and with it a {@code SEEK_HOLE} scan, never runs on into the next extent.
 * Accounting is the host's own: {@code st_blocks} of the memfd for the store and a
 * {@code SEEK_DATA}/{@code SEEK_HOLE} walk for one extent, so pages the guest touched count too.
 */
public final class MemfdPhysicalMemory implements PhysicalMemory {
    /** File-offset space used when none is given: virtual only, costs no memory. */
    public static final long DEFAULT_SPACE_BYTES = 1L << 40;
    private static final long LARGE_EXTENT = 2L << 20;
    /** Unused offsets after each extent: holes that end every data run at the extent's end. */
    private static final long GUARD = PAGE_SIZE;

    private static final VarHandle PAGE_TOUCH = ValueLayout.JAVA_INT.varHandle();

    private final int fd;
    private final long spaceBytes;
    private final long limitBytes;
    private final Arena arena;
    private final MemorySegment physmap;
    private final RangeAllocator offsets;
    private volatile boolean closed;
    /** Set once a window exists (guarded by this): free offsets may then hold data and are punched on allocation. */
    private boolean windowsOpened;

    private MemfdPhysicalMemory(int fd, long spaceBytes, long limitBytes, Arena arena, MemorySegment physmap) {
        this.fd = fd;
        this.spaceBytes = spaceBytes;
        this.limitBytes = limitBytes;
        this.arena = arena;
        this.physmap = physmap;
        this.offsets = new RangeAllocator(0, spaceBytes);
    }

    /** A store with the default offset space and no commit limit. */
    public static MemfdPhysicalMemory create() {
        return create(DEFAULT_SPACE_BYTES, Long.MAX_VALUE);
    }

    /**
     * A store whose extents share {@code spaceBytes} of file offsets (total capacity of live
     * extents) and whose kernel-side commits (write, commit, copyTo) stop at {@code limitBytes}.
     *
     * @throws MemoryLimitException if the host refuses the memfd or the physmap
     */
    @SuppressWarnings("restricted") // wraps the physmap this method just mapped
    public static MemfdPhysicalMemory create(long spaceBytes, long limitBytes) {
        if (spaceBytes <= 0 || spaceBytes % PAGE_SIZE != 0) {
            throw new IllegalArgumentException("space must be a positive multiple of the page size");
        }
        if (limitBytes < 0) throw new IllegalArgumentException("negative limit");
        int fd;
        try {
            fd = MemNative.memfdCreate("zjvm-physical-memory");
        } catch (HostCallException e) {
            throw new MemoryLimitException("cannot create the physical-memory memfd (errno " + e.errno
                    + "; open-file limit " + MemNative.softLimit(MemNative.RLIMIT_NOFILE) + ")", e);
        }
        try {
            MemNative.ftruncate(fd, spaceBytes);
            long base = HostSyscall.mmap(0, spaceBytes, MemNative.PROT_READ | MemNative.PROT_WRITE,
                    MemNative.MAP_SHARED | MemNative.MAP_NORESERVE, fd, 0);
            Arena arena = Arena.ofShared();
            MemorySegment physmap = MemorySegment.ofAddress(base)
                    .reinterpret(spaceBytes, arena, s -> HostSyscall.munmap(base, spaceBytes));
            return new MemfdPhysicalMemory(fd, spaceBytes, limitBytes, arena, physmap);
        } catch (HostCallException e) {
            MemNative.close(fd);
            throw new MemoryLimitException("cannot map " + spaceBytes + " bytes of physical-memory space ("
                    + e.getMessage() + ")", e);
        }
    }

    @Override
    public MemoryExtent allocate(long capacity) {
        return allocate(capacity, PAGE_SIZE, true);
    }

    @Override
    public MemoryExtent allocateContiguous(long capacity, long alignment) {
        if (alignment < PAGE_SIZE || Long.bitCount(alignment) != 1) throw new IllegalArgumentException("bad alignment");
        return allocate(capacity, alignment, false);
    }

    /** An extent aligned to {@code alignment}; big ones prefer 2 MiB unless the alignment was asked for. */
    private MemoryExtent allocate(long capacity, long alignment, boolean preferLarge) {
        if (capacity < 0) throw new IllegalArgumentException("negative capacity");
        if (capacity > spaceBytes - GUARD) {
            throw new MemoryLimitException("extent of " + capacity + " bytes exceeds the physical-memory space of "
                    + spaceBytes + " bytes");
        }
        long size = (capacity + PAGE_SIZE - 1) & -(long) PAGE_SIZE;
        if (size == 0) return new Extent(-1, 0, false);
        long at;
        synchronized (this) {
            if (closed) throw new IllegalStateException("physical memory closed");
            at = -1;
            // 2 MiB alignment for big extents keeps shmem huge pages possible.
            if (preferLarge && size >= LARGE_EXTENT) at = offsets.allocate(size + GUARD, LARGE_EXTENT);
            if (at < 0 && alignment <= spaceBytes) at = offsets.allocate(size + GUARD, alignment);
            if (at < 0) {
                throw new MemoryLimitException("physical-memory space exhausted: " + offsets.allocatedBytes()
                        + " of " + spaceBytes + " bytes reserved by live extents, " + size + " more requested"
                        + (alignment > PAGE_SIZE ? " aligned to " + alignment : ""));
            }
            // A window may have written these offsets while they were free (guard page included).
            if (windowsOpened) MemNative.fallocate(fd, MemNative.FALLOC_FL_PUNCH_HOLE | MemNative.FALLOC_FL_KEEP_SIZE, at, size + GUARD);
        }
        return new Extent(at, size, true);
    }

    @Override
    public MemoryExtent window(long address, long length) {
        if (address < 0 || length <= 0 || address % PAGE_SIZE != 0 || length % PAGE_SIZE != 0
                || length > spaceBytes - address) {
            throw new IllegalArgumentException("physical range outside [0, " + spaceBytes + ")");
        }
        synchronized (this) {
            if (closed) throw new IllegalStateException("physical memory closed");
            windowsOpened = true;
        }
        return new Extent(address, length, false);
    }

    /** The file-offset space: physical addresses are file offsets. */
    @Override
    public long physicalSize() {
        return spaceBytes;
    }

    /** Exact: the memfd's allocated blocks (freed extents are punched out). */
    @Override
    public long committedBytes() {
        return MemNative.allocatedBytes(fd);
    }

    /** File offsets held by live extents: their capacity plus one guard page each. */
    public synchronized long reservedBytes() {
        return offsets.allocatedBytes();
    }

    /** Size of the file-offset space. */
    public long spaceBytes() {
        return spaceBytes;
    }

    boolean isOpen() {
        return !closed;
    }

    /** The memfd, for guest mappings. */
    int fd() {
        return fd;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        arena.close(); // unmaps the physmap once no thread is inside an access
        MemNative.close(fd); // guest mappings keep the file alive
    }

    private void checkOpen() {
        // The fd number may be reused after close: never let a stale extent reach it.
        if (closed) throw new IllegalStateException("physical memory closed");
    }

    /** Write-faults the pages of the file range in without changing a byte: an atomic add of zero each. */
    void populateByTouch(long first, long last) {
        for (long p = first; p < last; p += PAGE_SIZE) {
            int ignored = (int) PAGE_TOUCH.getAndAdd(physmap, p, 0);
        }
    }

    /** Allocated bytes of the file range {@code [start, end)}. */
    private long dataBytes(long start, long end) {
        long total = 0;
        long pos = start;
        while (pos < end) {
            long data = MemNative.lseek(fd, pos, MemNative.SEEK_DATA);
            if (data < 0 || data >= end) break;
            long hole = MemNative.lseek(fd, data, MemNative.SEEK_HOLE);
            total += Math.min(hole, end) - data;
            pos = hole;
        }
        return total;
    }

    /** Refuses a kernel-side commit of the file range that would pass the limit. */
    private void ensureRoom(long start, long end) {
        if (limitBytes == Long.MAX_VALUE) return;
        long now = committedBytes();
        long first = start & -(long) PAGE_SIZE;
        long last = (end + PAGE_SIZE - 1) & -(long) PAGE_SIZE;
        if (now + (last - first) <= limitBytes) return;
        long fresh = (last - first) - dataBytes(first, last);
        if (now + fresh > limitBytes) {
            throw new MemoryLimitException("physical memory limit of " + limitBytes + " bytes reached ("
                    + now + " committed, " + fresh + " more needed)");
        }
    }

    /** File range {@code [start, end)} known to be all data while the extent's punch count is {@code punches}. */
    private record DataRun(long start, long end, long punches) {}

    private static final DataRun NO_RUN = new DataRun(0, 0, -1);

    /** An extent: file offsets {@code [fileOffset, fileOffset + capacity)} of the memfd. */
    final class Extent implements MemoryExtent {
        private final long fileOffset;
        private final long capacity;
        /** False for windows: closing one frees nothing. */
        private final boolean owning;
        private volatile boolean closed;
        /** Holes punched so far; a {@link DataRun} is only trusted while this has not moved. */
        private final AtomicLong punches = new AtomicLong();
        /**
         * The last data run found by SEEK_HOLE. Data only turns into holes by a punch of this
         * extent, so the run stays true until then. It spares chunked reads of a long committed
         * range from rescanning the rest of the run on every chunk (quadratic otherwise).
         */
        private volatile DataRun knownData = NO_RUN;

        private Extent(long fileOffset, long capacity, boolean owning) {
            this.fileOffset = fileOffset;
            this.capacity = capacity;
            this.owning = owning;
        }

        @Override
        public long capacity() {
            return capacity;
        }

        @Override
        public long physicalAddress() {
            return Math.max(fileOffset, 0);
        }

        long fileOffset() {
            return fileOffset;
        }

        MemfdPhysicalMemory owner() {
            return MemfdPhysicalMemory.this;
        }

        boolean isClosed() {
            return closed;
        }

        private void check(long offset, long length) {
            if (closed) throw new IllegalStateException("extent closed");
            checkOpen();
            Objects.checkFromIndexSize(offset, length, capacity);
        }

        /**
         * Copies the data ranges from the physmap and zero-fills the holes, so holes stay holes. A
         * read inside one committed page costs one lseek. A decommit racing with the read (the
         * kernel's VMO lock prevents it) could only re-commit a zero page, never expose stale data.
         */
        @Override
        public void read(long offset, MemorySegment dst, long dstOffset, long length) {
            check(offset, length);
            Objects.checkFromIndexSize(dstOffset, length, dst.byteSize());
            long pos = fileOffset + offset;
            long end = pos + length;
            long delta = dstOffset - pos;
            while (pos < end) {
                long dataStart = nextData(pos, end);
                if (dataStart > pos) dst.asSlice(pos + delta, dataStart - pos).fill((byte) 0);
                if (dataStart >= end) return;
                long dataEnd = dataEnd(dataStart, end);
                MemorySegment.copy(physmap, dataStart, dst, dataStart + delta, dataEnd - dataStart);
                pos = dataEnd;
            }
        }

        /** First file offset of data in {@code [pos, end)}, or {@code end}. */
        private long nextData(long pos, long end) {
            DataRun k = knownData;
            if (k.punches() == punches.get() && pos >= k.start() && pos < k.end()) return pos;
            long data = MemNative.lseek(fd, pos, MemNative.SEEK_DATA);
            return data < 0 ? end : Math.min(data, end);
        }

        /** End of the data run starting at {@code dataStart}, capped at {@code end}. */
        private long dataEnd(long dataStart, long end) {
            long generation = punches.get(); // read before the lseek: a punch after it voids the run
            DataRun k = knownData;
            if (k.punches() == generation && dataStart >= k.start() && dataStart < k.end()) return Math.min(k.end(), end);
            // Data at dataStart covers at least its page; ask for the hole only if the range goes further.
            long pageEnd = (dataStart | (PAGE_SIZE - 1)) + 1;
            if (end <= pageEnd) return end;
            long hole = MemNative.lseek(fd, dataStart, MemNative.SEEK_HOLE);
            knownData = new DataRun(dataStart, Math.min(hole, fileOffset + capacity), generation);
            return Math.min(hole, end);
        }

        /** Punches whole pages of this extent's file range {@code [start, end)}. */
        private void punch(long start, long end) {
            MemNative.fallocate(fd, MemNative.FALLOC_FL_PUNCH_HOLE | MemNative.FALLOC_FL_KEEP_SIZE, start, end - start);
            punches.incrementAndGet();
        }

        @Override
        public void write(long offset, MemorySegment src, long srcOffset, long length) {
            check(offset, length);
            if (length == 0) return;
            ensureRoom(fileOffset + offset, fileOffset + offset + length);
            MemorySegment.copy(src, srcOffset, physmap, fileOffset + offset, length);
        }

        @Override
        public void copyTo(long offset, MemoryExtent dst, long dstOffset, long length) {
            check(offset, length);
            Objects.checkFromIndexSize(dstOffset, length, dst.capacity());
            if (length == 0) return;
            if (dst instanceof Extent d && d.owner() == owner()) {
                copyWithinStore(offset, d, dstOffset, length);
            } else {
                copyAcross(offset, dst, dstOffset, length);
            }
        }

        /** Physmap to physmap; the source's holes stay holes in the destination where page aligned. */
        private void copyWithinStore(long offset, Extent dst, long dstOffset, long length) {
            if (dst.closed) throw new IllegalStateException("destination extent closed");
            long srcStart = fileOffset + offset;
            long srcEnd = srcStart + length;
            long delta = dst.fileOffset + dstOffset - srcStart;
            long pos = srcStart;
            while (pos < srcEnd) {
                long dataStart = nextData(pos, srcEnd);
                if (dataStart > pos) dst.zeroFileRange(pos + delta, dataStart + delta);
                if (dataStart >= srcEnd) break;
                long dataEnd = dataEnd(dataStart, srcEnd);
                ensureRoom(dataStart + delta, dataEnd + delta);
                MemorySegment.copy(physmap, dataStart, physmap, dataStart + delta, dataEnd - dataStart);
                pos = dataEnd;
            }
        }

        /** Makes a file range of this extent read as zero: whole pages are punched, partial pages are cleared. */
        private void zeroFileRange(long start, long end) {
            long first = (start + PAGE_SIZE - 1) & -(long) PAGE_SIZE;
            long last = end & -(long) PAGE_SIZE;
            if (first < last) {
                punch(first, last);
                if (start < first) physmap.asSlice(start, first - start).fill((byte) 0);
                if (last < end) physmap.asSlice(last, end - last).fill((byte) 0);
            } else {
                physmap.asSlice(start, end - start).fill((byte) 0);
            }
        }

        /** To an extent of another store: through a bounce buffer, page by page. */
        private void copyAcross(long offset, MemoryExtent dst, long dstOffset, long length) {
            byte[] buf = new byte[PAGE_SIZE];
            long done = 0;
            while (done < length) {
                long at = offset + done;
                int n = (int) Math.min(length - done, PAGE_SIZE - at % PAGE_SIZE);
                read(at, buf, 0, n);
                dst.write(dstOffset + done, buf, 0, n);
                done += n;
            }
        }

        @Override
        public void commit(long offset, long length) {
            check(offset, length);
            if (length == 0) return;
            long first = (fileOffset + offset) & -(long) PAGE_SIZE;
            long last = (fileOffset + offset + length + PAGE_SIZE - 1) & -(long) PAGE_SIZE;
            ensureRoom(first, last);
            try {
                // Write-faults the pages in without changing their bytes (a guest may be writing them).
                // Not fallocate: shmem keeps fallocated pages "not uptodate", which SEEK_DATA reports as holes.
                MemNative.madvise(physmap.address() + first, last - first, MemNative.MADV_POPULATE_WRITE);
            } catch (HostCallException e) {
                if (e.errno != MemNative.EINVAL) {
                    throw new MemoryLimitException("host refused to commit " + (last - first) + " bytes (" + e.getMessage() + ")", e);
                }
                populateByTouch(first, last); // kernels before 5.14 lack MADV_POPULATE_WRITE
            }
        }

        @Override
        public void decommit(long offset, long length) {
            check(offset, length);
            if (offset % PAGE_SIZE != 0 || length % PAGE_SIZE != 0) {
                throw new IllegalArgumentException("decommit range must be page aligned");
            }
            if (length == 0) return;
            punch(fileOffset + offset, fileOffset + offset + length);
        }

        @Override
        public long committedBytes() {
            if (closed || capacity == 0) return 0;
            return dataBytes(fileOffset, fileOffset + capacity);
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) return;
                closed = true;
            }
            if (!owning) return;
            synchronized (MemfdPhysicalMemory.this) {
                if (MemfdPhysicalMemory.this.closed) return;
                // Punch before release so the next owner of these offsets starts zero-filled.
                punch(fileOffset, fileOffset + capacity);
                offsets.release(fileOffset, capacity + GUARD);
            }
        }
    }
}
