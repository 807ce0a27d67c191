package dev.zjvm.object.ipc;

import dev.zjvm.hal.time.MonotonicClock;
import dev.zjvm.object.Kernel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The kernel's timer queue: one daemon thread per kernel (started on first use, stopped by
 * {@link Kernel#close()}) fires deadlines measured on the kernel clock. Timers with slack are
 * coalesced: a new timer whose window [earliest, latest] contains an already scheduled firing
 * joins it instead of waking the thread once more.
 */
public final class TimerQueue implements AutoCloseable {
    private final MonotonicClock clock;
    private final TreeMap<Long, Batch> batches = new TreeMap<>();
    private ScheduledThreadPoolExecutor executor;
    private boolean closed;

    private TimerQueue(Kernel kernel) {
        this.clock = kernel.clock();
    }

    /** The kernel's queue. */
    public static TimerQueue of(Kernel kernel) {
        return kernel.service(TimerQueue.class, TimerQueue::new);
    }

    /** A scheduled action; cancel it through {@link #cancel}. */
    public static final class Entry {
        private final Runnable action;
        private Batch batch;

        private Entry(Runnable action) {
            this.action = action;
        }
    }

    private static final class Batch {
        final long when;
        final List<Entry> entries = new ArrayList<>(1);
        ScheduledFuture<?> future;

        Batch(long when) {
            this.when = when;
        }
    }

    /**
     * Runs {@code action} (on the timer thread) at a time in [earliest, latest], at
     * {@code preferred} unless it can join a firing already scheduled in the window.
     */
    public synchronized Entry schedule(long earliest, long preferred, long latest, Runnable action) {
        if (closed) throw new IllegalStateException("kernel closed");
        Entry e = new Entry(action);
        Map.Entry<Long, Batch> shared = batches.ceilingEntry(earliest);
        Batch b;
        if (shared != null && shared.getKey() <= latest) {
            b = shared.getValue();
        } else {
            b = batches.get(preferred);
            if (b == null) {
                b = new Batch(preferred);
                batches.put(preferred, b);
                arm(b);
            }
        }
        b.entries.add(e);
        e.batch = b;
        return e;
    }

    /** Cancels an entry; true if it had not fired yet. */
    public synchronized boolean cancel(Entry e) {
        Batch b = e.batch;
        if (b == null) return false;
        e.batch = null;
        b.entries.remove(e);
        if (b.entries.isEmpty() && batches.remove(b.when, b)) b.future.cancel(false);
        return true;
    }

    /** Distinct firings scheduled (coalesced timers share one). */
    public synchronized int scheduledFirings() {
        return batches.size();
    }

    private void arm(Batch b) {
        if (executor == null) {
            executor = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "zircon-timers@" + Integer.toHexString(System.identityHashCode(this)));
                t.setDaemon(true);
                return t;
            });
            executor.setRemoveOnCancelPolicy(true);
        }
        long delay = Math.max(0, b.when - clock.nowNanos());
        b.future = executor.schedule(() -> fire(b), delay, TimeUnit.NANOSECONDS);
    }

    private void fire(Batch b) {
        List<Entry> due;
        synchronized (this) {
            if (closed || batches.get(b.when) != b) return;
            // The executor sleeps on System.nanoTime; never fire before the kernel clock says so.
            if (clock.nowNanos() < b.when) {
                arm(b);
                return;
            }
            batches.remove(b.when);
            due = new ArrayList<>(b.entries);
            for (Entry e : due) e.batch = null;
        }
        // Actions take their timer's lock: run them without holding the queue's.
        for (Entry e : due) e.action.run();
    }

    @Override
    public synchronized void close() {
        closed = true;
        batches.clear();
        if (executor != null) executor.shutdownNow();
    }

    /** True once the thread was started and has not been shut down. */
    public synchronized boolean hasLiveThread() {
        return executor != null && !executor.isShutdown();
    }
}
