package dev.zjvm.syscall.handler;

import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.task.Job;
import dev.zjvm.object.task.JobPolicy;
import dev.zjvm.object.task.Process;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;
import dev.zjvm.syscall.user.UserMemory;
import java.util.ArrayList;
import java.util.List;

/** job_create, job_set_policy, job_set_critical. */
public final class JobSyscalls implements SyscallFamily {
    static final int POL_RELATIVE = 0;
    static final int POL_ABSOLUTE = 1;
    static final int POL_BASIC_V1 = 0;
    static final int POL_BASIC_V2 = 0x0100_0000;
    static final int POL_TIMER_SLACK = 1;
    static final int CRITICAL_PROCESS_RETCODE_NONZERO = 1;

    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("job_create", (c, parent, options, out, a3, a4, a5, a6, a7) -> create(c, parent, options, out));
        r.register("job_set_policy", (c, h, options, topic, policy, count, a5, a6, a7) ->
                setPolicy(c, h, options, topic, policy, count));
        r.register("job_set_critical", (c, job, options, process, a3, a4, a5, a6, a7) ->
                setCritical(c, job, options, process));
    }

    static long create(SyscallContext c, long parent, long options, long out) {
        Job p = TaskSyscalls.jobWith(c, parent, Rights.MANAGE_JOB);
        if ((int) options != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        c.installHandle(out, Handle.createDefault(p.createChild())); // the child inherits p's policy
        return ZxStatus.OK;
    }

    static long setPolicy(SyscallContext c, long handle, long optionsArg, long topicArg, long policy, long countArg) {
        int options = (int) optionsArg;
        int topic = (int) topicArg;
        long count = Integer.toUnsignedLong((int) countArg);
        if (options != POL_RELATIVE && options != POL_ABSOLUTE) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        Job job = c.get(handle, Job.class, Rights.SET_POLICY);
        boolean absolute = options == POL_ABSOLUTE;
        switch (topic) {
            case POL_BASIC_V1, POL_BASIC_V2 -> {
                if (count == 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
                if (count > JobPolicy.MAX) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE);
                boolean v2 = topic == POL_BASIC_V2;
                int size = v2 ? 12 : 8;
                byte[] raw = c.memory().readBytes(policy, count * size);
                List<JobPolicy.Entry> entries = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    int cond = (int) UserMemory.I32.get(raw, i * size);
                    int action = (int) UserMemory.I32.get(raw, i * size + 4);
                    // v1 entries cannot be overridden below this job.
                    int flags = v2 ? (int) UserMemory.I32.get(raw, i * size + 8) : JobPolicy.OVERRIDE_DENY;
                    entries.add(new JobPolicy.Entry(cond, action, flags));
                }
                job.updatePolicy(p -> p.withBasic(absolute, entries));
            }
            case POL_TIMER_SLACK -> {
                if (count != 1 || absolute) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
                byte[] raw = c.memory().readBytes(policy, 16);
                long min = (long) UserMemory.I64.get(raw, 0);
                int mode = (int) UserMemory.I32.get(raw, 8);
                job.updatePolicy(p -> p.withTimerSlack(min, mode));
            }
            default -> throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        }
        return ZxStatus.OK;
    }

    static long setCritical(SyscallContext c, long jobHandle, long optionsArg, long processHandle) {
        Job job = c.get(jobHandle, Job.class, Rights.DESTROY);
        Process process = c.get(processHandle, Process.class, Rights.WAIT);
        int options = (int) optionsArg;
        if ((options & ~CRITICAL_PROCESS_RETCODE_NONZERO) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        process.setCriticalTo(job, options == CRITICAL_PROCESS_RETCODE_NONZERO);
        return ZxStatus.OK;
    }
}
