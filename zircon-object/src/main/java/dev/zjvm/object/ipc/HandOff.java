package dev.zjvm.object.ipc;

import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import java.util.concurrent.locks.LockSupport;

/**
 * A one-shot cell that hands a result (a port packet, a call reply, a futex wake) to one blocked
 * thread. The first completion wins, so a waker and a timeout racing each other agree on the
 * outcome: a waker whose {@link #complete} returns false knows the value was not taken.
 */
final class HandOff<T> {
    private static final int PENDING = 1;
    private volatile Thread waiter;
    private T value;
    private int status = PENDING;

    HandOff() {
        this.waiter = Thread.currentThread();
    }

    /** The thread to wake is now the current one (a call resumed by another syscall). */
    void rebindToCurrentThread() {
        waiter = Thread.currentThread();
    }

    synchronized boolean complete(T result) {
        if (status != PENDING) return false;
        value = result;
        status = ZxStatus.OK;
        LockSupport.unpark(waiter);
        return true;
    }

    synchronized boolean fail(int error) {
        if (status != PENDING) return false;
        status = error;
        LockSupport.unpark(waiter);
        return true;
    }

    synchronized boolean isDone() {
        return status != PENDING;
    }

    /** The handed value, or throws the failure status; only once done. */
    synchronized T take() {
        if (status == PENDING) throw new IllegalStateException("not done");
        if (status != ZxStatus.OK) throw new ZxException(status);
        return value;
    }
}
