package dev.zjvm.object.debuglog;

import dev.zjvm.hal.time.MonotonicClock;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.task.BlockingContext;
import dev.zjvm.object.task.ThreadState;
import dev.zjvm.object.task.Waiter;
import java.util.ArrayList;
import java.util.List;

/**
 * The receive side of the kernel's serial console: a bounded FIFO the embedder fills (the loader
 * from its standard input, tests directly) and {@code zx_debug_read} drains. Like a UART's receive
 * buffer, {@link #offer} drops what does not fit; {@link #put} waits for room instead, for a
 * feeder that must not lose input (a file piped into the loader).
 */
public final class SerialInput {
    /** Bytes buffered before the console stops taking input. */
    public static final int CAPACITY = 4096;

    private final MonotonicClock clock;
    private final byte[] ring = new byte[CAPACITY];
    private int head;
    private int count;
    private boolean closed;
    /** Readers waiting for a first byte, and feeders waiting for room. */
    private final List<Waiter> readers = new ArrayList<>();
    private final List<Waiter> feeders = new ArrayList<>();

    public SerialInput(MonotonicClock clock) {
        this.clock = java.util.Objects.requireNonNull(clock);
    }

    /**
     * Appends as much of {@code data} as fits without waiting.
     *
     * @return how many bytes were taken (the rest is dropped, as a full UART overruns)
     */
    public int offer(byte[] data, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, data.length);
        List<Waiter> wake;
        int n;
        synchronized (this) {
            if (closed) return 0;
            n = Math.min(length, CAPACITY - count);
            for (int i = 0; i < n; i++) ring[(head + count + i) % CAPACITY] = data[offset + i];
            count += n;
            wake = n > 0 ? drain(readers) : List.of();
        }
        for (Waiter w : wake) w.wake(ZxStatus.OK);
        return n;
    }

    public int offer(byte[] data) {
        return offer(data, 0, data.length);
    }

    /**
     * Appends all of {@code data}, waiting for readers to make room.
     *
     * @return false if the console was closed first (the rest is dropped)
     * @throws InterruptedException if the calling Java thread is interrupted while waiting
     */
    public boolean put(byte[] data, int offset, int length) throws InterruptedException {
        int done = 0;
        while (done < length) {
            done += offer(data, offset + done, length - done);
            if (done == length) break;
            Waiter w = new Waiter();
            synchronized (this) {
                if (closed) return false;
                if (count < CAPACITY) continue; // room appeared meanwhile
                feeders.add(w);
            }
            int st = w.await(BlockingContext.NONE, ThreadState.BLOCKED, clock, Waiter.INFINITE);
            synchronized (this) {
                feeders.remove(w);
            }
            if (st != ZxStatus.OK) throw new InterruptedException("serial input feeder interrupted");
        }
        return true;
    }

    /**
     * Takes up to {@code max} bytes. Waits (as {@code zx_debug_read} does) until at least one byte is
     * there, then returns what is buffered without waiting for more; {@code max == 0} never waits.
     *
     * @param who the blocking guest thread (killing it ends the wait)
     * @throws ZxException the interrupt status if the wait was ended by a kill, suspend or close
     */
    public byte[] take(int max, BlockingContext who) {
        while (true) {
            Waiter w;
            synchronized (this) {
                if (count > 0 || max <= 0) return takeBuffered(Math.max(0, max));
                if (closed) throw new ZxException(ZxStatus.ERR_CANCELED, "serial console closed");
                w = new Waiter();
                readers.add(w);
            }
            // A kernel-internal wait with no more specific reason: the thread reports plain BLOCKED.
            int st = w.await(who, ThreadState.BLOCKED, clock, Waiter.INFINITE);
            synchronized (this) {
                readers.remove(w);
            }
            if (st != ZxStatus.OK) throw new ZxException(st);
        }
    }

    private byte[] takeBuffered(int max) {
        int n = Math.min(max, count);
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) out[i] = ring[(head + i) % CAPACITY];
        head = (head + n) % CAPACITY;
        count -= n;
        if (n > 0) for (Waiter w : drain(feeders)) w.wake(ZxStatus.OK);
        return out;
    }

    /** Bytes buffered now. */
    public synchronized int available() {
        return count;
    }

    /** Ends every wait and refuses further input (the kernel is shutting down). */
    public void close() {
        List<Waiter> wake = new ArrayList<>();
        synchronized (this) {
            closed = true;
            wake.addAll(drain(readers));
            wake.addAll(drain(feeders));
        }
        for (Waiter w : wake) w.wake(ZxStatus.ERR_CANCELED);
    }

    private static List<Waiter> drain(List<Waiter> waiters) {
        List<Waiter> out = new ArrayList<>(waiters);
        waiters.clear();
        return out;
    }
}
