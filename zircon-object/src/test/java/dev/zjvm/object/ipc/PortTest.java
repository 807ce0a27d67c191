package dev.zjvm.object.ipc;

import static dev.zjvm.object.ZxStatusOf.status;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.signal.Signals;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import dev.zjvm.object.task.BlockingContext;
import dev.zjvm.object.task.Waiter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PortTest {
    private final Kernel kernel = Kernel.forTesting(2);
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void close() {
        pool.shutdownNow();
        kernel.close();
    }


    private long soon() {
        return kernel.clock().nowNanos() + TimeUnit.MILLISECONDS.toNanos(10);
    }

    private PortPacket poll(Port port) {
        return port.await(0, BlockingContext.NONE);
    }

    @Test
    void packetEncodingRoundTrips() {
        PortPacket p = PortPacket.signal(PortPacket.TYPE_SIGNAL_ONE, 0x1122334455667788L, 0x5, 0x80000001, 1, 99);
        byte[] b = p.encode();
        assertEquals(48, b.length);
        assertEquals(0x88, b[0] & 0xff);
        assertEquals(PortPacket.TYPE_SIGNAL_ONE, b[8]);
        assertEquals(0x5, b[16]);
        assertEquals(0x80, b[23] & 0xff);
        assertEquals(1, b[24]);
        assertEquals(99, b[32]);
        PortPacket back = PortPacket.decode(b);
        assertEquals(p, back);
        assertEquals(0x80000001, back.observed());
        assertEquals(5, back.trigger());
    }

    @Test
    void userPacketsAreFifoAndForcedToUserType() {
        Port port = Port.create(kernel, 0);
        port.queueUser(new PortPacket(1, 77, -5, 10, 0, 0, 0));
        port.queueUser(new PortPacket(2, 0, 0, 20, 0, 0, 0));
        PortPacket a = poll(port);
        assertEquals(1, a.key());
        assertEquals(PortPacket.TYPE_USER, a.type());
        assertEquals(-5, a.status());
        assertEquals(10, a.w0());
        assertEquals(2, poll(port).key());
        assertEquals(ZxStatus.ERR_TIMED_OUT, status(() -> poll(port)));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, status(() -> Port.create(kernel, 2)));
        assertTrue(Port.create(kernel, Port.BIND_TO_INTERRUPT).canBindToInterrupt());
    }

    @Test
    void interruptPacketsComeFirstAndQueueOnce() {
        Port plain = Port.create(kernel, 0);
        PortPacket irq = PortPacket.interrupt(8, 123);
        assertEquals(ZxStatus.ERR_WRONG_TYPE, status(() -> plain.queueInterrupt(irq)));
        Port port = Port.create(kernel, Port.BIND_TO_INTERRUPT);
        port.queueUser(new PortPacket(1, 0, 0, 0, 0, 0, 0));
        assertTrue(port.queueInterrupt(irq));
        assertFalse(port.queueInterrupt(irq), "already queued");
        assertEquals(2, port.queuedPackets());
        PortPacket first = poll(port);
        assertSame(irq, first);
        assertEquals(123, first.w0());
        assertEquals(1, poll(port).key());
        assertTrue(port.queueInterrupt(irq));
        assertTrue(port.removeInterrupt(irq));
        assertFalse(port.removeInterrupt(irq));
        assertEquals(0, port.queuedPackets());
    }

    @Test
    void userQueueIsBounded() {
        Port port = Port.create(kernel, 0);
        for (int i = 0; i < Port.MAX_USER_PACKETS; i++) port.queueUser(new PortPacket(i, 0, 0, 0, 0, 0, 0));
        assertEquals(ZxStatus.ERR_SHOULD_WAIT, status(() -> port.queueUser(new PortPacket(0, 0, 0, 0, 0, 0, 0))));
        port.queueKernel(PortPacket.interrupt(5, 1));
        poll(port);
        port.queueUser(new PortPacket(0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void waitTimesOutWithFutureDeadline() {
        Port port = Port.create(kernel, 0);
        assertEquals(ZxStatus.ERR_TIMED_OUT, status(() -> port.await(soon(), BlockingContext.NONE)));
    }

    @Test
    void blockedWaiterGetsPacketAndKillEndsWait() throws Exception {
        Port port = Port.create(kernel, 0);
        Future<PortPacket> f = pool.submit(() -> port.await(Waiter.INFINITE, BlockingContext.NONE));
        port.queueUser(new PortPacket(9, 0, 0, 0, 0, 0, 0));
        assertEquals(9, f.get(60, TimeUnit.SECONDS).key());

        KillableContext victim = new KillableContext();
        Future<Integer> killed = pool.submit(() -> status(() -> port.await(Waiter.INFINITE, victim)));
        victim.interrupt(ZxStatus.ERR_INTERNAL_INTR_KILLED);
        assertEquals(ZxStatus.ERR_INTERNAL_INTR_KILLED, killed.get(60, TimeUnit.SECONDS));
        // The dead waiter must not swallow the next packet.
        port.queueUser(new PortPacket(10, 0, 0, 0, 0, 0, 0));
        assertEquals(10, poll(port).key());
    }

    @Test
    void waitAsyncFiresOnceWithTriggerAndObserved() {
        Port port = Port.create(kernel, 0);
        Channel.Pair ch = Channel.create(kernel);
        Handle h0 = Handle.createDefault(ch.end0());
        Handle h1 = Handle.createDefault(ch.end1());
        port.waitAsync(h1, 42, Signals.READABLE | Signals.PEER_CLOSED, Port.WAIT_ASYNC_ONCE);
        assertEquals(1, port.pendingWaits());
        assertEquals(0, port.queuedPackets());
        ch.end0().write(MessagePacket.of(new byte[1]));
        ch.end0().write(MessagePacket.of(new byte[1]));
        assertEquals(1, port.queuedPackets(), "one-shot");
        assertEquals(0, port.pendingWaits());
        assertEquals(0, ch.end1().observerCount());
        PortPacket p = poll(port);
        assertEquals(42, p.key());
        assertEquals(PortPacket.TYPE_SIGNAL_ONE, p.type());
        assertEquals(Signals.READABLE | Signals.PEER_CLOSED, p.trigger());
        assertEquals(Signals.READABLE | Signals.WRITABLE, p.observed());
        assertEquals(1, p.count());
        assertEquals(0, p.timestamp());
        h0.destroy();
        h1.destroy();
    }

    @Test
    void waitAsyncOnAssertedSignalFiresAtOnceAndTimestamps() {
        Port port = Port.create(kernel, 0);
        Channel.Pair ch = Channel.create(kernel);
        Handle h0 = Handle.createDefault(ch.end0());
        long before = kernel.clock().nowNanos();
        port.waitAsync(h0, 7, Signals.WRITABLE, Port.WAIT_ASYNC_TIMESTAMP);
        PortPacket p = poll(port);
        assertTrue(p.timestamp() >= before);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, status(() -> port.waitAsync(h0, 7, Signals.WRITABLE, 2)));
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED,
                status(() -> port.waitAsync(Handle.createDefault(Port.create(kernel, 0)), 1, 1, 0)));
    }

    @Test
    void cancelRemovesRegistrationsAndQueuedPacketsOfThatHandleAndKey() {
        Port port = Port.create(kernel, 0);
        Channel.Pair ch = Channel.create(kernel);
        Handle h0 = Handle.createDefault(ch.end0());
        Handle h1 = Handle.createDefault(ch.end1());
        port.waitAsync(h0, 1, Signals.WRITABLE, 0); // fires now: queued packet
        port.waitAsync(h1, 1, Signals.READABLE, 0); // pending
        port.waitAsync(h1, 2, Signals.READABLE, 0); // other key
        port.cancel(h0, 1);
        assertEquals(0, port.queuedPackets());
        port.cancel(h1, 1);
        assertEquals(1, port.pendingWaits());
        assertEquals(ZxStatus.ERR_NOT_FOUND, status(() -> port.cancel(h1, 1)));
        assertEquals(ZxStatus.ERR_NOT_FOUND, status(() -> port.cancel(h0, 2)));
        ch.end0().write(MessagePacket.of(new byte[1]));
        assertEquals(2, poll(port).key());
        assertEquals(0, ch.end1().observerCount());
    }

    @Test
    void closingWatchedHandleEndsRegistrationButKeepsQueuedPackets() {
        Port port = Port.create(kernel, 0);
        Channel.Pair ch = Channel.create(kernel);
        Handle h0 = Handle.createDefault(ch.end0());
        Handle h0b = Handle.create(ch.end0(), h0.rights());
        port.waitAsync(h0, 1, Signals.WRITABLE, 0);
        port.waitAsync(h0b, 2, Signals.READABLE, 0);
        assertEquals(1, port.pendingWaits());
        h0b.destroy();
        assertEquals(0, port.pendingWaits());
        assertEquals(0, ch.end0().observerCount());
        h0.destroy();
        assertEquals(1, poll(port).key());
    }

    @Test
    void closingThePortDropsEverything() {
        Port port = Port.create(kernel, 0);
        Handle ph = Handle.createDefault(port);
        Channel.Pair ch = Channel.create(kernel);
        Handle h1 = Handle.createDefault(ch.end1());
        port.waitAsync(h1, 1, Signals.READABLE, 0);
        port.queueUser(new PortPacket(3, 0, 0, 0, 0, 0, 0));
        ph.destroy();
        assertEquals(0, port.queuedPackets());
        assertEquals(0, ch.end1().observerCount());
    }

    @Test
    void eachPacketWakesExactlyOneOfManyWaiters() throws Exception {
        Port port = Port.create(kernel, 0);
        int n = 4;
        CompletableFuture<?>[] got = new CompletableFuture<?>[n];
        for (int i = 0; i < n; i++) {
            got[i] = CompletableFuture.supplyAsync(() -> port.await(Waiter.INFINITE, BlockingContext.NONE), pool);
        }
        for (int i = 0; i < n; i++) port.queueUser(new PortPacket(100 + i, 0, 0, 0, 0, 0, 0));
        CompletableFuture.allOf(got).get(60, TimeUnit.SECONDS);
        long sum = 0;
        for (CompletableFuture<?> f : got) sum += ((PortPacket) f.get()).key();
        assertEquals(100 + 101 + 102 + 103, sum);
        assertEquals(0, port.queuedPackets());
    }
}
