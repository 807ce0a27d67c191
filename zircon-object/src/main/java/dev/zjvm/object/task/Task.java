package dev.zjvm.object.task;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.exception.ChannelType;
import dev.zjvm.object.exception.Exceptionate;

/**
 * A job, process or thread: something {@code zx_task_kill} can end and exception channels can be
 * attached to (one normal and, for jobs and processes, one debugger channel).
 */
public abstract sealed class Task extends KernelObject permits Job, Process, Thread {
    /** {@code ZX_TASK_RETCODE_SYSCALL_KILL}: return code of a task ended by zx_task_kill. */
    public static final long RETCODE_SYSCALL_KILL = -1024;
    public static final long RETCODE_OOM_KILL = -1025;
    public static final long RETCODE_POLICY_KILL = -1026;
    public static final long RETCODE_VDSO_KILL = -1027;
    public static final long RETCODE_EXCEPTION_KILL = -1028;
    public static final long RETCODE_CRITICAL_PROCESS_KILL = -1029;

    private final Exceptionate exceptionate;
    private final Exceptionate debugExceptionate;

    /**
     * @param normalChannel   channel type of the normal exception channel
     * @param debuggerChannel channel type of the debugger channel, or {@link ChannelType#NONE}
     */
    Task(Kernel kernel, int normalChannel, int debuggerChannel) {
        super(kernel);
        this.exceptionate = new Exceptionate(normalChannel);
        this.debugExceptionate = debuggerChannel == ChannelType.NONE ? null : new Exceptionate(debuggerChannel);
    }

    /**
     * Asynchronously ends the task and everything below it. Blocked threads are woken; the task
     * asserts ZX_TASK_TERMINATED once every part of it is gone. Idempotent.
     */
    public abstract void kill();

    /** True once the task is fully dead (TERMINATED asserted). */
    public abstract boolean isDead();

    /** The job this task is in (a job's parent; null for the root job). */
    public abstract Job job();

    /**
     * {@code zx_task_suspend}: suspends the thread or every thread of the process until the
     * returned token's last handle is closed.
     *
     * @throws ZxException WRONG_TYPE for jobs, BAD_STATE if the task is dying or dead
     */
    public SuspendToken suspend() {
        throw new ZxException(ZxStatus.ERR_WRONG_TYPE);
    }

    /** A suspend token of this task went away. */
    void resume() {}

    /** The normal exception channel binding. */
    public final Exceptionate exceptionate() {
        return exceptionate;
    }

    /** The debugger exception channel binding, null for threads. */
    public final Exceptionate debugExceptionate() {
        return debugExceptionate;
    }

    /**
     * The exception channel of the given kind.
     *
     * @throws ZxException INVALID_ARGS for a debugger channel on a thread
     */
    public final Exceptionate exceptionate(boolean debugger) {
        if (!debugger) return exceptionate;
        if (debugExceptionate == null) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        return debugExceptionate;
    }

    /** The task died: its exception channels report PEER_CLOSED and accept no new binding. */
    final void shutdownExceptionates() {
        exceptionate.shutdown();
        if (debugExceptionate != null) debugExceptionate.shutdown();
    }
}
