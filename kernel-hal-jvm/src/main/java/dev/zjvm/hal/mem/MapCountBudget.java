package dev.zjvm.hal.mem;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many host mappings guest address spaces may hold, shared by all slices of one reservation.
 * Refusing at this budget, well below {@code vm.max_map_count}, leaves the JVM room for its own
 * mappings (thread stacks, code cache, GC) so it never fails an mmap of its own because of guests.
 */
final class MapCountBudget {
    /** At most this many new host mappings come from one map/protect/unmap (a split in the middle). */
    static final int WORST_CASE_PER_CALL = 2;

    private final long maxMapCount;
    private final long budget;
    private final AtomicLong used = new AtomicLong();

    MapCountBudget(long maxMapCount, long budget) {
        if (budget <= 0) throw new IllegalArgumentException("mapping budget must be positive");
        this.maxMapCount = maxMapCount;
        this.budget = budget;
    }

    /**
     * The default: the host limit minus what the process holds now, minus a quarter of the host
     * limit (at least 4096) of headroom for the JVM's later growth.
     */
    static MapCountBudget forHost() {
        long max = ProcMaps.maxMapCount();
        long headroom = Math.max(4096, max / 4);
        long held = ProcMaps.count();
        long budget = max - held - headroom;
        if (budget < 64) {
            throw new MemoryLimitException("too few host mappings left for guests: vm.max_map_count is " + max
                    + " and the process already holds " + held + "; raise vm.max_map_count");
        }
        return new MapCountBudget(max, budget);
    }

    /**
     * Sets aside room for one operation before its host call, or refuses it. Atomic, so threads
     * working on different slices cannot pass the budget together. Pair with {@link #endOperation}
     * once the operation's real change has been {@link #add}ed.
     */
    void beginOperation(String operation) {
        while (true) {
            long now = used.get();
            if (now + WORST_CASE_PER_CALL > budget) {
                throw new MemoryLimitException("host mapping budget exhausted: guest address spaces hold " + now
                        + " of " + budget + " allowed host mappings (vm.max_map_count is " + maxMapCount
                        + "); refusing " + operation);
            }
            if (used.compareAndSet(now, now + WORST_CASE_PER_CALL)) return;
        }
    }

    void endOperation() {
        used.addAndGet(-WORST_CASE_PER_CALL);
    }

    void add(long delta) {
        used.addAndGet(delta);
    }

    long used() {
        return used.get();
    }

    long budget() {
        return budget;
    }

    long maxMapCount() {
        return maxMapCount;
    }
}
