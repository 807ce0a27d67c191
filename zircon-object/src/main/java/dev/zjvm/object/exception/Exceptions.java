package dev.zjvm.object.exception;

import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.task.BlockingContext;
import dev.zjvm.object.task.Job;
import dev.zjvm.object.task.Process;
import dev.zjvm.object.task.Task;
import dev.zjvm.object.task.Thread;
import dev.zjvm.object.task.ThreadState;
import dev.zjvm.object.task.Waiter;
import java.util.ArrayList;
import java.util.List;

/**
 * Raising exceptions: the entry points the thread's runner (launcher, syscall code) calls on the
 * faulting thread's own Java thread. Each call blocks that thread until the exception is resolved.
 *
 * <p>Search order (constants.md §14): process debugger → thread → process → job → parent jobs.
 * Unhandled by all ⇒ the process is killed with {@link Task#RETCODE_EXCEPTION_KILL}.
 */
public final class Exceptions {
    private Exceptions() {}

    /**
     * An architectural or policy exception of {@code thread}; called by its runner (e.g. for a
     * HAL trap: {@code raise(t, new ExceptionReport(trap.kind().zirconExceptionType(),
     * trap.vector(), trap.errorCode(), trap.faultAddress()))}).
     *
     * @return RESUME if a handler marked it handled (resume the guest, re-reading registers a
     *     debugger may have written), KILL otherwise (the runner must go to
     *     {@link Thread#returnToUser()}, which ends the thread)
     */
    public static Resolution raise(Thread thread, ExceptionReport report) {
        if (!thread.isCurrent()) throw new IllegalStateException("raise on a thread's own runner only");
        ExceptionObject ex = new ExceptionObject(thread.kernel(), thread, report.type());
        thread.setException(report);
        try {
            for (Exceptionate e : searchOrder(thread)) {
                Turn t = deliver(thread, ex, e, thread);
                if (t == Turn.HANDLED) return Resolution.RESUME;
                if (t == Turn.KILLED) return Resolution.KILL;
            }
        } finally {
            thread.setException(null);
        }
        if (thread.isDying()) return Resolution.KILL;
        thread.process().exit(Task.RETCODE_EXCEPTION_KILL);
        return Resolution.KILL;
    }

    /** The exceptionates an architectural exception visits, in order. */
    static List<Exceptionate> searchOrder(Thread thread) {
        List<Exceptionate> order = new ArrayList<>();
        Process p = thread.process();
        order.add(p.debugExceptionate());
        order.add(thread.exceptionate());
        order.add(p.exceptionate());
        for (Job j = p.job(); j != null; j = j.parent()) order.add(j.exceptionate());
        return order;
    }

    /**
     * ZX_EXCP_THREAD_STARTING to the process debugger, and for the first thread of a process
     * ZX_EXCP_PROCESS_STARTING to every job debugger from the process's job up. Called by the
     * runner before the first guest instruction; the handlers' verdicts do not matter.
     *
     * @return false if the thread was killed meanwhile
     */
    public static boolean threadStarting(Thread thread) {
        if (!thread.isCurrent()) throw new IllegalStateException("threadStarting on the thread's own runner only");
        if (thread.process().firstThread() == thread) {
            for (Job j = thread.process().job(); j != null; j = j.parent()) {
                if (singleShot(thread, ExceptionType.PROCESS_STARTING, j.debugExceptionate(), thread) == Turn.KILLED) {
                    return false;
                }
            }
        }
        return singleShot(thread, ExceptionType.THREAD_STARTING, thread.process().debugExceptionate(), thread)
                != Turn.KILLED;
    }

    /**
     * ZX_EXCP_THREAD_EXITING to the process debugger; called by {@link Thread#exit()} on the
     * runner. The wait is not killable (the thread is dying already); it ends when the handler
     * closes the exception or the channel.
     */
    public static void threadExiting(Thread thread) {
        singleShot(thread, ExceptionType.THREAD_EXITING, thread.process().debugExceptionate(), BlockingContext.NONE);
    }

    private static Turn singleShot(Thread thread, int type, Exceptionate e, BlockingContext who) {
        if (e == null || !e.isBound()) return Turn.NOT_BOUND;
        ExceptionReport report = ExceptionReport.synthetic(type);
        thread.setException(report);
        try {
            return deliver(thread, new ExceptionObject(thread.kernel(), thread, type), e, who);
        } finally {
            thread.setException(null);
        }
    }

    private enum Turn { NOT_BOUND, TRY_NEXT, HANDLED, KILLED }

    private static Turn deliver(Thread thread, ExceptionObject ex, Exceptionate e, BlockingContext who) {
        if (e == null) return Turn.NOT_BOUND;
        Waiter w = ex.beginTurn();
        thread.setExceptionChannel(e.channelType());
        if (!e.send(ex)) return Turn.NOT_BOUND;
        int status = w.await(who, ThreadState.BLOCKED_EXCEPTION, thread.kernel().clock(), Waiter.INFINITE);
        thread.setExceptionChannel(ChannelType.NONE);
        if (status != ZxStatus.OK) return Turn.KILLED;
        return ex.state() == ExceptionObject.STATE_HANDLED ? Turn.HANDLED : Turn.TRY_NEXT;
    }
}
