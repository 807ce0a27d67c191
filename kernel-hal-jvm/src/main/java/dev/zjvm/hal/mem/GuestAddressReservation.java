package dev.zjvm.hal.mem;

import dev.zjvm.hal.host.HostSyscall;
import dev.zjvm.hal.host.HostCallException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The guest address range: one {@code PROT_NONE}, {@code MAP_NORESERVE} host mapping made once at
 * boot, placed in a free region high in the address space but below the area where glibc and the
 * JVM map (from 0x7f00_0000_0000 up) and far above the Java heap, with a guard gap on both sides.
 * Each guest process gets a slice of it ({@link #carve}) as its root VMAR; closing the slice gives
 * the range back. Holding the whole range from boot means no host mapping can appear inside it, so
 * guest mappings can be placed with {@code MAP_FIXED} safely.
 */
public final class GuestAddressReservation implements AutoCloseable {
    /** Highest address used: the host's mmap area (libraries, JVM regions) starts above it. */
    static final long CEILING = 0x7f00_0000_0000L;
    /** Lowest address used: leaves the low 16 TiB to the Java heap and class space. */
    static final long FLOOR = 0x1000_0000_0000L;
    /** Free distance kept to any existing host mapping. */
    static final long GUARD = 1L << 30;
    private static final long PLACEMENT_ALIGN = 1L << 30;
    /** Slices start on 2 MiB boundaries so huge-page-aligned guest mappings stay possible. */
    static final long SLICE_ALIGN = 2L << 20;
    private static final int PLACEMENT_ATTEMPTS = 4;

    private final long base;
    private final long size;
    private final MapCountBudget budget;
    private final RangeAllocator slices;
    private final Set<NativeAddressSpace> live = new HashSet<>();
    private boolean closed;

    private GuestAddressReservation(long base, long size, MapCountBudget budget) {
        this.base = base;
        this.size = size;
        this.budget = budget;
        this.slices = new RangeAllocator(base, size);
    }

    /** Reserves {@code size} bytes with the default host mapping budget ({@link MapCountBudget#forHost}). */
    public static GuestAddressReservation create(long size) {
        return create(size, MapCountBudget.forHost());
    }

    /** Reserves {@code size} bytes letting guests hold at most {@code mappingBudget} host mappings. */
    public static GuestAddressReservation create(long size, long mappingBudget) {
        return create(size, new MapCountBudget(ProcMaps.maxMapCount(), mappingBudget));
    }

    private static GuestAddressReservation create(long size, MapCountBudget budget) {
        if (size <= 0 || size % PhysicalMemory.PAGE_SIZE != 0) {
            throw new IllegalArgumentException("reservation size must be a positive multiple of the page size");
        }
        for (int attempt = 0; attempt < PLACEMENT_ATTEMPTS; attempt++) {
            long hint = choosePlacement(ProcMaps.read(), size);
            if (hint < 0) {
                throw new MemoryLimitException("cannot reserve " + size + " bytes of guest address space: no free region of "
                        + "that size (plus " + GUARD + "-byte guards) between 0x" + Long.toHexString(FLOOR) + " and 0x"
                        + Long.toHexString(CEILING) + " in /proc/self/maps");
            }
            long got;
            try {
                got = HostSyscall.mmap(hint, size, MemNative.PROT_NONE, MemNative.MAP_PRIVATE | MemNative.MAP_ANONYMOUS
                        | MemNative.MAP_NORESERVE | MemNative.MAP_FIXED_NOREPLACE, -1, 0);
            } catch (HostCallException e) {
                if (e.errno == MemNative.EEXIST) continue; // another thread mapped there meanwhile: look again
                throw new MemoryLimitException("cannot reserve " + size + " bytes of guest address space at 0x"
                        + Long.toHexString(hint) + " (" + e.getMessage() + ")", e);
            }
            if (got != hint) {
                // A kernel older than 4.17 treats MAP_FIXED_NOREPLACE as a plain hint.
                HostSyscall.munmap(got, size);
                throw new MemoryLimitException("host placed the guest reservation at 0x" + Long.toHexString(got)
                        + " instead of 0x" + Long.toHexString(hint) + " (MAP_FIXED_NOREPLACE unsupported?)");
            }
            budget.add(1);
            return new GuestAddressReservation(got, size, budget);
        }
        throw new MemoryLimitException("cannot reserve guest address space: the chosen region kept being taken");
    }

    /**
     * The highest {@code size}-byte range, 1 GiB aligned, in {@code [FLOOR, CEILING)} that keeps
     * {@link #GUARD} from every entry of {@code maps}; -1 if none.
     */
    static long choosePlacement(List<ProcMaps.Entry> maps, long size) {
        long best = -1;
        long gapStart = 0;
        for (int i = 0; i <= maps.size(); i++) {
            long gapEnd = i < maps.size() ? maps.get(i).start() : Long.MAX_VALUE;
            long lo = Math.max(FLOOR, gapStart == 0 ? 0 : gapStart + GUARD);
            long hi = Math.min(CEILING, gapEnd == Long.MAX_VALUE ? gapEnd : gapEnd - GUARD);
            if (hi - lo >= size) {
                long at = ((hi - size) / PLACEMENT_ALIGN) * PLACEMENT_ALIGN;
                if (at >= lo && at > best) best = at;
            }
            if (i < maps.size()) gapStart = Math.max(gapStart, maps.get(i).end());
        }
        return best;
    }

    public long base() {
        return base;
    }

    public long size() {
        return size;
    }

    /**
     * A fresh address space of {@code size} bytes (a process's root VMAR), inaccessible until mapped.
     *
     * @throws MemoryLimitException if the reservation has no free slice that large
     */
    public synchronized NativeAddressSpace carve(long size) {
        if (closed) throw new IllegalStateException("guest address reservation closed");
        if (size <= 0 || size % PhysicalMemory.PAGE_SIZE != 0) {
            throw new IllegalArgumentException("address space size must be a positive multiple of the page size");
        }
        long at = size <= this.size ? slices.allocate(size, SLICE_ALIGN) : -1;
        if (at < 0) {
            throw new MemoryLimitException("guest address reservation full: " + slices.allocatedBytes() + " of "
                    + this.size + " bytes given to address spaces, " + size + " more requested");
        }
        NativeAddressSpace space = new NativeAddressSpace(this, at, size, budget);
        live.add(space);
        return space;
    }

    /** Called by a closing slice once its range is reserved again. */
    synchronized void release(NativeAddressSpace space) {
        if (live.remove(space)) slices.release(space.base(), space.size());
    }

    /** Host limits and the HAL's use of them now. */
    public HostLimits hostLimits() {
        return new HostLimits(budget.maxMapCount(), budget.budget(), budget.used(), ProcMaps.count(),
                MemNative.softLimit(MemNative.RLIMIT_NOFILE));
    }

    /** Closes every live slice and gives the whole range back to the host. Idempotent. */
    @Override
    public void close() {
        List<NativeAddressSpace> spaces;
        synchronized (this) {
            if (closed) return;
            closed = true;
            spaces = List.copyOf(live);
        }
        for (NativeAddressSpace s : spaces) s.close();
        HostSyscall.munmap(base, size);
        budget.add(-1);
    }
}
