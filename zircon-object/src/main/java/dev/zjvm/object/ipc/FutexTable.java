package dev.zjvm.object.ipc;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.task.BlockingContext;
import dev.zjvm.object.task.ThreadState;
import dev.zjvm.hal.time.MonotonicClock;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The kernel's futexes: per {@link FutexKey}, the queue of waiting threads (FIFO) and the owner
 * thread recorded for priority inheritance ({@code zx_futex_get_owner}).
 *
 * <p>The futex word is read under the table lock, and wakers take the same lock, so a thread that
 * changes the word and then wakes can never slip between a waiter's check and its sleep.
 */
public final class FutexTable {
    /** {@code wake_count} meaning "all". */
    public static final long WAKE_ALL = 0xffff_ffffL;

    private final HashMap<FutexKey, Futex> futexes = new HashMap<>();

    private final MonotonicClock clock;

    private FutexTable(Kernel kernel) {
        this.clock = kernel.clock();
    }

    public static FutexTable of(Kernel kernel) {
        return kernel.service(FutexTable.class, FutexTable::new);
    }

    private static final class Futex {
        final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
        // Weak: recording ownership must not keep a dead thread (and its process) alive.
        private WeakReference<KernelObject> owner;

        KernelObject owner() {
            return owner == null ? null : owner.get();
        }

        void setOwner(KernelObject o) {
            owner = o == null ? null : new WeakReference<>(o);
        }
    }

    private static final class Waiter {
        final Object thread;
        final HandOff<Boolean> wake = new HandOff<>();
        FutexKey key;

        Waiter(Object thread, FutexKey key) {
            this.thread = thread;
            this.key = key;
        }
    }

    /**
     * {@code zx_futex_wait}.
     *
     * @param current   reads the futex word (called under the table lock)
     * @param self      the calling thread (identity used for ownership checks)
     * @param newOwner  resolves the owner handle (null result = no owner); called only once the
     *                  value matched, so its BAD_HANDLE / WRONG_TYPE come after BAD_STATE
     * @throws ZxException BAD_STATE (value differs), INVALID_ARGS (owner is the caller or waits on
     *     this futex), TIMED_OUT, or the interruption status of {@code who} (kill)
     */
    public void await(FutexKey key, IntSupplier current, int expected, Object self,
            Supplier<KernelObject> newOwner, long deadline, BlockingContext who) {
        Waiter me;
        synchronized (this) {
            if (current.getAsInt() != expected) throw new ZxException(ZxStatus.ERR_BAD_STATE);
            KernelObject owner = newOwner.get();
            Futex f = futexes.computeIfAbsent(key, k -> new Futex());
            try {
                checkOwner(f, owner, self);
            } catch (ZxException e) {
                dropIfIdle(key, f);
                throw e;
            }
            f.setOwner(owner);
            me = new Waiter(self, key);
            f.waiters.addLast(me);
        }
        int status = me.wake.await(who, ThreadState.BLOCKED_FUTEX, clock, deadline);
        if (status != ZxStatus.OK) {
            synchronized (this) {
                // Timed out or killed: still queued (a waker skips ended waits), so leave the queue.
                Futex f = futexes.get(me.key);
                if (f != null && f.waiters.remove(me)) dropIfIdle(me.key, f);
            }
        }
        me.wake.take();
    }

    private static void checkOwner(Futex f, KernelObject owner, Object self) {
        if (owner == null) return;
        if (owner == self) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        for (Waiter w : f.waiters) if (w.thread == owner) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
    }

    /**
     * {@code zx_futex_wake}: wakes up to {@code count} waiters (unsigned; {@link #WAKE_ALL} or more
     * = all) and clears the owner.
     *
     * @return number woken
     */
    public synchronized int wake(FutexKey key, long count) {
        Futex f = futexes.get(key);
        if (f == null) return 0;
        f.setOwner(null);
        int n = wakeLocked(f, count, null);
        dropIfIdle(key, f);
        return n;
    }

    /** {@code zx_futex_wake_single_owner}: wakes one waiter, which becomes the owner (none: no owner). */
    public synchronized void wakeSingleOwner(FutexKey key) {
        Futex f = futexes.get(key);
        if (f == null) return;
        f.setOwner(null);
        wakeLocked(f, 1, f);
        dropIfIdle(key, f);
    }

    /**
     * {@code zx_futex_requeue}: if the word still holds {@code expected}, wakes {@code wakeCount}
     * waiters of {@code key} and moves up to {@code requeueCount} of the rest to {@code target},
     * whose owner becomes {@code newOwner}.
     *
     * @param singleOwner the requeue_single_owner variant: wake one, which becomes key's owner
     * @throws ZxException INVALID_ARGS (same futex, owner constraints), BAD_STATE (value differs)
     */
    public synchronized void requeue(FutexKey key, IntSupplier current, int expected, long wakeCount, boolean singleOwner,
            FutexKey target, long requeueCount, Object self, Supplier<KernelObject> newOwner) {
        if (key.equals(target)) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        if (current.getAsInt() != expected) throw new ZxException(ZxStatus.ERR_BAD_STATE);
        KernelObject owner = newOwner.get();
        Futex f = futexes.get(key);
        Futex t = futexes.computeIfAbsent(target, k -> new Futex());
        try {
            if (owner != null && owner == self) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
            // The new owner may wait on neither futex: it could be requeued onto the one it owns.
            checkOwner(t, owner, null);
            if (f != null) checkOwner(f, owner, null);
        } catch (ZxException e) {
            dropIfIdle(target, t);
            throw e;
        }
        if (f != null) {
            f.setOwner(null);
            wakeLocked(f, singleOwner ? 1 : wakeCount, singleOwner ? f : null);
            long moved = 0;
            for (Iterator<Waiter> it = f.waiters.iterator(); it.hasNext() && Long.compareUnsigned(moved, requeueCount) < 0; ) {
                Waiter w = it.next();
                it.remove();
                w.key = target;
                t.waiters.addLast(w);
                moved++;
            }
            dropIfIdle(key, f);
        }
        t.setOwner(owner);
        dropIfIdle(target, t);
    }

    /** {@code zx_futex_get_owner}: koid of the owner thread, or 0. */
    public synchronized long ownerKoid(FutexKey key) {
        Futex f = futexes.get(key);
        KernelObject o = f == null ? null : f.owner();
        return o == null ? 0 : o.koid();
    }

    /** Threads waiting on {@code key} now. */
    public synchronized int waiterCount(FutexKey key) {
        Futex f = futexes.get(key);
        return f == null ? 0 : f.waiters.size();
    }

    /** Futexes with waiters or an owner (the table forgets idle ones). */
    public synchronized int activeFutexes() {
        return futexes.size();
    }

    /** Wakes up to count waiters; with {@code ownerOf} set, the first woken becomes its owner. */
    private static int wakeLocked(Futex f, long count, Futex ownerOf) {
        int woken = 0;
        while (Long.compareUnsigned(woken, count) < 0) {
            Waiter w = f.waiters.pollFirst();
            if (w == null) break;
            // A waiter that timed out or was killed concurrently already failed its hand-off and
            // is about to remove itself; it does not count as woken.
            if (w.wake.complete(Boolean.TRUE)) {
                if (ownerOf != null && woken == 0 && w.thread instanceof KernelObject k) ownerOf.setOwner(k);
                woken++;
            }
        }
        return woken;
    }

    private void dropIfIdle(FutexKey key, Futex f) {
        if (f.waiters.isEmpty() && f.owner() == null) futexes.remove(key, f);
    }
}
