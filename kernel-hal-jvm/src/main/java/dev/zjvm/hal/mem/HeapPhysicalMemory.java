package dev.zjvm.hal.mem;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pure-Java physical memory: one sparse map of 4 KiB heap pages keyed by physical page number, and
 * extents that are contiguous runs of that space. Used where no guest code runs (object-layer and
 * syscall tests, tools); accounting is exact like the native store.
 */
public final class HeapPhysicalMemory implements PhysicalMemory {
    /** Physical space of a heap store: large enough for many maximal VMOs, costs nothing until written. */
    public static final long SPACE_BYTES = 1L << 62;

    private final long limitBytes;
    private final AtomicLong committed = new AtomicLong();
    /** Committed pages by physical page number. */
    private final ConcurrentSkipListMap<Long, byte[]> pages = new ConcurrentSkipListMap<>();
    private final RangeAllocator runs = new RangeAllocator(0, SPACE_BYTES);
    /** Set once a window exists: free runs may then hold data and are cleared on allocation. */
    private volatile boolean windowsOpened;

    /** A store with no limit besides the Java heap. */
    public HeapPhysicalMemory() {
        this(Long.MAX_VALUE);
    }

    /** A store that refuses to commit more than {@code limitBytes}. */
    public HeapPhysicalMemory(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    @Override
    public MemoryExtent allocate(long capacity) {
        return allocateContiguous(capacity, PAGE_SIZE);
    }

    @Override
    public MemoryExtent allocateContiguous(long capacity, long alignment) {
        if (capacity < 0) throw new IllegalArgumentException("negative capacity");
        if (alignment < PAGE_SIZE || Long.bitCount(alignment) != 1) throw new IllegalArgumentException("bad alignment");
        if (capacity > SPACE_BYTES) throw new MemoryLimitException("extent of " + capacity + " bytes exceeds the physical space");
        long size = (capacity + PAGE_SIZE - 1) & -(long) PAGE_SIZE;
        if (size == 0) return new Extent(0, 0, false);
        long at;
        synchronized (runs) {
            at = alignment > SPACE_BYTES ? -1 : runs.allocate(size, alignment);
        }
        if (at < 0) throw new MemoryLimitException("no free physical run of " + size + " bytes aligned to " + alignment);
        if (windowsOpened) drop(at / PAGE_SIZE, (at + size) / PAGE_SIZE);
        return new Extent(at, size, true);
    }

    @Override
    public MemoryExtent window(long address, long length) {
        if (address < 0 || length <= 0 || address % PAGE_SIZE != 0 || length % PAGE_SIZE != 0
                || length > SPACE_BYTES - address) {
            throw new IllegalArgumentException("physical range outside [0, " + SPACE_BYTES + ")");
        }
        windowsOpened = true;
        return new Extent(address, length, false);
    }

    @Override
    public long physicalSize() {
        return SPACE_BYTES;
    }

    @Override
    public long committedBytes() {
        return committed.get();
    }

    @Override
    public void close() {}

    /** Frees the committed pages numbered {@code [first, end)}. */
    private void drop(long first, long end) {
        ConcurrentNavigableMap<Long, byte[]> range = pages.subMap(first, end);
        for (Long k : range.keySet()) {
            if (pages.remove(k) != null) committed.addAndGet(-PAGE_SIZE);
        }
    }

    private final class Extent implements MemoryExtent {
        private final long base;
        private final long capacity;
        /** False for windows: they free nothing. */
        private final boolean owning;
        private volatile boolean closed;

        Extent(long base, long capacity, boolean owning) {
            this.base = base;
            this.capacity = capacity;
            this.owning = owning;
        }

        @Override
        public long capacity() {
            return capacity;
        }

        @Override
        public long physicalAddress() {
            return base;
        }

        private void check(long offset, long length) {
            if (closed) throw new IllegalStateException("extent closed");
            Objects.checkFromIndexSize(offset, length, capacity);
        }

        /** The page with extent page index {@code index}. */
        private byte[] page(long index, boolean create) {
            long key = base / PAGE_SIZE + index;
            byte[] p = pages.get(key);
            if (p == null && create) {
                if (committed.addAndGet(PAGE_SIZE) > limitBytes) {
                    committed.addAndGet(-PAGE_SIZE);
                    throw new MemoryLimitException("heap physical memory limit of " + limitBytes + " bytes reached");
                }
                byte[] fresh = new byte[PAGE_SIZE];
                p = pages.putIfAbsent(key, fresh);
                if (p == null) {
                    p = fresh;
                } else {
                    committed.addAndGet(-PAGE_SIZE);
                }
            }
            return p;
        }

        @Override
        public void read(long offset, MemorySegment dst, long dstOffset, long length) {
            check(offset, length);
            long done = 0;
            while (done < length) {
                long at = offset + done;
                int inPage = (int) (at % PAGE_SIZE);
                int n = (int) Math.min(length - done, PAGE_SIZE - inPage);
                byte[] p = page(at / PAGE_SIZE, false);
                if (p == null) {
                    dst.asSlice(dstOffset + done, n).fill((byte) 0);
                } else {
                    MemorySegment.copy(MemorySegment.ofArray(p), inPage, dst, dstOffset + done, n);
                }
                done += n;
            }
        }

        @Override
        public void write(long offset, MemorySegment src, long srcOffset, long length) {
            check(offset, length);
            long done = 0;
            while (done < length) {
                long at = offset + done;
                int inPage = (int) (at % PAGE_SIZE);
                int n = (int) Math.min(length - done, PAGE_SIZE - inPage);
                byte[] p = page(at / PAGE_SIZE, true);
                MemorySegment.copy(src, srcOffset + done, MemorySegment.ofArray(p), inPage, n);
                done += n;
            }
        }

        @Override
        public void copyTo(long offset, MemoryExtent dst, long dstOffset, long length) {
            check(offset, length);
            byte[] buf = new byte[PAGE_SIZE];
            long done = 0;
            while (done < length) {
                long at = offset + done;
                int n = (int) Math.min(length - done, PAGE_SIZE - at % PAGE_SIZE);
                if (page(at / PAGE_SIZE, false) == null) {
                    // Keep the destination sparse where the source is.
                    long dstAt = dstOffset + done;
                    if (dstAt % PAGE_SIZE == 0 && n == PAGE_SIZE) {
                        dst.decommit(dstAt, PAGE_SIZE);
                    } else {
                        java.util.Arrays.fill(buf, 0, n, (byte) 0);
                        dst.write(dstAt, buf, 0, n);
                    }
                } else {
                    read(at, buf, 0, n);
                    dst.write(dstOffset + done, buf, 0, n);
                }
                done += n;
            }
        }

        @Override
        public void commit(long offset, long length) {
            check(offset, length);
            for (long i = offset / PAGE_SIZE; i * PAGE_SIZE < offset + length; i++) page(i, true);
        }

        @Override
        public void decommit(long offset, long length) {
            check(offset, length);
            if (offset % PAGE_SIZE != 0 || length % PAGE_SIZE != 0) {
                throw new IllegalArgumentException("decommit range must be page aligned");
            }
            drop((base + offset) / PAGE_SIZE, (base + offset + length) / PAGE_SIZE);
        }

        @Override
        public long committedBytes() {
            if (closed || capacity == 0) return 0;
            return (long) pages.subMap(base / PAGE_SIZE, (base + capacity) / PAGE_SIZE).size() * PAGE_SIZE;
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) return;
                closed = true;
            }
            if (!owning || capacity == 0) return;
            // Freed before release so the next owner of the run starts zero-filled.
            drop(base / PAGE_SIZE, (base + capacity) / PAGE_SIZE);
            synchronized (runs) {
                runs.release(base, capacity);
            }
        }
    }
}
