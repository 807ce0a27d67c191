package dev.zjvm.hal.mem;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pure-Java physical memory: each extent is a sparse map of 4 KiB heap pages. Used where no guest
 * code runs (object-layer and syscall tests, tools); accounting is exact like the native store.
 */
public final class HeapPhysicalMemory implements PhysicalMemory {
    private final long limitBytes;
    private final AtomicLong committed = new AtomicLong();

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
        if (capacity < 0) throw new IllegalArgumentException("negative capacity");
        long pages = (capacity + PAGE_SIZE - 1) / PAGE_SIZE;
        return new Extent(pages * PAGE_SIZE);
    }

    @Override
    public long committedBytes() {
        return committed.get();
    }

    @Override
    public void close() {}

    private final class Extent implements MemoryExtent {
        private final long capacity;
        private final ConcurrentHashMap<Long, byte[]> pages = new ConcurrentHashMap<>();
        private volatile boolean closed;

        Extent(long capacity) {
            this.capacity = capacity;
        }

        @Override
        public long capacity() {
            return capacity;
        }

        private void check(long offset, long length) {
            if (closed) throw new IllegalStateException("extent closed");
            Objects.checkFromIndexSize(offset, length, capacity);
        }

        private byte[] page(long index, boolean create) {
            byte[] p = pages.get(index);
            if (p == null && create) {
                if (committed.addAndGet(PAGE_SIZE) > limitBytes) {
                    committed.addAndGet(-PAGE_SIZE);
                    throw new MemoryLimitException("heap physical memory limit of " + limitBytes + " bytes reached");
                }
                byte[] fresh = new byte[PAGE_SIZE];
                p = pages.putIfAbsent(index, fresh);
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
            for (long i = offset / PAGE_SIZE; i * PAGE_SIZE < offset + length; i++) {
                if (pages.remove(i) != null) committed.addAndGet(-PAGE_SIZE);
            }
        }

        @Override
        public long committedBytes() {
            return (long) pages.size() * PAGE_SIZE;
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            committed.addAndGet(-(long) pages.size() * PAGE_SIZE);
            pages.clear();
        }
    }
}
