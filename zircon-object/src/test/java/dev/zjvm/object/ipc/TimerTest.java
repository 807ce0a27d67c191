package dev.zjvm.object.ipc;

import static dev.zjvm.object.ZxStatusOf.status;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.signal.Signals;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TimerTest {
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);
    private final Kernel kernel = Kernel.forTesting(5);

    @AfterEach
    void close() {
        kernel.close();
    }


    private long now() {
        return kernel.clock().nowNanos();
    }

    @Test
    void createValidatesOptions() {
        assertEquals(ZxStatus.ERR_INVALID_ARGS, status(() -> Timer.create(kernel, 3, 0)));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, status(() -> Timer.create(kernel, 0, 1)));
        assertEquals(Timer.SLACK_LATE, Timer.create(kernel, Timer.SLACK_LATE, 0).slackMode());
    }

    @Test
    void firesAfterDeadlineNeverBefore() {
        Timer t = Timer.create(kernel, Timer.SLACK_LATE, 0);
        long deadline = now() + TimeUnit.MILLISECONDS.toNanos(20);
        t.set(deadline, 0);
        Signaled.await(t, Signals.SIGNALED);
        assertTrue(now() >= deadline, "a LATE timer with no slack may not fire early");
        assertEquals(0, t.deadline());
    }

    @Test
    void pastDeadlineSignalsAtOnceAndSetClears() {
        Timer t = Timer.create(kernel, 0, 0);
        t.set(0, 0);
        assertEquals(Signals.SIGNALED, t.signals());
        t.set(now() + HOUR, 0);
        assertEquals(0, t.signals(), "re-arming clears SIGNALED");
        t.set(now() - 1, 0);
        assertEquals(Signals.SIGNALED, t.signals());
        assertEquals(0, TimerQueue.of(kernel).scheduledFirings(), "the replaced deadline is gone");
        assertEquals(ZxStatus.ERR_OUT_OF_RANGE, status(() -> t.set(0, -1)));
    }

    @Test
    void extremeDeadlinesAndSlackSaturate() {
        Timer t = Timer.create(kernel, Timer.SLACK_CENTER, 0);
        t.set(Long.MAX_VALUE, Long.MAX_VALUE);
        assertEquals(0, t.signals());
        assertEquals(Long.MAX_VALUE, t.deadline());
        t.set(Long.MIN_VALUE, Long.MAX_VALUE);
        assertEquals(Signals.SIGNALED, t.signals());
        Timer late = Timer.create(kernel, Timer.SLACK_LATE, 0);
        late.set(Long.MAX_VALUE - 1, Long.MAX_VALUE);
        late.cancel();
        assertEquals(0, TimerQueue.of(kernel).scheduledFirings());
    }

    @Test
    void cancelDisarmsAndClears() {
        Timer t = Timer.create(kernel, 0, 0);
        t.cancel();
        t.set(now() + HOUR, 0);
        assertEquals(1, TimerQueue.of(kernel).scheduledFirings());
        t.cancel();
        assertEquals(0, TimerQueue.of(kernel).scheduledFirings());
        assertEquals(0, t.deadline());
        t.set(0, 0);
        t.cancel();
        assertEquals(0, t.signals());
    }

    @Test
    void infoReportsArmedDeadlineAndSlack() {
        Timer t = Timer.create(kernel, Timer.SLACK_EARLY, 0);
        assertEquals(new TimerInfo(Timer.SLACK_EARLY, 0, 0), t.info());
        long d = now() + HOUR;
        t.set(d, 77);
        assertEquals(new TimerInfo(Timer.SLACK_EARLY, d, 77), t.info());
        byte[] b = t.info().encode();
        assertEquals(TimerInfo.SIZE, b.length);
        assertEquals(Timer.SLACK_EARLY, b[0]);
        assertEquals(d, java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(8));
        assertEquals(77, b[16]);
        t.cancel();
        assertEquals(0, t.info().deadline());
    }

    @Test
    void slackWindowsCoalesce() {
        TimerQueue q = TimerQueue.of(kernel);
        long base = now() + HOUR;
        Timer a = Timer.create(kernel, Timer.SLACK_CENTER, 0);
        a.set(base, 0);
        Timer late = Timer.create(kernel, Timer.SLACK_LATE, 0);
        late.set(base - 1000, 1000); // window [base-1000, base]: joins a
        assertEquals(1, q.scheduledFirings());
        Timer early = Timer.create(kernel, Timer.SLACK_EARLY, 0);
        early.set(base + 1000, 999); // window [base+1, base+1000]: cannot join
        assertEquals(2, q.scheduledFirings());
        Timer center = Timer.create(kernel, Timer.SLACK_CENTER, 0);
        center.set(base + 1500, 500); // window [base+1000, base+2000]: joins early's firing
        assertEquals(2, q.scheduledFirings());
        a.cancel();
        assertEquals(2, q.scheduledFirings(), "late still uses the shared firing");
        late.cancel();
        assertEquals(1, q.scheduledFirings());
    }

    @Test
    void lastHandleDisarmsAndKernelCloseStopsThread() {
        Timer t = Timer.create(kernel, 0, 0);
        Handle h = Handle.createDefault(t);
        t.set(now() + HOUR, 0);
        assertTrue(TimerQueue.of(kernel).hasLiveThread());
        h.destroy();
        assertEquals(0, TimerQueue.of(kernel).scheduledFirings());
        TimerQueue q = TimerQueue.of(kernel);
        kernel.close();
        assertFalse(q.hasLiveThread());
    }
}
