package dev.zjvm.hal.host;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Linux knows about one host thread of this process, by TID: CPU time consumed and the CPU it
 * last ran on. Works for any thread of the process, not only the caller.
 */
public final class HostThreads {
    /** Linux {@code CPUCLOCK_PERTHREAD_MASK | CPUCLOCK_SCHED}: a thread's scheduler run-time clock. */
    private static final int THREAD_SCHED_CLOCK = 4 | 2;

    private HostThreads() {}

    /** The calling thread's Linux TID. */
    public static int currentTid() {
        return Libc.gettid();
    }

    /**
     * Nanoseconds thread {@code tid} of this process has run on a CPU (user and kernel time), or -1
     * if there is no such thread (it has exited).
     */
    public static long cpuTimeNanos(int tid) {
        if (tid <= 0 || tid >= 1 << 28) return -1; // 0 would mean the caller; larger ones do not encode
        // The kernel's encoding of a per-thread CPU clock id (what pthread_getcpuclockid builds).
        int clock = (~tid << 3) | THREAD_SCHED_CLOCK;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ts = arena.allocate(16, 8);
            long rc = HostSyscall.call(HostSyscall.CLOCK_GETTIME, clock, ts.address());
            if (rc != 0) return -1;
            return ts.get(ValueLayout.JAVA_LONG, 0) * 1_000_000_000L + ts.get(ValueLayout.JAVA_LONG, 8);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** The host CPU thread {@code tid} of this process last ran on, or -1 if it has exited. */
    public static int lastCpu(int tid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
        } catch (IOException e) {
            return -1;
        }
        return parseProcessor(stat);
    }

    /**
     * Field 39 ({@code processor}) of a {@code /proc/.../stat} line, or -1 if malformed. Fields are
     * counted after the command name, which is in parentheses and may itself contain spaces.
     */
    static int parseProcessor(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) return -1;
        String[] fields = stat.substring(close + 1).trim().split("\\s+");
        int index = 39 - 3; // fields[0] is field 3 (state)
        if (fields.length <= index) return -1;
        try {
            return Integer.parseInt(fields[index]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
