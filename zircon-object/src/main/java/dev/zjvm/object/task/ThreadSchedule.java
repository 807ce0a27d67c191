package dev.zjvm.object.task;

import dev.zjvm.hal.host.HostScheduling;

/**
 * A thread's scheduling parameters as profiles set them: a fair priority or a deadline, and a
 * soft CPU affinity (bit {@code i} = guest CPU {@code i}, the first word of {@code zx_cpu_set_t}).
 *
 * @param deadline null for a fair thread
 */
public record ThreadSchedule(int priority, Deadline deadline, long cpuMask) {
    /** Zircon's default priority. */
    public static final int DEFAULT_PRIORITY = 16;
    public static final ThreadSchedule DEFAULT = new ThreadSchedule(DEFAULT_PRIORITY, null, -1L);

    /** {@code zx_sched_deadline_params_t}, in nanoseconds. */
    public record Deadline(long capacity, long relativeDeadline, long period) {}

    /** Becomes a fair thread of {@code priority} (Zircon: a priority profile ends a deadline). */
    public ThreadSchedule withPriority(int p) {
        return new ThreadSchedule(p, null, cpuMask);
    }

    public ThreadSchedule withDeadline(Deadline d) {
        return new ThreadSchedule(priority, d, cpuMask);
    }

    public ThreadSchedule withCpuMask(long mask) {
        return new ThreadSchedule(priority, deadline, mask);
    }

    /**
     * The host's nice value for a fair priority: 16 (default) is nice 0, and the 16 steps either
     * way spread over Linux's range (31 → -19, 0 → 19 after clamping).
     */
    public static int niceOf(int priority) {
        int nice = Math.round((DEFAULT_PRIORITY - priority) * 1.25f);
        return Math.max(HostScheduling.NICE_MIN, Math.min(HostScheduling.NICE_MAX, nice));
    }

    /** The host policy: SCHED_DEADLINE with the same parameters, or fair with {@link #niceOf}. */
    public HostScheduling.Policy hostPolicy() {
        return deadline == null ? HostScheduling.Policy.fair(niceOf(priority))
                : HostScheduling.Policy.deadline(deadline.capacity(), deadline.relativeDeadline(), deadline.period());
    }

    /**
     * The host CPUs behind the guest CPUs of the mask; every one of {@code guestCpus} if the mask
     * names none of them (a soft affinity that cannot be met is ignored, as in Zircon).
     */
    public int[] hostCpus(int[] guestCpus) {
        int n = 0;
        int[] out = new int[guestCpus.length];
        for (int i = 0; i < guestCpus.length && i < 64; i++) {
            if ((cpuMask & (1L << i)) != 0) out[n++] = guestCpus[i];
        }
        return n == 0 ? guestCpus.clone() : java.util.Arrays.copyOf(out, n);
    }
}
