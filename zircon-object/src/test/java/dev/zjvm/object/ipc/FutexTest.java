package dev.zjvm.object.ipc;

import static dev.zjvm.object.ZxStatusOf.status;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import dev.zjvm.object.task.BlockingContext;
import dev.zjvm.object.task.Waiter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FutexTest {
    private final Kernel kernel = Kernel.forTesting(6);
    private final FutexTable table = FutexTable.of(kernel);
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final Object space = new Object();
    private final FutexKey a = new FutexKey(space, 0x1000);
    private final FutexKey b = new FutexKey(space, 0x2000);
    private final AtomicInteger word = new AtomicInteger();
    private static final Supplier<KernelObject> NO_OWNER = () -> null;

    @AfterEach
    void close() {
        pool.shutdownNow();
        kernel.close();
    }


    /** A stand-in for a thread object. */
    private KernelObject thread() {
        return Port.create(kernel, 0);
    }

    private Future<Integer> waiter(FutexKey key, Object self, BlockingContext blocker) {
        return pool.submit(() -> status(() -> table.await(key, word::get, 0, self, NO_OWNER, Waiter.INFINITE, blocker)));
    }

    private void awaitWaiters(FutexKey key, int n) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (table.waiterCount(key) < n) {
            assertTrue(System.nanoTime() < end, "waiters never arrived");
            Thread.sleep(1); // polling a count, not synchronizing on time
        }
    }

    @Test
    void valueMismatchIsBadStateAndPastDeadlineTimesOut() {
        word.set(5);
        BlockingContext bl = BlockingContext.NONE;
        assertEquals(ZxStatus.ERR_BAD_STATE, status(() -> table.await(a, word::get, 4, null, NO_OWNER, Waiter.INFINITE, bl)));
        assertEquals(ZxStatus.ERR_TIMED_OUT, status(() -> table.await(a, word::get, 5, null, NO_OWNER, 0, bl)));
        long soon = kernel.clock().nowNanos() + TimeUnit.MILLISECONDS.toNanos(10);
        assertEquals(ZxStatus.ERR_TIMED_OUT, status(() -> table.await(a, word::get, 5, null, NO_OWNER, soon, bl)));
        assertEquals(0, table.activeFutexes());
    }

    @Test
    void wakeCountsAndWakeAll() throws Exception {
        List<Future<Integer>> ws = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ws.add(waiter(a, null, BlockingContext.NONE));
            awaitWaiters(a, i + 1); // one at a time, so queue order is submission order
        }
        assertEquals(0, table.wake(b, FutexTable.WAKE_ALL));
        assertEquals(1, table.wake(a, 1));
        assertEquals(ZxStatus.OK, ws.get(0).get(60, TimeUnit.SECONDS), "FIFO order");
        assertEquals(2, table.wake(a, FutexTable.WAKE_ALL));
        for (Future<Integer> w : ws) assertEquals(ZxStatus.OK, w.get(60, TimeUnit.SECONDS));
        assertEquals(0, table.wake(a, 0));
        assertEquals(0, table.activeFutexes());
    }

    @Test
    void killEndsTheWait() throws Exception {
        KillableContext bl = new KillableContext();
        Future<Integer> w = waiter(a, null, bl);
        awaitWaiters(a, 1);
        bl.interrupt(ZxStatus.ERR_INTERNAL_INTR_KILLED);
        assertEquals(ZxStatus.ERR_INTERNAL_INTR_KILLED, w.get(60, TimeUnit.SECONDS));
        assertEquals(0, table.waiterCount(a));
        assertEquals(0, table.wake(a, 1), "the killed waiter is not woken twice");
    }

    @Test
    void ownership() throws Exception {
        KernelObject t1 = thread();
        KernelObject t2 = thread();
        BlockingContext bl = BlockingContext.NONE;
        assertEquals(ZxStatus.ERR_INVALID_ARGS,
                status(() -> table.await(a, word::get, 0, t1, () -> t1, Waiter.INFINITE, bl)), "caller cannot own");
        Future<Integer> w = pool.submit(() -> status(() -> table.await(a, word::get, 0, t1, () -> t2, Waiter.INFINITE, bl)));
        awaitWaiters(a, 1);
        assertEquals(t2.koid(), table.ownerKoid(a));
        assertEquals(ZxStatus.ERR_INVALID_ARGS,
                status(() -> table.await(a, word::get, 0, t2, () -> t1, Waiter.INFINITE, bl)), "owner already waits");
        assertEquals(ZxStatus.ERR_BAD_HANDLE, status(() -> table.await(a, word::get, 0, t2, () -> {
            throw new ZxException(ZxStatus.ERR_BAD_HANDLE);
        }, Waiter.INFINITE, bl)));
        assertEquals(ZxStatus.ERR_BAD_STATE, status(() -> table.await(a, word::get, 1, t2, () -> {
            throw new ZxException(ZxStatus.ERR_BAD_HANDLE);
        }, Waiter.INFINITE, bl)), "value checked before the owner handle");
        table.wakeSingleOwner(a);
        assertEquals(ZxStatus.OK, w.get(60, TimeUnit.SECONDS));
        assertEquals(t1.koid(), table.ownerKoid(a), "the woken thread owns it");
        table.wake(a, 1);
        assertEquals(0, table.ownerKoid(a));
        table.wakeSingleOwner(a);
        assertEquals(0, table.activeFutexes());
    }

    @Test
    void requeueWakesThenMoves() throws Exception {
        List<Future<Integer>> ws = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ws.add(waiter(a, null, BlockingContext.NONE));
            awaitWaiters(a, i + 1);
        }
        KernelObject owner = thread();
        assertEquals(ZxStatus.ERR_INVALID_ARGS,
                status(() -> table.requeue(a, word::get, 0, 1, false, a, 1, null, NO_OWNER)));
        assertEquals(ZxStatus.ERR_BAD_STATE,
                status(() -> table.requeue(a, word::get, 9, 1, false, b, 1, null, NO_OWNER)));
        KernelObject waitingThread = thread();
        Future<Integer> w5 = waiter(a, waitingThread, BlockingContext.NONE);
        awaitWaiters(a, 5);
        assertEquals(ZxStatus.ERR_INVALID_ARGS,
                status(() -> table.requeue(a, word::get, 0, 1, false, b, 2, null, () -> waitingThread)),
                "an owner waiting on the wake futex");
        assertEquals(4 + 1, table.waiterCount(a), "nothing changed");
        table.requeue(a, word::get, 0, 1, false, b, 2, null, () -> owner);
        assertEquals(ZxStatus.OK, ws.get(0).get(60, TimeUnit.SECONDS));
        assertEquals(2, table.waiterCount(a));
        assertEquals(2, table.waiterCount(b));
        assertEquals(owner.koid(), table.ownerKoid(b));
        assertEquals(2, table.wake(b, FutexTable.WAKE_ALL));
        assertEquals(ZxStatus.OK, ws.get(1).get(60, TimeUnit.SECONDS));
        assertEquals(ZxStatus.OK, ws.get(2).get(60, TimeUnit.SECONDS));
        assertFalse(ws.get(3).isDone());
        table.requeue(a, word::get, 0, 0, true, b, 0, null, NO_OWNER);
        assertEquals(ZxStatus.OK, ws.get(3).get(60, TimeUnit.SECONDS));
        assertEquals(1, table.wake(a, FutexTable.WAKE_ALL));
        assertEquals(ZxStatus.OK, w5.get(60, TimeUnit.SECONDS));
    }

    @Test
    void keysAreSeparatedByAddressSpace() throws Exception {
        Future<Integer> w = waiter(new FutexKey(space, 0x1000), null, BlockingContext.NONE);
        awaitWaiters(a, 1);
        assertEquals(0, table.wake(new FutexKey(new Object(), 0x1000), 1));
        assertEquals(1, table.wake(new FutexKey(space, 0x1000), 1));
        assertEquals(ZxStatus.OK, w.get(60, TimeUnit.SECONDS));
    }
}
