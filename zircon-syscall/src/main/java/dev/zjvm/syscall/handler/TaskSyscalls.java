package dev.zjvm.syscall.handler;

import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.task.Job;
import dev.zjvm.object.task.JobPolicy;
import dev.zjvm.object.task.Process;
import dev.zjvm.object.task.Task;
import dev.zjvm.object.task.Thread;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;

/** task_kill, task_suspend, task_suspend_token, task_create_exception_channel. */
public final class TaskSyscalls implements SyscallFamily {
    /** {@code ZX_EXCEPTION_CHANNEL_DEBUGGER}. */
    static final int EXCEPTION_CHANNEL_DEBUGGER = 1;
    private static final int CHANNEL_RIGHTS = Rights.INSPECT | Rights.DUPLICATE | Rights.TRANSFER | Rights.MANAGE_THREAD;

    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("task_kill", (c, h, a1, a2, a3, a4, a5, a6, a7) -> kill(c, h));
        r.register("task_suspend", (c, h, out, a2, a3, a4, a5, a6, a7) -> suspend(c, h, out));
        r.register("task_suspend_token", (c, h, out, a2, a3, a4, a5, a6, a7) -> suspend(c, h, out));
        r.register("task_create_exception_channel", (c, h, options, out, a3, a4, a5, a6, a7) ->
                createExceptionChannel(c, h, options, out));
    }

    static long kill(SyscallContext c, long handle) {
        c.get(handle, Task.class, Rights.DESTROY).kill();
        return ZxStatus.OK; // a caller that killed itself never sees it: the dispatcher ends it
    }

    static long suspend(SyscallContext c, long handle, long out) {
        Handle h = c.handles().handle((int) handle);
        if (!(h.object() instanceof Thread) && !(h.object() instanceof Process)) {
            throw new ZxException(ZxStatus.ERR_WRONG_TYPE);
        }
        if (!h.hasRights(Rights.WRITE)) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED);
        Task task = (Task) h.object();
        // A thread cannot stop itself at its own syscall boundary and still return the token.
        if (task == c.thread() || task == c.process()) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
        c.installHandle(out, Handle.createDefault(task.suspend())); // a failed copy-out closes it: resumed
        return ZxStatus.OK;
    }

    static long createExceptionChannel(SyscallContext c, long handle, long optionsArg, long out) {
        int options = (int) optionsArg;
        if ((options & ~EXCEPTION_CHANNEL_DEBUGGER) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        Handle h = c.handles().handle((int) handle, Task.class, Rights.NONE);
        Task task = (Task) h.object();
        int required = task instanceof Thread ? CHANNEL_RIGHTS : CHANNEL_RIGHTS | Rights.ENUMERATE;
        if (!h.hasRights(required)) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED);
        boolean debugger = options == EXCEPTION_CHANNEL_DEBUGGER;
        if (debugger && task instanceof Thread) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        c.process().enforcePolicy(JobPolicy.NEW_CHANNEL, c.thread());
        // What exception_get_thread/get_process hand out: the channel creator's rights on its
        // own task, type defaults for the tasks below it, nothing above a thread channel.
        int threadRights;
        int processRights;
        if (task instanceof Thread) {
            threadRights = h.rights();
            processRights = 0;
        } else if (task instanceof Process) {
            threadRights = ObjectType.THREAD.defaultRights();
            processRights = h.rights();
        } else {
            threadRights = ObjectType.THREAD.defaultRights();
            processRights = ObjectType.PROCESS.defaultRights();
        }
        if (task.isDead()) throw new ZxException(ZxStatus.ERR_BAD_STATE);
        Handle user = task.exceptionate(debugger).bind(c.kernel(), threadRights, processRights);
        c.installHandle(out, user);
        return ZxStatus.OK;
    }

    /** {@code zx_thread_exit} for composite calls of other families (the vDSO's unmap-close-exit). */
    static long threadExit(SyscallContext c) {
        return ThreadSyscalls.exit(c);
    }

    /** The 2020 kernel accepts WRITE where MANAGE_JOB/MANAGE_PROCESS is required. */
    static Job jobWith(SyscallContext c, long handle, int right) {
        Handle h = c.handles().handle((int) handle, Job.class, Rights.NONE);
        if (!h.hasRights(right) && !h.hasRights(Rights.WRITE)) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED);
        return (Job) h.object();
    }

    /** Reads a name argument: at most {@code ZX_MAX_NAME_LEN - 1} bytes are used. */
    static byte[] readName(SyscallContext c, long ptr, long size) {
        if (size < 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        return c.memory().readBytes(ptr, Math.min(size, KernelObject.MAX_NAME_LEN - 1));
    }

    static void closeQuietly(SyscallContext c, int value) {
        try {
            c.handles().close(value);
        } catch (ZxException ignored) {
            // closed concurrently by another thread of the caller
        }
    }
}
