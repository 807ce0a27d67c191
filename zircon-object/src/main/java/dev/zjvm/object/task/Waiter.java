package dev.zjvm.object.task;

import dev.zjvm.hal.time.MonotonicClock;
import dev.zjvm.object.ZxStatus;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The one blocking primitive of the kernel: a one-shot wake-up cell owned by the Java thread that
 * will block on it. Every blocking syscall (object waits, port_wait, futex_wait, channel_call,
 * nanosleep, ...) is built the same way:
 *
 * <pre>{@code
 * Waiter w = new Waiter();                    // on the thread that will block
 * register w where wakers find it            // under the object's lock, checking the condition
 *                                            // first (if already satisfied: w.wake(OK))
 * int status = w.await(ctx, ThreadState.BLOCKED_PORT, kernel.clock(), deadline);
 * unregister w                               // under the same lock; always, whatever status is
 * }</pre>
 *
 * <p>Wakers call {@link #wake(int)}; the first wake wins and later ones return false, so a waker
 * that hands over a resource (a port packet, a futex slot) must check the return value and give
 * the resource to another waiter if it lost the race against a timeout or a kill. The deadline is
 * absolute monotonic time ({@link #INFINITE} = never; a past deadline = poll: the call returns
 * {@link ZxStatus#ERR_TIMED_OUT} unless already woken). Killing the guest thread wakes the waiter
 * with {@link ZxStatus#ERR_INTERNAL_INTR_KILLED} (see {@link BlockingContext}); a Java interrupt of
 * the blocked thread (kernel shutdown) is treated the same way and left set.
 *
 * <p>No missed wake-ups: the status is set with a CAS before unparking, and {@code await} re-checks
 * the status after every return from {@code park}.
 */
public final class Waiter {
    /** {@code ZX_TIME_INFINITE}. */
    public static final long INFINITE = Long.MAX_VALUE;
    private static final int PENDING = 1; // statuses are <= 0, so any positive value is free

    private static final VarHandle STATUS;

    static {
        try {
            STATUS = MethodHandles.lookup().findVarHandle(Waiter.class, "status", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final java.lang.Thread owner = java.lang.Thread.currentThread();
    @SuppressWarnings("unused") // accessed through STATUS
    private volatile int status = PENDING;

    /**
     * Ends the wait with {@code status} if it is still pending.
     *
     * @return true if this call woke the waiter, false if it had already been woken
     */
    public boolean wake(int status) {
        if (status > 0) throw new IllegalArgumentException("not a status: " + status);
        if (!STATUS.compareAndSet(this, PENDING, status)) return false;
        LockSupport.unpark(owner);
        return true;
    }

    /** True until the first wake (or timeout). */
    public boolean isPending() {
        return status == PENDING;
    }

    /** The status the wait ended with; only meaningful once {@link #isPending()} is false. */
    public int status() {
        return status;
    }

    /**
     * Blocks the calling thread (which must be the one that created the waiter) until woken, the
     * deadline passes or {@code who} is interrupted.
     *
     * @return the status given to {@link #wake}, {@link ZxStatus#ERR_TIMED_OUT}, or the interrupt status
     */
    public int await(BlockingContext who, int blockedState, MonotonicClock clock, long deadline) {
        if (java.lang.Thread.currentThread() != owner) throw new IllegalStateException("await on a foreign waiter");
        int interrupt = who.enterBlocking(this, blockedState);
        try {
            if (interrupt != ZxStatus.OK) wake(interrupt);
            while (status == PENDING) {
                if (java.lang.Thread.currentThread().isInterrupted()) {
                    wake(ZxStatus.ERR_INTERNAL_INTR_KILLED);
                    break;
                }
                if (deadline == INFINITE) {
                    LockSupport.park(this);
                } else {
                    long left = deadline - clock.nowNanos();
                    if (left <= 0) {
                        STATUS.compareAndSet(this, PENDING, ZxStatus.ERR_TIMED_OUT);
                        break;
                    }
                    LockSupport.parkNanos(this, left);
                }
            }
        } finally {
            who.exitBlocking(this);
        }
        return status;
    }
}
