package dev.zjvm.object.task;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.KernelObject;

/** A job, process or thread: something {@code zx_task_kill} can end. */
public abstract sealed class Task extends KernelObject permits Job, Process, Thread {
    /** {@code ZX_TASK_RETCODE_SYSCALL_KILL}: return code of a task ended by zx_task_kill. */
    public static final long RETCODE_SYSCALL_KILL = -1024;
    public static final long RETCODE_OOM_KILL = -1025;
    public static final long RETCODE_POLICY_KILL = -1026;
    public static final long RETCODE_VDSO_KILL = -1027;
    public static final long RETCODE_EXCEPTION_KILL = -1028;
    public static final long RETCODE_CRITICAL_PROCESS_KILL = -1029;

    Task(Kernel kernel) {
        super(kernel);
    }

    /**
     * Asynchronously ends the task and everything below it. Blocked threads are woken; the task
     * asserts ZX_TASK_TERMINATED once every part of it is gone. Idempotent.
     */
    public abstract void kill();

    /** True once the task is fully dead (TERMINATED asserted). */
    public abstract boolean isDead();
}
