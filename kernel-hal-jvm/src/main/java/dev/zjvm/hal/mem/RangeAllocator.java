package dev.zjvm.hal.mem;

import java.util.Map;
import java.util.TreeMap;

/**
 * First-fit allocator of aligned ranges inside {@code [base, base + size)}, with coalescing of freed
 * ranges. Used for memfd file offsets (extents) and for guest address slices. Not thread safe:
 * owners synchronize.
 */
final class RangeAllocator {
    /** Free ranges: start -> length, never adjacent (coalesced). */
    private final TreeMap<Long, Long> free = new TreeMap<>();
    private final long base;
    private final long size;
    private long allocated;

    RangeAllocator(long base, long size) {
        if (size <= 0) throw new IllegalArgumentException("empty range");
        this.base = base;
        this.size = size;
        free.put(base, size);
    }

    /** Returns the start of a free range of {@code length} bytes aligned to {@code align}, or -1. */
    long allocate(long length, long align) {
        if (length <= 0 || Long.bitCount(align) != 1) throw new IllegalArgumentException("bad length or alignment");
        for (Map.Entry<Long, Long> e : free.entrySet()) {
            long start = e.getKey();
            long end = start + e.getValue();
            long at = (start + align - 1) & -align;
            if (at < start || at > end || end - at < length) continue;
            free.remove(start);
            if (at > start) free.put(start, at - start);
            if (at + length < end) free.put(at + length, end - at - length);
            allocated += length;
            return at;
        }
        return -1;
    }

    /** Returns a range obtained from {@link #allocate}. */
    void release(long start, long length) {
        if (start < base || length <= 0 || start + length > base + size) {
            throw new IllegalArgumentException("range not owned by this allocator");
        }
        Map.Entry<Long, Long> below = free.floorEntry(start);
        if (below != null && below.getKey() + below.getValue() > start) {
            throw new IllegalStateException("double release of range at 0x" + Long.toHexString(start));
        }
        Map.Entry<Long, Long> above = free.ceilingEntry(start);
        if (above != null && above.getKey() < start + length) {
            throw new IllegalStateException("double release of range at 0x" + Long.toHexString(start));
        }
        long s = start;
        long len = length;
        if (below != null && below.getKey() + below.getValue() == start) {
            s = below.getKey();
            len += below.getValue();
            free.remove(below.getKey());
        }
        if (above != null && above.getKey() == start + length) {
            len += above.getValue();
            free.remove(above.getKey());
        }
        free.put(s, len);
        allocated -= length;
    }

    long allocatedBytes() {
        return allocated;
    }

    /** Number of free fragments (for tests of coalescing). */
    int freeFragments() {
        return free.size();
    }
}
