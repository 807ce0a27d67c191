package dev.zjvm.hal.mem;

import dev.zjvm.hal.host.HostSyscall;
import dev.zjvm.hal.host.HostCallException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One slice of the {@link GuestAddressReservation}: guest addresses are host addresses. A mapping is
 * one {@code mmap(MAP_SHARED | MAP_FIXED)} of the extent's memfd range, so guest stores land in the
 * VMO's pages; an unmapped range is re-reserved ({@code PROT_NONE} anonymous, {@code MAP_FIXED}) so
 * the hole stays ours and nothing else of the process can be mapped into it.
 *
 * <p>The slice keeps its own table of mappings. It is how protect refuses ranges that are not mapped
 * (an mprotect of the reservation would open anonymous memory to the guest) and how the host
 * mappings are counted: each region plus each gap between regions is at most one host mapping.
 * Arguments are the kernel's, already validated against the VMAR: a bad one is a kernel bug and
 * throws {@link IllegalArgumentException} before any host call. Methods are serialized per slice.
 */
public final class NativeAddressSpace implements GuestAddressSpace {
    private static final int PAGE = PhysicalMemory.PAGE_SIZE;

    /** A host mapping of {@code [start, end)} at memfd offset {@code fileOffset}. */
    private record Region(long start, long end, int prot, MemfdPhysicalMemory.Extent extent, long fileOffset) {
        Region slice(long from, long to) {
            return new Region(from, to, prot, extent, fileOffset + (from - start));
        }

        Region withProt(int p) {
            return new Region(start, end, p, extent, fileOffset);
        }
    }

    private final GuestAddressReservation reservation;
    private final long base;
    private final long size;
    private final MapCountBudget budget;
    private final TreeMap<Long, Region> regions = new TreeMap<>();
    /** Host mappings of this slice beyond the single one an untouched reservation is. */
    private long hostMappings;
    private boolean closed;

    NativeAddressSpace(GuestAddressReservation reservation, long base, long size, MapCountBudget budget) {
        this.reservation = reservation;
        this.base = base;
        this.size = size;
        this.budget = budget;
    }

    @Override
    public long base() {
        return base;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public boolean isNative() {
        return true;
    }

    @Override
    public synchronized void map(long vaddr, MemoryExtent extent, long extentOffset, long length, int prot) {
        checkRange(vaddr, length);
        checkProt(prot);
        if (!(extent instanceof MemfdPhysicalMemory.Extent e)) {
            throw new IllegalArgumentException("only memfd extents can be mapped natively, got " + extent.getClass().getName());
        }
        if (e.isClosed() || !e.owner().isOpen()) throw new IllegalArgumentException("extent closed");
        if (extentOffset < 0 || extentOffset % PAGE != 0 || extentOffset > e.capacity() - length) {
            throw new IllegalArgumentException("extent range [" + extentOffset + ", +" + length + ") outside capacity "
                    + e.capacity() + " or unaligned");
        }
        budget.beginOperation("a mapping of " + length + " bytes at 0x" + Long.toHexString(vaddr));
        try {
            mapChecked(vaddr, e, e.fileOffset() + extentOffset, length, prot);
        } finally {
            budget.endOperation();
        }
    }

    private void mapChecked(long vaddr, MemfdPhysicalMemory.Extent e, long fileOffset, long length, int prot) {
        try {
            long got = HostSyscall.mmap(vaddr, length, prot, MemNative.MAP_SHARED | MemNative.MAP_FIXED, e.owner().fd(), fileOffset);
            if (got != vaddr) throw new IllegalStateException("MAP_FIXED mapping moved to 0x" + Long.toHexString(got));
        } catch (HostCallException ex) {
            MemoryLimitException failure = new MemoryLimitException("host refused to map " + length + " bytes at 0x"
                    + Long.toHexString(vaddr) + " (" + ex.getMessage() + "; " + budget.used() + " guest mappings held)", ex);
            // A failed MAP_FIXED may have removed what was there: make the range a reserved hole again.
            // If even that fails, the host refused before changing anything (map count), so the table still holds.
            try {
                reserve(vaddr, length);
                update(vaddr, vaddr + length, null);
            } catch (HostCallException again) {
                failure.addSuppressed(again);
            }
            throw failure;
        }
        update(vaddr, vaddr + length, new Region(vaddr, vaddr + length, prot, e, fileOffset));
    }

    @Override
    public synchronized void protect(long vaddr, long length, int prot) {
        checkRange(vaddr, length);
        checkProt(prot);
        long end = vaddr + length;
        List<Region> covered = new ArrayList<>();
        long at = vaddr;
        Map.Entry<Long, Region> first = regions.floorEntry(vaddr);
        if (first != null && first.getValue().end() > vaddr) covered.add(first.getValue());
        covered.addAll(regions.subMap(vaddr, false, end, false).values());
        for (Region r : covered) {
            if (r.start() > at) break;
            at = r.end();
        }
        if (at < end) {
            throw new IllegalArgumentException("protect of [0x" + Long.toHexString(vaddr) + ", 0x" + Long.toHexString(end)
                    + ") covers unmapped addresses from 0x" + Long.toHexString(at));
        }
        budget.beginOperation("a protection change at 0x" + Long.toHexString(vaddr));
        try {
            protectChecked(vaddr, length, prot, covered);
        } finally {
            budget.endOperation();
        }
    }

    private void protectChecked(long vaddr, long length, int prot, List<Region> covered) {
        long end = vaddr + length;
        try {
            HostSyscall.mprotect(vaddr, length, prot);
        } catch (HostCallException ex) {
            throw new MemoryLimitException("host refused to change protection of " + length + " bytes at 0x"
                    + Long.toHexString(vaddr) + " (" + ex.getMessage() + "; " + budget.used() + " guest mappings held)", ex);
        }
        long[] window = window(vaddr, end);
        long before = count(window);
        for (Region r : covered) {
            regions.remove(r.start());
            if (r.start() < vaddr) regions.put(r.start(), r.slice(r.start(), vaddr));
            if (r.end() > end) regions.put(end, r.slice(end, r.end()));
            long s = Math.max(r.start(), vaddr);
            regions.put(s, r.slice(s, Math.min(r.end(), end)).withProt(prot));
        }
        account(count(window) - before);
    }

    /** Never refused by the mapping budget: giving mappings back must always work. */
    @Override
    public synchronized void unmap(long vaddr, long length) {
        checkRange(vaddr, length);
        Map.Entry<Long, Region> below = regions.floorEntry(vaddr);
        boolean mapped = (below != null && below.getValue().end() > vaddr)
                || !regions.subMap(vaddr, vaddr + length).isEmpty();
        if (!mapped) return;
        try {
            reserve(vaddr, length);
        } catch (HostCallException ex) {
            throw new MemoryLimitException("host refused to unmap " + length + " bytes at 0x" + Long.toHexString(vaddr)
                    + " (" + ex.getMessage() + "; " + budget.used() + " guest mappings held)", ex);
        }
        update(vaddr, vaddr + length, null);
    }

    /** Reserves the whole slice again (one host call) and returns it to the reservation. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            if (!regions.isEmpty()) {
                reserve(base, size);
                regions.clear();
            }
            account(-hostMappings);
            closed = true;
        }
        reservation.release(this);
    }

    /** Host mappings this slice adds to the reservation now (an upper bound: the host may merge more). */
    public synchronized long hostMappings() {
        return hostMappings;
    }

    /** {@link #hostMappings} computed from scratch (checks the incremental count in tests). */
    synchronized long recountHostMappings() {
        return regions.isEmpty() ? 0 : count(new long[] {Long.MIN_VALUE, Long.MAX_VALUE}) - 1;
    }

    /** Number of mapped regions the slice tracks. */
    public synchronized int regionCount() {
        return regions.size();
    }

    private void checkRange(long vaddr, long length) {
        if (closed) throw new IllegalStateException("address space closed");
        if (vaddr % PAGE != 0 || length % PAGE != 0 || length <= 0) {
            throw new IllegalArgumentException("range 0x" + Long.toHexString(vaddr) + " +" + length + " not page aligned or empty");
        }
        if (vaddr < base || length > size || vaddr - base > size - length) {
            throw new IllegalArgumentException("range 0x" + Long.toHexString(vaddr) + " +" + length + " outside address space [0x"
                    + Long.toHexString(base) + ", 0x" + Long.toHexString(base + size) + ")");
        }
    }

    private static void checkProt(int prot) {
        if ((prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)) != 0) {
            throw new IllegalArgumentException("unknown protection bits 0x" + Integer.toHexString(prot));
        }
    }

    private static void reserve(long vaddr, long length) {
        HostSyscall.mmap(vaddr, length, MemNative.PROT_NONE,
                MemNative.MAP_PRIVATE | MemNative.MAP_ANONYMOUS | MemNative.MAP_NORESERVE | MemNative.MAP_FIXED, -1, 0);
    }

    /** Replaces whatever the table holds in {@code [start, end)} by {@code region} (or nothing). */
    private void update(long start, long end, Region region) {
        long[] window = window(start, end);
        long before = count(window);
        Map.Entry<Long, Region> below = regions.floorEntry(start);
        if (below != null && below.getValue().end() > start) {
            Region r = below.getValue();
            regions.put(r.start(), r.slice(r.start(), start));
            if (r.end() > end) regions.put(end, r.slice(end, r.end()));
        }
        for (Region r : List.copyOf(regions.subMap(start, end).values())) {
            regions.remove(r.start());
            if (r.end() > end) regions.put(end, r.slice(end, r.end()));
        }
        if (region != null) regions.put(start, region);
        account(count(window) - before);
    }

    /**
     * Keys of the regions whose count can change when {@code [start, end)} changes: from the region
     * containing {@code start} to the first region starting at or after {@code end}. Taken before
     * the change and used for both sums (see {@link #count}).
     */
    private long[] window(long start, long end) {
        Map.Entry<Long, Region> below = regions.floorEntry(start);
        long from = below != null && below.getValue().end() > start ? below.getKey() : start;
        Long next = regions.ceilingKey(end);
        return new long[] {from, next == null ? Long.MAX_VALUE : next};
    }

    /**
     * Host mappings of the slice, as regions + gaps. Each region counts one, plus one for the gap
     * before it; the first region always counts that gap (what lies below the slice may be a gap
     * its mapping splits off), and the top always counts one for the same reason. So the sum over
     * all slices, plus one for the reservation, bounds the host's count from above, exactly when no
     * region touches a slice edge. Summed over the {@link #window} (the top only if the window is
     * open-ended), the difference before and after a change is the change of the total.
     */
    private long count(long[] window) {
        long n = 0;
        for (Region r : regions.subMap(window[0], true, window[1], true).values()) {
            Map.Entry<Long, Region> prev = regions.lowerEntry(r.start());
            n += prev == null || prev.getValue().end() < r.start() ? 2 : 1;
        }
        if (window[1] == Long.MAX_VALUE) n += 1;
        return n;
    }

    private void account(long delta) {
        hostMappings += delta;
        budget.add(delta);
    }
}
