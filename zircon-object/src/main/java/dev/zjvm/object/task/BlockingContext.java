package dev.zjvm.object.task;

import dev.zjvm.object.ZxStatus;

/**
 * Who is blocking in a {@link Waiter#await}: normally the guest {@link Thread} on whose behalf a
 * syscall runs. The context records the wait so that killing (later: suspending) the thread can
 * end it, and it reports the thread's blocked state ({@link ThreadState}) meanwhile.
 *
 * <p>Kernel-internal waits and plain-Java tests that have no guest thread use {@link #NONE}.
 */
public interface BlockingContext {
    /**
     * Called on the waiting Java thread before it parks.
     *
     * @param waiter       the wait being started; the context may {@link Waiter#wake} it at any time
     * @param blockedState the BLOCKED_* state to report meanwhile
     * @return {@link ZxStatus#OK}, or an interrupt status (e.g. {@link ZxStatus#ERR_INTERNAL_INTR_KILLED})
     *     that ends the wait at once
     */
    int enterBlocking(Waiter waiter, int blockedState);

    /** Called on the waiting Java thread when the wait is over, however it ended. */
    void exitBlocking(Waiter waiter);

    /** A context that is never interrupted. */
    BlockingContext NONE = new BlockingContext() {
        @Override
        public int enterBlocking(Waiter waiter, int blockedState) {
            return ZxStatus.OK;
        }

        @Override
        public void exitBlocking(Waiter waiter) {}
    };
}
