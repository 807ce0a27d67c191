package dev.zjvm.object.vm;

import dev.zjvm.hal.mem.MemoryExtent;
import dev.zjvm.hal.mem.MemoryLimitException;
import dev.zjvm.hal.mem.PhysicalMemory;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.task.BlockingContext;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.BitSet;

/**
 * The pages behind a VMO: one extent of physical memory, shared by a VMO and its slices. Pages
 * that come from elsewhere (a user pager, a pager-backed parent) are tracked in a presence bitmap
 * and fetched through the {@link PageProvider} before they are touched.
 *
 * <p>All fields are guarded by {@link #lock}.
 */
final class VmoPages {
    static final int PAGE = PhysicalMemory.PAGE_SIZE;

    final Object lock = new Object();
    private final PhysicalMemory memory;
    private MemoryExtent extent;
    /** Null when every page is present (anonymous memory). */
    private final BitSet present;
    private final PageProvider provider;
    /** Bytes the owner VMO currently covers; the provider never fetches beyond it. */
    private long validLength;
    /** Pinned ranges {start, end} of extent offsets, one entry per pin (so overlapping pins count twice). */
    private final ArrayList<long[]> pins = new ArrayList<>();

    VmoPages(PhysicalMemory memory, long capacity, long validLength, PageProvider provider) {
        this(memory, allocate(memory, capacity), validLength, provider);
    }

    /** Pages over an extent the caller obtained (a contiguous run or a physical window). */
    VmoPages(PhysicalMemory memory, MemoryExtent extent, long validLength, PageProvider provider) {
        this.memory = memory;
        this.extent = extent;
        this.provider = provider;
        this.present = provider == null ? null : new BitSet();
        this.validLength = validLength;
    }

    static MemoryExtent allocate(PhysicalMemory memory, long capacity) {
        try {
            return memory.allocate(capacity);
        } catch (MemoryLimitException e) {
            throw new ZxException(ZxStatus.ERR_NO_MEMORY, e.getMessage());
        }
    }

    PageProvider provider() {
        return provider;
    }

    /** Caller holds {@link #lock}. */
    MemoryExtent extent() {
        return extent;
    }

    long capacity() {
        synchronized (lock) {
            return extent.capacity();
        }
    }

    long validLength() {
        synchronized (lock) {
            return validLength;
        }
    }

    // ---- presence (caller holds lock) ----

    /** First missing page index in {@code [fromPage, toPage)}, or -1. */
    long firstMissing(long fromPage, long toPage) {
        if (present == null) return -1;
        int i = present.nextClearBit(Math.toIntExact(fromPage));
        return i < toPage ? i : -1;
    }

    /** End (exclusive) of the run of missing pages that starts at {@code fromPage}, capped at {@code toPage}. */
    long missingRunEnd(long fromPage, long toPage) {
        int next = present.nextSetBit(Math.toIntExact(fromPage));
        return next < 0 ? toPage : Math.min(next, toPage);
    }

    void markPresent(long fromPage, long toPage) {
        if (present != null) present.set(Math.toIntExact(fromPage), Math.toIntExact(toPage));
    }

    boolean isPresent(long page) {
        return present == null || present.get(Math.toIntExact(page));
    }

    // ---- access ----

    /** Fetches missing pages of the range (blocking); no-op for anonymous memory. Called without locks. */
    void ensurePresent(long offset, long length, BlockingContext who) {
        if (provider == null || length == 0) return;
        synchronized (lock) {
            long first = offset / PAGE;
            long end = (offset + length + PAGE - 1) / PAGE;
            if (firstMissing(first, end) < 0) return;
        }
        provider.provide(this, offset, length, who);
    }

    void read(long offset, MemorySegment dst, long dstOffset, long length) {
        synchronized (lock) {
            extent.read(offset, dst, dstOffset, length);
        }
    }

    void write(long offset, MemorySegment src, long srcOffset, long length) {
        synchronized (lock) {
            try {
                extent.write(offset, src, srcOffset, length);
            } catch (MemoryLimitException e) {
                throw new ZxException(ZxStatus.ERR_NO_MEMORY, e.getMessage());
            }
        }
    }

    void commit(long offset, long length) {
        synchronized (lock) {
            try {
                extent.commit(offset, length);
            } catch (MemoryLimitException e) {
                throw new ZxException(ZxStatus.ERR_NO_MEMORY, e.getMessage());
            }
        }
    }

    /** Zeroes a range: whole pages are freed, partial pages are overwritten. */
    void zero(long offset, long length) {
        synchronized (lock) {
            long end = offset + length;
            long firstFull = (offset + PAGE - 1) / PAGE * PAGE;
            long lastFull = end / PAGE * PAGE;
            if (firstFull < lastFull) {
                zeroPartial(offset, firstFull);
                extent.decommit(firstFull, lastFull - firstFull);
                zeroPartial(lastFull, end);
                if (present != null) markPresent(firstFull / PAGE, lastFull / PAGE);
            } else {
                zeroPartial(offset, end);
            }
        }
    }

    private void zeroPartial(long from, long to) {
        if (to <= from) return;
        try {
            extent.write(from, new byte[(int) (to - from)], 0, (int) (to - from));
        } catch (MemoryLimitException e) {
            throw new ZxException(ZxStatus.ERR_NO_MEMORY, e.getMessage());
        }
    }

    void decommit(long offset, long length) {
        synchronized (lock) {
            extent.decommit(offset, length);
        }
    }

    long committedBytes() {
        synchronized (lock) {
            return extent.committedBytes();
        }
    }

    /**
     * Changes the covered length. Shrinking frees the pages past the end and forgets their
     * presence (waiters on them are woken and fail); growing past the capacity moves the data to
     * a bigger extent, which only the caller may allow (no host mapping may refer to the old one).
     */
    void resize(long newLength, long newCapacity) {
        synchronized (lock) {
            if (newLength < validLength) {
                long end = Math.min(validLength, extent.capacity());
                if (newLength < end) extent.decommit(newLength, end - newLength);
                if (present != null) present.clear(Math.toIntExact(newLength / PAGE), Math.toIntExact((validLength + PAGE - 1) / PAGE));
            }
            if (newLength > extent.capacity()) {
                MemoryExtent bigger = allocate(memory, newCapacity);
                try {
                    extent.copyTo(0, bigger, 0, Math.min(validLength, newLength));
                } catch (MemoryLimitException e) {
                    bigger.close();
                    throw new ZxException(ZxStatus.ERR_NO_MEMORY, e.getMessage());
                }
                extent.close();
                extent = bigger;
            }
            validLength = newLength;
            if (provider != null) provider.wakeAllLocked();
        }
    }

    // ---- pins (caller holds lock) ----

    /** Counts a pin of the extent range {@code [start, end)}. */
    void pinLocked(long start, long end) {
        pins.add(new long[] {start, end});
    }

    /** Drops one pin of exactly {@code [start, end)}. */
    void unpinLocked(long start, long end) {
        for (int i = pins.size() - 1; i >= 0; i--) {
            long[] p = pins.get(i);
            if (p[0] == start && p[1] == end) {
                pins.remove(i);
                return;
            }
        }
        throw new IllegalStateException("unpin of a range that is not pinned");
    }

    /** True if a page of the extent range {@code [start, end)} is pinned. */
    boolean pinnedLocked(long start, long end) {
        for (long[] p : pins) if (p[0] < end && start < p[1]) return true;
        return false;
    }

    boolean anyPinnedLocked() {
        return !pins.isEmpty();
    }

    /** Physical address of extent offset {@code offset}. */
    long physicalAddress(long offset) {
        synchronized (lock) {
            return extent.physicalAddress() + offset;
        }
    }

    /** Frees the memory. Idempotent. */
    void close() {
        synchronized (lock) {
            extent.close();
        }
    }
}
