package dev.zjvm.syscall.handler;

import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.task.Job;
import dev.zjvm.object.task.JobPolicy;
import dev.zjvm.object.task.Process;
import dev.zjvm.object.task.Thread;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;

/** process_create, process_start, process_exit (read/write_memory live with the VM calls). */
public final class ProcessSyscalls implements SyscallFamily {
    /** Rights of the root VMAR handle returned by process_create (syscalls.md). */
    static final int ROOT_VMAR_RIGHTS = 0x801f;

    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("process_create", (c, job, name, nameSize, options, procOut, vmarOut, a6, a7) ->
                        create(c, job, name, nameSize, options, procOut, vmarOut));
        r.register("process_start", (c, p, t, entry, stack, arg1, arg2, a6, a7) ->
                start(c, p, t, entry, stack, arg1, arg2));
        r.register("process_exit", (c, code, a1, a2, a3, a4, a5, a6, a7) -> exit(c, code));
    }

    static long create(SyscallContext c, long job, long name, long nameSize, long options, long procOut,
            long vmarOut) {
        Job j = TaskSyscalls.jobWith(c, job, Rights.MANAGE_PROCESS);
        if ((int) options != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        c.process().enforcePolicy(JobPolicy.NEW_PROCESS, c.thread());
        Process p = j.createProcess(TaskSyscalls.readName(c, name, nameSize));
        int pv = c.installHandle(procOut, Handle.createDefault(p));
        try {
            c.installHandle(vmarOut, Handle.create(p.addressSpace().rootVmar(), ROOT_VMAR_RIGHTS));
        } catch (ZxException e) {
            TaskSyscalls.closeQuietly(c, pv); // the unstarted process dies with its last handle
            throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        }
        return ZxStatus.OK;
    }

    static long start(SyscallContext c, long process, long thread, long entry, long stack, long arg1, long arg2) {
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

    static long exit(SyscallContext c, long code) {
        c.process().exit(code);
        return ZxStatus.OK; // never seen: the dispatcher ends the dying caller
    }
}
