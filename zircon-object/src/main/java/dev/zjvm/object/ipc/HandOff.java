package dev.zjvm.object.ipc;

import dev.zjvm.hal.time.MonotonicClock;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.task.BlockingContext;
import dev.zjvm.object.task.Waiter;

/**
 * Hands a result (a port packet, a call reply, a futex wake) to one thread blocked on the kernel's
 * {@link Waiter}. The first of completion, failure, timeout or kill wins, so a waker whose
 * {@link #complete} returns false knows the value was not taken and can give it to someone else.
 * Create it on the thread that will block.
 */
final class HandOff<T> {
    private final Waiter waiter = new Waiter();
    private T value;

    /** Gives {@code result} to the waiter; false if the wait already ended otherwise. */
    synchronized boolean complete(T result) {
        if (!waiter.isPending()) return false;
        value = result;
        if (waiter.wake(ZxStatus.OK)) return true;
        value = null; // lost against a timeout or kill
        return false;
    }

    /** Ends the wait with an error; false if it already ended. */
    boolean fail(int error) {
        return waiter.wake(error);
    }

    boolean isDone() {
        return !waiter.isPending();
    }

    /** Blocks until done, the deadline passes or {@code who} is interrupted; returns the status. */
    int await(BlockingContext who, int blockedState, MonotonicClock clock, long deadline) {
        return waiter.await(who, blockedState, clock, deadline);
    }

    int status() {
        return waiter.status();
    }

    /** The handed value, or throws the failure status; only once done. */
    synchronized T take() {
        if (waiter.isPending()) throw new IllegalStateException("not done");
        int status = waiter.status();
        if (status != ZxStatus.OK) throw new ZxException(status);
        return value;
    }
}
