package dev.zjvm.object.signal;

/**
 * Watches an object's signal state (waits, wait_async, wait_many). Callbacks run under the object's
 * lock: they must be quick and must not block (record, queue a packet, unpark a thread).
 */
public interface SignalObserver {
    /**
     * Called once on registration and again after every change of the signal state.
     *
     * @return true to be removed (the observer is done)
     */
    boolean onStateChange(int signals);

    /**
     * A handle to the object was closed; {@code handleIdentity} is the closed handle object
     * (compare by identity with the handle the observer was registered through).
     *
     * @return true to be removed
     */
    default boolean onHandleClosed(Object handleIdentity) {
        return false;
    }
}
