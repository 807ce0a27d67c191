package dev.zjvm.syscall.handler;

import dev.zjvm.object.ZxException;

import dev.zjvm.object.task.JobPolicy;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.ipc.Timer;
import dev.zjvm.syscall.dispatch.Support;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;

/** timer_create/set/cancel (syscalls.md "Time, clocks and timers"). */
public final class TimerSyscalls implements SyscallFamily {
    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("timer_create", (c, options, clock, out, a3, a4, a5, a6, a7) -> create(c, options, clock, out));
        r.register("timer_set", (c, h, deadline, slack, a3, a4, a5, a6, a7) -> set(c, h, deadline, slack));
        r.register("timer_cancel", (c, h, a1, a2, a3, a4, a5, a6, a7) -> cancel(c, h));
    }

    static long create(SyscallContext c, long options, long clockId, long out) {
        c.process().enforcePolicy(JobPolicy.NEW_TIMER, c.thread());
        Timer t = Timer.create(c.kernel(), (int) options, (int) clockId);
        c.installHandle(out, Handle.createDefault(t));
        return ZxStatus.OK;
    }

    static long set(SyscallContext c, long handle, long deadline, long slack) {
        Timer timer = c.get(handle, Timer.class, Rights.WRITE);
        // The job's timer-slack policy sets a floor under the slack the caller asks for (a negative
        // request stays negative so Timer.set reports OUT_OF_RANGE).
        timer.set(deadline, slack < 0 ? slack : Math.max(slack, c.process().job().policy().minSlack()));
        return ZxStatus.OK;
    }

    static long cancel(SyscallContext c, long handle) {
        c.get(handle, Timer.class, Rights.WRITE).cancel();
        return ZxStatus.OK;
    }
}
