package dev.zjvm.object.signal;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.ipc.Event;
import dev.zjvm.object.ipc.EventPair;
import dev.zjvm.object.task.BlockingContext;
import dev.zjvm.object.task.Waiter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ObjectWaitTest {
    private final Kernel kernel = Kernel.forTesting(2);

    private long in(long millis) {
        return kernel.clock().nowNanos() + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** Polls until the object has {@code n} observers, i.e. the waiter is registered. */
    private static void awaitObservers(Event e, int n) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (e.observerCount() < n) {
            if (System.nanoTime() > end) fail("waiter never registered");
            Thread.sleep(1);
        }
    }

    @Test
    void alreadySatisfiedReturnsAtOnceEvenWithPastDeadline() {
        Event e = new Event(kernel);
        Handle h = Handle.createDefault(e);
        e.userSignal(0, Signals.SIGNALED | Signals.USER_0);
        ObjectWait.Result r = ObjectWait.waitOne(h, Signals.SIGNALED, 0, BlockingContext.NONE);
        assertEquals(ZxStatus.OK, r.status());
        assertEquals(Signals.SIGNALED | Signals.USER_0, r.observed());
        assertEquals(0, e.observerCount());
    }

    @Test
    void pastDeadlinePollsAndTimesOutWithCurrentSignals() {
        Event e = new Event(kernel);
        Handle h = Handle.createDefault(e);
        e.userSignal(0, Signals.USER_0);
        ObjectWait.Result r = ObjectWait.waitOne(h, Signals.SIGNALED, -5, BlockingContext.NONE);
        assertEquals(ZxStatus.ERR_TIMED_OUT, r.status());
        assertEquals(Signals.USER_0, r.observed());
        assertEquals(0, e.observerCount());
    }

    @Test
    void shortDeadlineTimesOut() {
        Event e = new Event(kernel);
        ObjectWait.Result r = ObjectWait.waitOne(Handle.createDefault(e), Signals.SIGNALED, in(20), BlockingContext.NONE);
        assertEquals(ZxStatus.ERR_TIMED_OUT, r.status());
    }

    @Test
    void signalFromAnotherThreadWakesWaiter() throws Exception {
        Event e = new Event(kernel);
        Handle h = Handle.createDefault(e);
        CompletableFuture<ObjectWait.Result> f = CompletableFuture.supplyAsync(
                () -> ObjectWait.waitOne(h, Signals.SIGNALED, Waiter.INFINITE, BlockingContext.NONE), runner());
        awaitObservers(e, 1);
        e.userSignal(0, (Signals.USER_0 << 1)); // not watched: must not wake
        assertFalse(f.isDone());
        e.userSignal(0, Signals.SIGNALED);
        ObjectWait.Result r = f.get(30, TimeUnit.SECONDS);
        assertEquals(ZxStatus.OK, r.status());
        assertEquals(Signals.SIGNALED | (Signals.USER_0 << 1), r.observed());
    }

    @Test
    void closingTheHandleCancelsOnlyWaitsThroughIt() throws Exception {
        Event e = new Event(kernel);
        Handle h1 = Handle.createDefault(e);
        Handle h2 = Handle.createDefault(e);
        CompletableFuture<ObjectWait.Result> w1 = CompletableFuture.supplyAsync(
                () -> ObjectWait.waitOne(h1, Signals.SIGNALED, Waiter.INFINITE, BlockingContext.NONE), runner());
        CompletableFuture<ObjectWait.Result> w2 = CompletableFuture.supplyAsync(
                () -> ObjectWait.waitOne(h2, Signals.SIGNALED, in(60_000), BlockingContext.NONE), runner());
        awaitObservers(e, 2);
        h1.destroy();
        ObjectWait.Result r = w1.get(30, TimeUnit.SECONDS);
        assertEquals(ZxStatus.ERR_CANCELED, r.status());
        assertEquals(Signals.HANDLE_CLOSED, r.observed() & Signals.HANDLE_CLOSED);
        assertFalse(w2.isDone());
        e.userSignal(0, Signals.SIGNALED);
        assertEquals(ZxStatus.OK, w2.get(30, TimeUnit.SECONDS).status());
    }

    @Test
    void waitOnAlreadyClosedHandleIsCanceled() {
        Event e = new Event(kernel);
        Handle h = Handle.createDefault(e);
        Handle keep = Handle.createDefault(e);
        h.destroy();
        ObjectWait.Result r = ObjectWait.waitOne(h, Signals.SIGNALED, Waiter.INFINITE, BlockingContext.NONE);
        assertEquals(ZxStatus.ERR_CANCELED, r.status());
        assertEquals(0, e.observerCount());
        keep.destroy();
    }

    @Test
    void peerClosedWakesEventPairWaiter() throws Exception {
        EventPair[] p = EventPair.create(kernel);
        Handle a = Handle.createDefault(p[0]);
        Handle b = Handle.createDefault(p[1]);
        CompletableFuture<ObjectWait.Result> f = CompletableFuture.supplyAsync(
                () -> ObjectWait.waitOne(a, Signals.PEER_CLOSED, Waiter.INFINITE, BlockingContext.NONE), runner());
        while (p[0].observerCount() < 1) Thread.sleep(1);
        b.destroy();
        assertEquals(ZxStatus.OK, f.get(30, TimeUnit.SECONDS).status());
    }

    @Test
    void waitManyReportsPendingPerItem() throws Exception {
        Event e0 = new Event(kernel);
        Event e1 = new Event(kernel);
        Handle[] hs = {Handle.createDefault(e0), Handle.createDefault(e1)};
        int[] pending = new int[2];
        e0.userSignal(0, Signals.USER_0);
        CompletableFuture<Integer> f = CompletableFuture.supplyAsync(() -> ObjectWait.waitMany(
                hs, new int[] {Signals.SIGNALED, Signals.SIGNALED}, pending, Waiter.INFINITE, BlockingContext.NONE,
                kernel.clock()), runner());
        awaitObservers(e1, 1);
        e1.userSignal(0, Signals.SIGNALED);
        assertEquals(ZxStatus.OK, f.get(30, TimeUnit.SECONDS));
        assertEquals(Signals.USER_0, pending[0]);
        assertEquals(Signals.SIGNALED, pending[1]);
        assertEquals(0, e0.observerCount());
        assertEquals(0, e1.observerCount());
    }

    @Test
    void waitManyLimitsAndEmptySleep() {
        Handle[] many = new Handle[65];
        Event e = new Event(kernel);
        for (int i = 0; i < many.length; i++) many[i] = Handle.createDefault(e);
        assertEquals(ZxStatus.ERR_OUT_OF_RANGE, assertThrows(dev.zjvm.object.ZxException.class,
                () -> ObjectWait.waitMany(many, new int[65], new int[65], 0, BlockingContext.NONE, kernel.clock())).status());
        assertEquals(ZxStatus.ERR_TIMED_OUT,
                ObjectWait.waitMany(new Handle[0], new int[0], new int[0], in(10), BlockingContext.NONE, kernel.clock()));
    }

    /** Several threads wait on disjoint bits of one event; each signal wakes exactly its waiter. */
    @Test
    void exactlyTheSatisfiedWaitersWake() throws Exception {
        Event e = new Event(kernel);
        int n = 6;
        List<CompletableFuture<ObjectWait.Result>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int bit = Signals.USER_0 << i;
            Handle h = Handle.createDefault(e);
            fs.add(CompletableFuture.supplyAsync(
                    () -> ObjectWait.waitOne(h, bit, in(120_000), BlockingContext.NONE), runner()));
        }
        awaitObservers(e, n);
        for (int i = 0; i < n; i++) {
            e.userSignal(0, Signals.USER_0 << i);
            assertEquals(ZxStatus.OK, fs.get(i).get(30, TimeUnit.SECONDS).status());
            for (int j = i + 1; j < n; j++) assertFalse(fs.get(j).isDone(), "waiter " + j + " woke early");
        }
    }

    /** Stress: signal/clear racing with many short waits; every wait either sees the bit or times out. */
    @Test
    void noMissedWakeupsUnderContention() throws Exception {
        Event e = new Event(kernel);
        int threads = 4;
        int rounds = 300;
        List<CompletableFuture<Void>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Handle h = Handle.createDefault(e);
            fs.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < rounds; i++) {
                    ObjectWait.Result r = ObjectWait.waitOne(h, Signals.SIGNALED, in(60_000), BlockingContext.NONE);
                    assertEquals(ZxStatus.OK, r.status());
                    assertNotEquals(0, r.observed() & Signals.SIGNALED);
                }
            }, runner()));
        }
        // Keep pulsing until every waiter is done: a missed wake-up would hang past the 60 s deadline.
        while (!CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).isDone()) {
            e.userSignal(0, Signals.SIGNALED);
            Thread.onSpinWait();
            e.userSignal(Signals.SIGNALED, 0);
            Thread.yield();
        }
        for (CompletableFuture<Void> f : fs) f.get();
        assertEquals(0, e.observerCount());
    }

    /** Closing a handle at any moment relative to the wait's registration always ends the wait. */
    @Test
    void closeRacingWithWaitStartNeverHangs() throws Exception {
        Event e = new Event(kernel);
        Handle keep = Handle.createDefault(e);
        for (int i = 0; i < 300; i++) {
            Handle h = Handle.createDefault(e);
            CompletableFuture<ObjectWait.Result> f = CompletableFuture.supplyAsync(
                    () -> ObjectWait.waitOne(h, Signals.SIGNALED, in(120_000), BlockingContext.NONE), runner());
            if (i % 3 == 1) Thread.yield();
            h.destroy();
            ObjectWait.Result r = f.get(60, TimeUnit.SECONDS);
            assertEquals(ZxStatus.ERR_CANCELED, r.status());
            assertNotEquals(0, r.observed() & Signals.HANDLE_CLOSED);
        }
        assertEquals(0, e.observerCount());
        keep.destroy();
    }

    private static java.util.concurrent.Executor runner() {
        return r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            t.start();
        };
    }
}
