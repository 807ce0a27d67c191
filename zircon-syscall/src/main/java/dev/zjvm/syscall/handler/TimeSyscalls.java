package dev.zjvm.syscall.handler;

import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.dev.ResourceKind;
import dev.zjvm.object.task.JobPolicy;
import dev.zjvm.object.task.ThreadState;
import dev.zjvm.object.task.Waiter;
import dev.zjvm.object.time.UtcClock;
import dev.zjvm.syscall.dispatch.Support;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** nanosleep, clock_get, clock_adjust, clock_get_monotonic_via_kernel, ticks_get_via_kernel. */
public final class TimeSyscalls implements SyscallFamily {
    static final int CLOCK_MONOTONIC = 0;
    static final int CLOCK_UTC = 1;
    static final int CLOCK_THREAD = 2;

    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("nanosleep", (c, deadline, a1, a2, a3, a4, a5, a6, a7) -> nanosleep(c, deadline));
        r.register("clock_get", (c, id, out, a2, a3, a4, a5, a6, a7) -> clockGet(c, id, out));
        r.register("clock_adjust", (c, h, id, offset, a3, a4, a5, a6, a7) -> clockAdjust(c, h, id, offset));
        r.register("clock_get_monotonic_via_kernel", (c, a0, a1, a2, a3, a4, a5, a6, a7) -> c.kernel().clock().nowNanos());
        r.register("ticks_get_via_kernel", (c, a0, a1, a2, a3, a4, a5, a6, a7) -> c.kernel().clock().ticks());
    }

    static long nanosleep(SyscallContext c, long deadline) {
        if (deadline <= 0) {
            java.lang.Thread.yield();
            return ZxStatus.OK;
        }
        // Nobody wakes this waiter: only the deadline or a kill ends the sleep.
        int status = new Waiter().await(c.blocker(), ThreadState.BLOCKED_SLEEPING, c.kernel().clock(),
                withJobSlack(c, deadline));
        return status == ZxStatus.ERR_TIMED_OUT ? ZxStatus.OK : status;
    }

    /**
     * Where in the window the job's timer-slack policy allows a sleep ends: EARLY at the earliest
     * edge, LATE at the latest, CENTER at the deadline itself (saturating at INFINITE).
     */
    static long withJobSlack(SyscallContext c, long deadline) {
        JobPolicy policy = c.process().job().policy();
        long slack = policy.minSlack();
        if (slack <= 0 || deadline == Long.MAX_VALUE) return deadline;
        return switch (policy.slackMode()) {
            case JobPolicy.SLACK_EARLY -> deadline - Math.min(slack, deadline);
            case JobPolicy.SLACK_LATE -> deadline > Long.MAX_VALUE - slack ? Long.MAX_VALUE : deadline + slack;
            default -> deadline;
        };
    }

    static long clockGet(SyscallContext c, long id, long out) {
        long value = switch ((int) id) {
            case CLOCK_MONOTONIC -> c.kernel().clock().nowNanos();
            case CLOCK_UTC -> UtcClock.of(c.kernel()).at(c.kernel().clock().nowNanos());
            case CLOCK_THREAD -> threadCpuTime();
            default -> throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "unknown clock id");
        };
        c.memory().writeU64(out, value);
        return ZxStatus.OK;
    }

    /** CPU time of the calling Java thread, which runs the guest thread making the call. */
    private static long threadCpuTime() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long t = mx.isCurrentThreadCpuTimeSupported() ? mx.getCurrentThreadCpuTime() : -1;
        if (t < 0) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED, "host has no thread CPU time");
        return t;
    }

    static long clockAdjust(SyscallContext c, long handle, long id, long offset) {
        ResourceChecks.require(c, handle, ResourceKind.ROOT);
        switch ((int) id) {
            case CLOCK_MONOTONIC -> throw new ZxException(ZxStatus.ERR_ACCESS_DENIED, "monotonic cannot be adjusted");
            case CLOCK_UTC -> UtcClock.of(c.kernel()).setOffset(offset);
            default -> throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        }
        return ZxStatus.OK;
    }
}
