package dev.zjvm.hal.host;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Scheduling of one host thread of this process, by TID: its policy (fair with a nice value, or
 * SCHED_DEADLINE) and its CPU affinity. Every change is checked by Linux; a change that fails
 * partway is rolled back, so a thread is never left half-configured.
 */
public final class HostScheduling {
    private static final int SCHED_OTHER = 0;
    private static final int SCHED_DEADLINE = 6;
    /** {@code SCHED_ATTR_SIZE_VER0}: size, policy, flags, nice, priority, runtime, deadline, period. */
    private static final int ATTR_SIZE = 48;
    /** {@code sizeof(cpu_set_t)} in glibc: 1024 CPUs. */
    private static final int CPU_SET_BYTES = 128;
    public static final int NICE_MIN = -20;
    public static final int NICE_MAX = 19;

    /**
     * A thread's policy: fair ({@code runtime == 0}) with {@code nice}, or SCHED_DEADLINE with
     * {@code runtime <= deadline <= period} nanoseconds.
     */
    public record Policy(int nice, long runtime, long deadline, long period) {
        public static Policy fair(int nice) {
            return new Policy(Math.max(NICE_MIN, Math.min(NICE_MAX, nice)), 0, 0, 0);
        }

        public static Policy deadline(long runtime, long deadline, long period) {
            return new Policy(0, runtime, deadline, period);
        }

        public boolean isDeadline() {
            return runtime != 0;
        }
    }

    /** What a thread had before a change, to put back. */
    public record Saved(Policy policy, int[] cpus) {}

    private HostScheduling() {}

    /** The current policy and affinity of {@code tid}, or null if they cannot be read. */
    public static Saved save(int tid) {
        Policy p = policy(tid);
        int[] cpus = affinity(tid);
        return p == null || cpus == null ? null : new Saved(p, cpus);
    }

    /**
     * Gives {@code tid} the affinity {@code cpus} (host CPU numbers; null keeps it) and then
     * {@code policy} (null keeps it). On failure everything is put back as it was.
     *
     * @return true if both were applied
     */
    public static boolean apply(int tid, Policy policy, int[] cpus) {
        Saved before = save(tid);
        if (before == null) return false;
        // Affinity first: Linux refuses SCHED_DEADLINE for a thread restricted to some CPUs.
        boolean ok = (cpus == null || setAffinity(tid, cpus)) && (policy == null || setPolicy(tid, policy));
        if (!ok) restore(tid, before);
        return ok;
    }

    /** Puts back what {@link #save} read. */
    public static void restore(int tid, Saved saved) {
        // Policy first: a SCHED_DEADLINE thread cannot have its affinity narrowed.
        if (!setPolicy(tid, saved.policy()) && saved.policy().isDeadline()) setPolicy(tid, Policy.fair(0));
        setAffinity(tid, saved.cpus());
    }

    /** The policy of {@code tid}, or null if it cannot be read. Real-time policies read as fair. */
    public static Policy policy(int tid) {
        if (tid <= 0) return null;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate(ATTR_SIZE, 8);
            long rc = HostSyscall.call(HostSyscall.SCHED_GETATTR, tid, a.address(), ATTR_SIZE, 0L);
            if (rc != 0) return null;
            int policy = a.get(ValueLayout.JAVA_INT, 4);
            if (policy == SCHED_DEADLINE) {
                return Policy.deadline(a.get(ValueLayout.JAVA_LONG, 24), a.get(ValueLayout.JAVA_LONG, 32),
                        a.get(ValueLayout.JAVA_LONG, 40));
            }
            return Policy.fair(a.get(ValueLayout.JAVA_INT, 16));
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Sets {@code policy} on {@code tid}; false if Linux refuses it. */
    public static boolean setPolicy(int tid, Policy policy) {
        if (tid <= 0) return false; // 0 would mean the caller
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate(ATTR_SIZE, 8);
            a.set(ValueLayout.JAVA_INT, 0, ATTR_SIZE);
            a.set(ValueLayout.JAVA_INT, 4, policy.isDeadline() ? SCHED_DEADLINE : SCHED_OTHER);
            a.set(ValueLayout.JAVA_INT, 16, policy.isDeadline() ? 0 : policy.nice());
            a.set(ValueLayout.JAVA_LONG, 24, policy.runtime());
            a.set(ValueLayout.JAVA_LONG, 32, policy.deadline());
            a.set(ValueLayout.JAVA_LONG, 40, policy.period());
            return HostSyscall.call(HostSyscall.SCHED_SETATTR, tid, a.address(), 0L) == 0;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** The host CPUs {@code tid} may run on, ascending, or null if they cannot be read. */
    public static int[] affinity(int tid) {
        if (tid <= 0) return null;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment set = arena.allocate(CPU_SET_BYTES, 8);
            if (HostSyscall.failed(HostSyscall.call(HostSyscall.SCHED_GETAFFINITY, tid, CPU_SET_BYTES, set.address()))) return null;
            int n = 0;
            int[] cpus = new int[CPU_SET_BYTES * 8];
            for (int cpu = 0; cpu < cpus.length; cpu++) {
                if ((set.get(ValueLayout.JAVA_BYTE, cpu / 8) & (1 << (cpu % 8))) != 0) cpus[n++] = cpu;
            }
            return java.util.Arrays.copyOf(cpus, n);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Restricts {@code tid} to {@code cpus}; false if the set is empty or Linux refuses it. */
    public static boolean setAffinity(int tid, int[] cpus) {
        if (tid <= 0 || cpus.length == 0) return false;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment set = arena.allocate(CPU_SET_BYTES, 8);
            for (int cpu : cpus) {
                if (cpu < 0 || cpu >= CPU_SET_BYTES * 8) return false;
                set.set(ValueLayout.JAVA_BYTE, cpu / 8, (byte) (set.get(ValueLayout.JAVA_BYTE, cpu / 8) | (1 << (cpu % 8))));
            }
            return HostSyscall.call(HostSyscall.SCHED_SETAFFINITY, tid, CPU_SET_BYTES, set.address()) == 0;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
