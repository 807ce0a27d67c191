package dev.zjvm.syscall.handler;

import dev.zjvm.object.KernelObject;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.task.Job;
import dev.zjvm.object.task.Process;
import dev.zjvm.object.task.ProcessAddressSpace;
import dev.zjvm.object.task.Task;
import dev.zjvm.object.task.Thread;
import dev.zjvm.syscall.dispatch.Support;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;

/** task_kill, job_create, process_create/start/exit, thread_create/start/exit. */
public final class TaskSyscalls implements SyscallFamily {
    /** Rights of the root VMAR handle returned by process_create (syscalls.md). */
    static final int ROOT_VMAR_RIGHTS = 0x801f;

    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("task_kill", (c, h, a1, a2, a3, a4, a5, a6, a7) -> kill(c, h));
        r.register("job_create", Support.partial("job policies are not inherited (no policy support yet)"),
                (c, parent, options, out, a3, a4, a5, a6, a7) -> jobCreate(c, parent, options, out));
        r.register("process_create",
                Support.partial("job policy NEW_PROCESS not enforced; root VMAR handle is 0 until the VM code "
                        + "installs ProcessAddressSpace.Factory"),
                (c, job, name, nameSize, options, procOut, vmarOut, a6, a7) ->
                        processCreate(c, job, name, nameSize, options, procOut, vmarOut));
        r.register("process_start", (c, p, t, entry, stack, arg1, arg2, a6, a7) ->
                processStart(c, p, t, entry, stack, arg1, arg2));
        r.register("process_exit", (c, code, a1, a2, a3, a4, a5, a6, a7) -> processExit(c, code));
        r.register("thread_create", (c, p, name, nameSize, options, out, a5, a6, a7) ->
                threadCreate(c, p, name, nameSize, options, out));
        r.register("thread_start", (c, t, entry, stack, arg1, arg2, a5, a6, a7) ->
                threadStart(c, t, entry, stack, arg1, arg2));
        r.register("thread_exit", (c, a0, a1, a2, a3, a4, a5, a6, a7) -> threadExit(c));
    }

    static long kill(SyscallContext c, long handle) {
        c.get(handle, Task.class, Rights.DESTROY).kill();
        return ZxStatus.OK;
    }

    /** The 2020 kernel accepts WRITE where MANAGE_JOB/MANAGE_PROCESS is required. */
    private static Job jobWith(SyscallContext c, long handle, int right) {
        Handle h = c.handles().handle((int) handle, Job.class, Rights.NONE);
        if (!h.hasRights(right) && !h.hasRights(Rights.WRITE)) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED);
        return (Job) h.object();
    }

    static long jobCreate(SyscallContext c, long parent, long options, long out) {
        Job p = jobWith(c, parent, Rights.MANAGE_JOB);
        if ((int) options != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        c.installHandle(out, Handle.createDefault(p.createChild()));
        return ZxStatus.OK;
    }

    /** Reads a name argument: at most {@code ZX_MAX_NAME_LEN - 1} bytes are used. */
    static byte[] readName(SyscallContext c, long ptr, long size) {
        if (size < 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        return c.memory().readBytes(ptr, Math.min(size, KernelObject.MAX_NAME_LEN - 1));
    }

    static long processCreate(SyscallContext c, long job, long name, long nameSize, long options, long procOut,
            long vmarOut) {
        Job j = jobWith(c, job, Rights.MANAGE_PROCESS);
        if ((int) options != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        Process p = j.createProcess(readName(c, name, nameSize));
        int pv = c.installHandle(procOut, Handle.createDefault(p));
        try {
            ProcessAddressSpace as = p.addressSpace();
            if (as != null) c.installHandle(vmarOut, Handle.create(as.rootVmar(), ROOT_VMAR_RIGHTS));
            else c.memory().writeU32(vmarOut, 0);
        } catch (ZxException e) {
            closeQuietly(c, pv); // the unstarted process dies with its last handle
            throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        }
        return ZxStatus.OK;
    }

    static long processStart(SyscallContext c, long process, long thread, long entry, long stack, long arg1,
            long arg2) {
        // arg1 leaves the caller first, so every later error still consumes it (as in Zircon).
        Handle arg = null;
        if ((int) arg1 != 0) {
            arg = c.handles().remove((int) arg1);
            if (!arg.hasRights(Rights.TRANSFER)) {
                arg.destroy();
                throw new ZxException(ZxStatus.ERR_ACCESS_DENIED);
            }
        }
        Process p;
        Thread t;
        try {
            p = c.get(process, Process.class, Rights.WRITE);
            t = c.get(thread, Thread.class, Rights.WRITE);
        } catch (ZxException e) {
            if (arg != null) arg.destroy();
            throw e;
        }
        p.start(t, entry, stack, arg, arg2);
        return ZxStatus.OK;
    }

    static long processExit(SyscallContext c, long code) {
        c.process().exit(code);
        return ZxStatus.OK; // never seen: the dispatcher ends the dying caller
    }

    static long threadCreate(SyscallContext c, long process, long name, long nameSize, long options, long out) {
        Process p = c.get(process, Process.class, Rights.MANAGE_THREAD);
        if ((int) options != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        Thread t = p.createThread(readName(c, name, nameSize));
        c.installHandle(out, Handle.createDefault(t));
        return ZxStatus.OK;
    }

    static long threadStart(SyscallContext c, long thread, long entry, long stack, long arg1, long arg2) {
        c.get(thread, Thread.class, Rights.MANAGE_THREAD).start(entry, stack, arg1, arg2);
        return ZxStatus.OK;
    }

    static long threadExit(SyscallContext c) {
        Thread self = c.thread();
        if (self == null) throw new ZxException(ZxStatus.ERR_BAD_STATE);
        self.exit();
        return ZxStatus.OK; // never seen by the guest
    }

    private static void closeQuietly(SyscallContext c, int value) {
        try {
            c.handles().close(value);
        } catch (ZxException ignored) {
            // closed concurrently by another thread of the caller
        }
    }
}
