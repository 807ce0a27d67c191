package dev.zjvm.syscall.handler;

import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.sched.Profile;
import dev.zjvm.object.sched.ThreadProfiles;
import dev.zjvm.object.task.Job;
import dev.zjvm.object.task.Thread;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;

/**
 * profile_create, object_set_profile. A profile's priority becomes the host thread's nice value,
 * deadline parameters SCHED_DEADLINE, its CPU mask the host thread's affinity (see {@link
 * dev.zjvm.object.task.ThreadSchedule}).
 */
public final class ProfileSyscalls implements SyscallFamily {
    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("profile_create", (c, job, options, info, out, a4, a5, a6, a7) -> create(c, job, options, info, out));
        r.register("object_set_profile", (c, thread, profile, options, a3, a4, a5, a6, a7) -> setProfile(c, thread, profile, options));
    }

    static long create(SyscallContext c, long rootJob, long options, long infoPtr, long out) {
        Job job = c.get(rootJob, Job.class, Rights.MANAGE_PROCESS);
        if (job.parent() != null) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED, "not the root job");
        if ((int) options != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        Profile.Info info = Profile.Info.decode(c.memory().readBytes(infoPtr, Profile.INFO_SIZE));
        c.installHandle(out, Handle.createDefault(Profile.create(c.kernel(), info)));
        return ZxStatus.OK;
    }

    static long setProfile(SyscallContext c, long threadHandle, long profileHandle, long options) {
        Thread thread = c.get(threadHandle, Thread.class, Rights.MANAGE_THREAD);
        Profile profile = c.get(profileHandle, Profile.class, Rights.APPLY_PROFILE);
        if ((int) options != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        thread.updateSchedule(profile::applyTo); // BAD_STATE unless started and not dying
        ThreadProfiles.of(c.kernel()).apply(thread, profile);
        return ZxStatus.OK;
    }
}
