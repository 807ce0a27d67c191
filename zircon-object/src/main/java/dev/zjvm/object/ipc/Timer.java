package dev.zjvm.object.ipc;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.signal.Signals;

/**
 * A timer: asserts {@code ZX_TIMER_SIGNALED} once its deadline passes. The slack mode chosen at
 * creation decides on which side of the deadline the slack given to {@link #set} may move the
 * firing (constants.md §7).
 */
public final class Timer extends KernelObject {
    public static final int SLACK_CENTER = 0;
    public static final int SLACK_EARLY = 1;
    public static final int SLACK_LATE = 2;
    /** {@code ZX_CLOCK_MONOTONIC}, the only clock timers accept. */
    public static final int CLOCK_MONOTONIC = 0;

    private final int slackMode;
    private TimerQueue.Entry armed;
    private long deadline;
    private long slack;

    private Timer(Kernel kernel, int slackMode) {
        super(kernel);
        this.slackMode = slackMode;
    }

    /** @throws ZxException INVALID_ARGS for an unknown slack mode or a clock other than monotonic */
    public static Timer create(Kernel kernel, int options, int clockId) {
        if (options < SLACK_CENTER || options > SLACK_LATE || clockId != CLOCK_MONOTONIC) {
            throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        }
        return new Timer(kernel, options);
    }

    @Override
    public ObjectType type() {
        return ObjectType.TIMER;
    }

    public int slackMode() {
        return slackMode;
    }

    /** {@code ZX_INFO_TIMER}. */
    public TimerInfo info() {
        synchronized (lock) {
            return armed == null ? new TimerInfo(slackMode, 0, 0) : new TimerInfo(slackMode, deadline, slack);
        }
    }

    /** The armed deadline, or 0 when not armed. */
    public long deadline() {
        synchronized (lock) {
            return armed == null ? 0 : deadline;
        }
    }

    /**
     * {@code zx_timer_set}: replaces any pending deadline, clears SIGNALED and arms; a deadline
     * already passed signals at once.
     *
     * @throws ZxException OUT_OF_RANGE for negative slack
     */
    public void set(long newDeadline, long newSlack) {
        if (newSlack < 0) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE);
        TimerQueue queue = TimerQueue.of(kernel());
        synchronized (lock) {
            disarm(queue);
            updateSignals(Signals.SIGNALED, 0);
            if (newDeadline <= kernel().clock().nowNanos()) {
                updateSignals(0, Signals.SIGNALED);
                return;
            }
            long earliest = slackMode == SLACK_LATE ? newDeadline : satSub(newDeadline, newSlack);
            long latest = slackMode == SLACK_EARLY ? newDeadline : satAdd(newDeadline, newSlack);
            deadline = newDeadline;
            slack = newSlack;
            TimerQueue.Entry[] self = new TimerQueue.Entry[1];
            self[0] = queue.schedule(earliest, newDeadline, latest, () -> fire(self));
            armed = self[0];
        }
    }

    /** {@code zx_timer_cancel}: disarms and clears SIGNALED; fine on an unarmed timer. */
    public void cancel() {
        TimerQueue queue = TimerQueue.of(kernel());
        synchronized (lock) {
            disarm(queue);
            updateSignals(Signals.SIGNALED, 0);
        }
    }

    private void fire(TimerQueue.Entry[] entry) {
        synchronized (lock) {
            // A set or cancel since scheduling replaced this entry: the firing is stale.
            if (armed == null || armed != entry[0]) return;
            armed = null;
            updateSignals(0, Signals.SIGNALED);
        }
    }

    private void disarm(TimerQueue queue) {
        if (armed != null) {
            queue.cancel(armed);
            armed = null;
        }
    }

    @Override
    protected void onZeroHandles() {
        if (kernel().isClosed()) return;
        TimerQueue queue = TimerQueue.of(kernel());
        synchronized (lock) {
            disarm(queue);
        }
    }

    private static long satAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    private static long satSub(long a, long b) {
        long r = a - b;
        return ((a ^ b) & (a ^ r)) < 0 ? Long.MIN_VALUE : r;
    }
}
