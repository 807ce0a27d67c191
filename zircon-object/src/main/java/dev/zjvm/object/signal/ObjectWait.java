package dev.zjvm.object.signal;

import dev.zjvm.hal.time.MonotonicClock;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.task.BlockingContext;
import dev.zjvm.object.task.ThreadState;
import dev.zjvm.object.task.Waiter;

/**
 * {@code zx_object_wait_one} and {@code zx_object_wait_many} on top of {@link SignalObserver} and
 * {@link Waiter}. A signal change wakes a wait only if it asserts one of the watched bits; closing
 * the handle a wait was made through ends it with CANCELED and {@link Signals#HANDLE_CLOSED} in
 * the observed bits.
 *
 * <p>Observed/pending bits follow Zircon: the signals seen when a watched bit was asserted, ORed
 * with the object's state when the wait ends.
 */
public final class ObjectWait {
    /** {@code ZX_WAIT_MANY_MAX_ITEMS}. */
    public static final int MAX_WAIT_MANY = 64;

    private ObjectWait() {}

    /** Outcome of a wait_one: the status and the observed signals. */
    public record Result(int status, int observed) {}

    /**
     * Waits through {@code handle} until one of {@code signals} is asserted.
     *
     * @throws ZxException NOT_SUPPORTED if the object is not waitable (rights are the caller's job)
     */
    public static Result waitOne(Handle handle, int signals, long deadline, BlockingContext who) {
        KernelObject object = handle.object();
        if (!object.type().waitable()) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
        Waiter waiter = new Waiter();
        Watch watch = new Watch(waiter, signals, handle);
        int status = begin(watch, object, handle);
        if (status == ZxStatus.OK && waiter.isPending()) {
            status = waiter.await(who, ThreadState.BLOCKED_WAIT_ONE, object.kernel().clock(), deadline);
        } else if (status == ZxStatus.OK) {
            status = waiter.status();
        }
        return new Result(status, watch.end(object));
    }

    /**
     * Waits until any item is satisfied. {@code pending[i]} receives each item's observed signals.
     * Zero items just sleep until the deadline.
     *
     * @throws ZxException OUT_OF_RANGE for more than {@link #MAX_WAIT_MANY} items, NOT_SUPPORTED
     *     if an object is not waitable
     */
    public static int waitMany(Handle[] handles, int[] signals, int[] pending, long deadline, BlockingContext who,
            MonotonicClock clock) {
        int n = handles.length;
        if (n > MAX_WAIT_MANY) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE);
        for (Handle h : handles) {
            if (!h.object().type().waitable()) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
        }
        Waiter waiter = new Waiter();
        Watch[] watches = new Watch[n];
        int status = ZxStatus.OK;
        int started = 0;
        for (; started < n && status == ZxStatus.OK; started++) {
            watches[started] = new Watch(waiter, signals[started], handles[started]);
            status = begin(watches[started], handles[started].object(), handles[started]);
        }
        if (status == ZxStatus.OK) {
            status = waiter.isPending()
                    ? waiter.await(who, ThreadState.BLOCKED_WAIT_MANY, clock, deadline)
                    : waiter.status();
        }
        for (int i = 0; i < n; i++) pending[i] = i < started ? watches[i].end(handles[i].object()) : 0;
        return status;
    }

    /** Registers the watch; CANCELED if the handle was already closed by another thread. */
    private static int begin(Watch watch, KernelObject object, Handle handle) {
        object.addObserver(watch);
        // A close that raced with the look-up ran its cancellation before we registered.
        if (handle.isDestroyed()) {
            watch.cancel();
            return ZxStatus.ERR_CANCELED;
        }
        return ZxStatus.OK;
    }

    /** One object's part of a wait. Fields are written under the object's lock. */
    private static final class Watch implements SignalObserver {
        private final Waiter waiter;
        private final int watched;
        private final Handle handle;
        private int reasons;
        private boolean canceled;

        Watch(Waiter waiter, int watched, Handle handle) {
            this.waiter = waiter;
            this.watched = watched;
            this.handle = handle;
        }

        @Override
        public boolean onStateChange(int signals) {
            if ((signals & watched) == 0) return false;
            reasons |= signals;
            waiter.wake(ZxStatus.OK);
            return true;
        }

        @Override
        public boolean onHandleClosed(Object handleIdentity) {
            if (handleIdentity != handle) return false;
            cancel();
            return true;
        }

        void cancel() {
            canceled = true;
            waiter.wake(ZxStatus.ERR_CANCELED);
        }

        /** Unregisters and returns the observed bits. */
        int end(KernelObject object) {
            object.removeObserver(this);
            // removeObserver took the object's lock, so every callback's writes are visible here.
            return reasons | object.signals() | (canceled ? Signals.HANDLE_CLOSED : 0);
        }
    }
}
