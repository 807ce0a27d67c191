package dev.zjvm.object.ipc;

import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.task.BlockingContext;
import dev.zjvm.object.task.Waiter;

/** Test stand-in for a guest thread's context: {@link #interrupt} ends the current and later waits. */
final class KillableContext implements BlockingContext {
    private Waiter current;
    private int interrupt = ZxStatus.OK;
    private int blockedState;

    @Override
    public synchronized int enterBlocking(Waiter waiter, int state) {
        current = waiter;
        blockedState = state;
        return interrupt;
    }

    @Override
    public synchronized void exitBlocking(Waiter waiter) {
        current = null;
        blockedState = 0;
    }

    synchronized void interrupt(int status) {
        interrupt = status;
        if (current != null) current.wake(status);
    }

    synchronized void clear() {
        interrupt = ZxStatus.OK;
    }

    synchronized int blockedState() {
        return blockedState;
    }
}
