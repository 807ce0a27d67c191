package dev.zjvm.object.ipc;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.signal.Signals;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import dev.zjvm.object.task.BlockingContext;
import dev.zjvm.object.task.Waiter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several Java threads hammer one object at a time: nothing may be lost, duplicated or left
 * waiting, and everything must be collectable once its handles are closed.
 */
class IpcConcurrencyTest {
    private final Kernel kernel = Kernel.forTesting(7);
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final AtomicInteger seeds = new AtomicInteger();

    @AfterEach
    void close() {
        pool.shutdownNow();
        kernel.close();
    }

    private static <T> List<T> all(List<Future<T>> fs) throws Exception {
        List<T> out = new ArrayList<>();
        for (Future<T> f : fs) out.add(f.get(120, TimeUnit.SECONDS));
        return out;
    }

    /** Everything created since {@code before} must be reclaimed by the collector. */
    private void assertReclaimed(List<Long> before) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<Long> now;
        do {
            System.gc();
            Thread.sleep(10); // give reference processing a chance; the loop is bounded
            now = new ArrayList<>(kernel.liveKoids());
            now.removeAll(before);
        } while (!now.isEmpty() && System.nanoTime() < end);
        assertEquals(List.of(), now, "objects leaked");
    }

    @Test
    void channelMessagesAndHandlesAreNeitherLostNorDuplicated() throws Exception {
        List<Long> before = kernel.liveKoids();
        channelMessagesAndHandlesAreNeitherLostNorDuplicatedScenario();
        // The scenario's locals are out of scope now: its objects must be collectable.
        assertReclaimed(before);
    }

    private void channelMessagesAndHandlesAreNeitherLostNorDuplicatedScenario() throws Exception {
        int producers = 3;
        int consumers = 3;
        int perProducer = 2000;
        Channel.Pair ch = Channel.create(kernel);
        Handle tx = Handle.createDefault(ch.end0());
        Handle rx = Handle.createDefault(ch.end1());
        Map<Handle, Boolean> sent = Collections.synchronizedMap(new IdentityHashMap<>());
        List<Future<Void>> prod = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            prod.add(pool.submit(() -> {
                for (int i = 0; i < perProducer; i++) {
                    Handle carried = Handle.createDefault(Port.create(kernel, 0));
                    sent.put(carried, true);
                    ByteBuffer b = ByteBuffer.allocate(8).putInt(id).putInt(i);
                    ch.end0().write(new MessagePacket(b.array(), List.of(carried)));
                }
                return null;
            }));
        }
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        Map<Handle, Boolean> received = Collections.synchronizedMap(new IdentityHashMap<>());
        AtomicInteger remaining = new AtomicInteger(producers * perProducer);
        List<Future<Integer>> cons = new ArrayList<>();
        for (int c = 0; c < consumers; c++) {
            cons.add(pool.submit(() -> {
                int got = 0;
                while (remaining.get() > 0) {
                    try {
                        MessagePacket m = ch.end1().read(0, 8, 1).message();
                        ByteBuffer b = ByteBuffer.wrap(m.data());
                        assertTrue(seen.add(((long) b.getInt() << 32) | b.getInt()), "duplicate message");
                        assertNull(received.put(m.handles().get(0), true), "duplicate handle");
                        m.discard();
                        remaining.decrementAndGet();
                        got++;
                    } catch (ZxException e) {
                        assertEquals(ZxStatus.ERR_SHOULD_WAIT, e.status());
                        awaitReadableOrDone(ch.end1(), remaining);
                    }
                }
                return got;
            }));
        }
        all(prod);
        int total = all(cons).stream().mapToInt(Integer::intValue).sum();
        assertEquals(producers * perProducer, total);
        assertEquals(sent.keySet(), received.keySet());
        for (Handle h : received.keySet()) assertTrue(h.isDestroyed());
        tx.destroy();
        rx.destroy();
        sent.clear();
        received.clear();
    }

    /** Waits for READABLE, or returns when the others finished the work. */
    private static void awaitReadableOrDone(Channel ch, AtomicInteger remaining) {
        java.util.concurrent.CountDownLatch latch = new java.util.concurrent.CountDownLatch(1);
        dev.zjvm.object.signal.SignalObserver o = s -> {
            if ((s & Signals.READABLE) == 0) return false;
            latch.countDown();
            return true;
        };
        ch.addObserver(o);
        try {
            while (!latch.await(5, TimeUnit.MILLISECONDS)) {
                if (remaining.get() == 0) break;
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            ch.removeObserver(o);
        }
    }

    @Test
    void portDeliversEveryPacketToExactlyOneWaiter() throws Exception {
        List<Long> before = kernel.liveKoids();
        portDeliversEveryPacketToExactlyOneWaiterScenario();
        // The scenario's locals are out of scope now: its objects must be collectable.
        assertReclaimed(before);
    }

    private void portDeliversEveryPacketToExactlyOneWaiterScenario() throws Exception {
        Port port = Port.create(kernel, 0);
        Handle ph = Handle.createDefault(port);
        int producers = 3;
        int waiters = 3;
        int perProducer = 3000;
        int total = producers * perProducer;
        AtomicInteger toTake = new AtomicInteger(total);
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        List<Future<Integer>> ws = new ArrayList<>();
        for (int w = 0; w < waiters; w++) {
            ws.add(pool.submit(() -> {
                BlockingContext blocker = BlockingContext.NONE;
                int got = 0;
                // Each waiter claims a packet before blocking, so nobody waits for one that never comes.
                while (toTake.getAndDecrement() > 0) {
                    PortPacket p = port.await(Waiter.INFINITE, blocker);
                    assertTrue(seen.add(p.key()), "packet delivered twice");
                    got++;
                }
                return got;
            }));
        }
        List<Future<Void>> ps = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            long base = (long) p << 32;
            ps.add(pool.submit(() -> {
                for (int i = 0; i < perProducer; i++) {
                    while (true) {
                        try {
                            port.queueUser(new PortPacket(base | i, 0, 0, 0, 0, 0, 0));
                            break;
                        } catch (ZxException e) {
                            assertEquals(ZxStatus.ERR_SHOULD_WAIT, e.status());
                            Thread.yield();
                        }
                    }
                }
                return null;
            }));
        }
        all(ps);
        assertEquals(total, all(ws).stream().mapToInt(Integer::intValue).sum());
        assertEquals(total, seen.size());
        assertEquals(0, port.queuedPackets());
        ph.destroy();
    }

    @Test
    void asyncWaitsRacingSignalChangesAndCancelsStayConsistent() throws Exception {
        List<Long> before = kernel.liveKoids();
        asyncWaitsRacingSignalChangesAndCancelsStayConsistentScenario();
        // The scenario's locals are out of scope now: its objects must be collectable.
        assertReclaimed(before);
    }

    private void asyncWaitsRacingSignalChangesAndCancelsStayConsistentScenario() throws Exception {
        Port port = Port.create(kernel, 0);
        Handle ph = Handle.createDefault(port);
        Channel.Pair ch = Channel.create(kernel);
        Handle h0 = Handle.createDefault(ch.end0());
        Handle h1 = Handle.createDefault(ch.end1());
        int rounds = 3000;
        Future<Void> toggler = pool.submit(() -> {
            for (int i = 0; i < rounds; i++) {
                ch.end1().userSignal(0, Signals.USER_0);
                ch.end1().userSignal(Signals.USER_0, 0);
            }
            return null;
        });
        int queuedOrCancelled = 0;
        BlockingContext blocker = BlockingContext.NONE;
        for (int i = 0; i < rounds; i++) {
            port.waitAsync(h1, i, Signals.USER_0, 0);
            try {
                port.cancel(h1, i);
                queuedOrCancelled++;
            } catch (ZxException e) {
                fail("registration " + i + " vanished: " + e);
            }
        }
        toggler.get(120, TimeUnit.SECONDS);
        assertEquals(rounds, queuedOrCancelled);
        assertEquals(0, port.pendingWaits());
        assertEquals(0, port.queuedPackets());
        assertEquals(0, ch.end1().observerCount());
        assertEquals(ZxStatus.ERR_TIMED_OUT, assertThrows(ZxException.class, () -> port.await(0, blocker)).status());
        ph.destroy();
        h0.destroy();
        h1.destroy();
    }

    @Test
    void futexMutexLosesNoWakeup() throws Exception {
        FutexTable table = FutexTable.of(kernel);
        AtomicInteger word = new AtomicInteger(); // 0 free, 1 locked, 2 locked with waiters
        FutexKey key = new FutexKey(this, 0x40);
        int threads = 4;
        int iterations = 20000;
        long[] counter = {0};
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
        List<Future<Void>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            fs.add(pool.submit(() -> {
                BlockingContext blocker = BlockingContext.NONE;
                start.await();
                for (int i = 0; i < iterations; i++) {
                    // Drepper's "futexes are tricky" mutex, with an infinite wait: a lost wake-up hangs
                    // the test (and fails it through the future's timeout).
                    int c = word.compareAndExchange(0, 1);
                    if (c != 0) {
                        if (c != 2) c = word.getAndSet(2);
                        while (c != 0) {
                            try {
                                table.await(key, word::get, 2, null, () -> null, Waiter.INFINITE, blocker);
                            } catch (ZxException e) {
                                assertEquals(ZxStatus.ERR_BAD_STATE, e.status());
                            }
                            c = word.getAndSet(2);
                        }
                    }
                    counter[0]++;
                    if (word.getAndDecrement() != 1) {
                        word.set(0);
                        table.wake(key, 1);
                    }
                }
                return null;
            }));
        }
        all(fs);
        assertEquals((long) threads * iterations, counter[0]);
        assertEquals(0, table.activeFutexes());
    }

    @Test
    void socketStreamKeepsEveryByteInOrder() throws Exception {
        List<Long> before = kernel.liveKoids();
        socketStreamKeepsEveryByteInOrderScenario();
        // The scenario's locals are out of scope now: its objects must be collectable.
        assertReclaimed(before);
    }

    private void socketStreamKeepsEveryByteInOrderScenario() throws Exception {
        Socket.Pair s = Socket.create(kernel, Socket.STREAM);
        Handle h0 = Handle.createDefault(s.end0());
        Handle h1 = Handle.createDefault(s.end1());
        int total = 3 * Socket.CAPACITY + 12345;
        Future<Void> writer = pool.submit(() -> {
            SplittableRandom r = new SplittableRandom(1);
            byte[] buf = new byte[40000];
            int sent = 0;
            while (sent < total) {
                int n = Math.min(total - sent, 1 + r.nextInt(buf.length));
                for (int i = 0; i < n; i++) buf[i] = (byte) (sent + i);
                try {
                    sent += s.end0().write(0, buf, 0, n);
                } catch (ZxException e) {
                    assertEquals(ZxStatus.ERR_SHOULD_WAIT, e.status());
                    Signaled.await(s.end0(), Signals.WRITABLE);
                }
            }
            h0.destroy();
            return null;
        });
        byte[] buf = new byte[30000];
        int got = 0;
        SplittableRandom r = new SplittableRandom(2);
        while (true) {
            try {
                int n = s.end1().read(0, buf, 0, 1 + r.nextInt(buf.length));
                for (int i = 0; i < n; i++) assertEquals((byte) (got + i), buf[i]);
                got += n;
            } catch (ZxException e) {
                if (e.status() == ZxStatus.ERR_PEER_CLOSED) break;
                assertEquals(ZxStatus.ERR_SHOULD_WAIT, e.status());
                Signaled.await(s.end1(), Signals.READABLE | Signals.PEER_CLOSED);
            }
        }
        writer.get(120, TimeUnit.SECONDS);
        assertEquals(total, got);
        h1.destroy();
    }

    @Test
    void killedPortWaitersNeverSwallowPackets() throws Exception {
        Port port = Port.create(kernel, 0);
        int rounds = 300;
        AtomicInteger delivered = new AtomicInteger();
        for (int r = 0; r < rounds; r++) {
            KillableContext victim = new KillableContext();
            Future<Integer> v = pool.submit(() -> {
                try {
                    port.await(Waiter.INFINITE, victim);
                    return 1;
                } catch (ZxException e) {
                    assertEquals(ZxStatus.ERR_INTERNAL_INTR_KILLED, e.status());
                    return 0;
                }
            });
            // Race the kill against a packet: either the victim got it, or it is still queued.
            port.queueUser(new PortPacket(r, 0, 0, 0, 0, 0, 0));
            victim.interrupt(ZxStatus.ERR_INTERNAL_INTR_KILLED);
            delivered.addAndGet(v.get(60, TimeUnit.SECONDS));
        }
        assertEquals(rounds, delivered.get() + port.queuedPackets());
    }

    @Test
    void futexWakeCountsMatchWokenWaitersDespiteTimeouts() throws Exception {
        FutexTable table = FutexTable.of(kernel);
        FutexKey key = new FutexKey(this, 0x80);
        AtomicInteger word = new AtomicInteger();
        int waiters = 4;
        int rounds = 400;
        AtomicInteger okReturns = new AtomicInteger();
        AtomicInteger reportedWakes = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<Future<Void>> fs = new ArrayList<>();
        for (int w = 0; w < waiters; w++) {
            fs.add(pool.submit(() -> {
                SplittableRandom r = new SplittableRandom(seeds.incrementAndGet());
                while (!stop.get()) {
                    long deadline = kernel.clock().nowNanos() + r.nextLong(0, 200_000);
                    try {
                        table.await(key, word::get, 0, null, () -> null, deadline, BlockingContext.NONE);
                        okReturns.incrementAndGet();
                    } catch (ZxException e) {
                        assertEquals(ZxStatus.ERR_TIMED_OUT, e.status());
                    }
                }
                return null;
            }));
        }
        for (int i = 0; i < rounds; i++) {
            reportedWakes.addAndGet(table.wake(key, 1 + (i % 3)));
            Thread.yield();
        }
        stop.set(true);
        all(fs); // every wait had a short deadline, so all waiters finish

        reportedWakes.addAndGet(table.wake(key, FutexTable.WAKE_ALL));
        assertEquals(reportedWakes.get(), okReturns.get(), "every counted wake woke exactly one waiter");
        assertEquals(0, table.activeFutexes());
    }

}
