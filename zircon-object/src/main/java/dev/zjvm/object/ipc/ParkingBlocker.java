package dev.zjvm.object.ipc;

import dev.zjvm.hal.time.MonotonicClock;
import dev.zjvm.object.ZxStatus;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link Blocker} for one thread on {@link LockSupport} parking, measuring deadlines on the
 * kernel's clock. {@link #interrupt(int)} ends the current and every later wait with a status (how
 * a kill reaches a thread blocked in a syscall).
 */
public final class ParkingBlocker implements Blocker {
    private final MonotonicClock clock;
    private volatile Thread parked;
    private volatile int interruptStatus = ZxStatus.OK;

    public ParkingBlocker(MonotonicClock clock) {
        this.clock = clock;
    }

    @Override
    public int block(BooleanSupplier ready, long deadline) {
        parked = Thread.currentThread();
        try {
            while (true) {
                if (ready.getAsBoolean()) return ZxStatus.OK;
                int interrupted = interruptStatus;
                if (interrupted != ZxStatus.OK) return interrupted;
                long now = clock.nowNanos();
                if (now >= deadline) return ZxStatus.ERR_TIMED_OUT;
                // Past ~292 years parkNanos's argument would overflow: treat as infinite.
                long wait = deadline - now;
                if (wait <= 0 || deadline == INFINITE) LockSupport.park(this);
                else LockSupport.parkNanos(this, wait);
            }
        } finally {
            parked = null;
        }
    }

    /** Ends the current wait (if any) and all later ones with {@code status} (an error). */
    public void interrupt(int status) {
        if (status >= 0) throw new IllegalArgumentException("interrupt status must be an error");
        interruptStatus = status;
        Thread t = parked;
        if (t != null) LockSupport.unpark(t);
    }

    /** Lets waits proceed again (a suspended thread was resumed). */
    public void clearInterrupt() {
        interruptStatus = ZxStatus.OK;
    }
}
