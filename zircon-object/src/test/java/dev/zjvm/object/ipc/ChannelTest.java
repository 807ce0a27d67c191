package dev.zjvm.object.ipc;

import static dev.zjvm.object.ZxStatusOf.status;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.signal.Signals;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import dev.zjvm.object.task.BlockingContext;
import dev.zjvm.object.task.Waiter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChannelTest {
    private final Kernel kernel = Kernel.forTesting(1);

    @AfterEach
    void close() {
        kernel.close();
    }


    private Channel.Pair pair(Handle[] handles) {
        Channel.Pair p = Channel.create(kernel);
        handles[0] = Handle.createDefault(p.end0());
        handles[1] = Handle.createDefault(p.end1());
        return p;
    }

    @Test
    void writeThenReadKeepsOrderAndSignals() {
        Handle[] h = new Handle[2];
        Channel.Pair p = pair(h);
        assertEquals(Signals.WRITABLE, p.end0().signals());
        p.end0().write(MessagePacket.of(new byte[] {1}));
        p.end0().write(MessagePacket.of(new byte[] {2, 2}));
        assertEquals(Signals.WRITABLE | Signals.READABLE, p.end1().signals());
        assertEquals(Signals.WRITABLE, p.end0().signals());
        ChannelRead r = p.end1().read(0, 100, 0);
        assertEquals(ZxStatus.OK, r.status());
        assertArrayEquals(new byte[] {1}, r.message().data());
        assertArrayEquals(new byte[] {2, 2}, p.end1().read(0, 100, 0).message().data());
        assertEquals(Signals.WRITABLE, p.end1().signals());
        assertEquals(ZxStatus.ERR_SHOULD_WAIT, status(() -> p.end1().read(0, 100, 0)));
        assertEquals(p.end1().koid(), p.end0().relatedKoid());
        assertSame(p.end1(), p.end0().peer());
    }

    @Test
    void bufferTooSmallReportsSizesAndKeepsMessage() {
        Handle[] h = new Handle[2];
        Channel.Pair p = pair(h);
        Handle carried = Handle.createDefault(Channel.create(kernel).end0());
        p.end0().write(new MessagePacket(new byte[10], List.of(carried)));
        ChannelRead small = p.end1().read(0, 9, 1);
        assertEquals(ZxStatus.ERR_BUFFER_TOO_SMALL, small.status());
        assertEquals(10, small.actualBytes());
        assertEquals(1, small.actualHandles());
        assertEquals(ZxStatus.ERR_BUFFER_TOO_SMALL, p.end1().read(0, 10, 0).status());
        ChannelRead ok = p.end1().read(0, 10, 1);
        assertEquals(ZxStatus.OK, ok.status());
        assertSame(carried, ok.message().handles().get(0));
        assertFalse(carried.isDestroyed());
    }

    @Test
    void mayDiscardDropsMessageAndDestroysItsHandles() {
        Handle[] h = new Handle[2];
        Channel.Pair p = pair(h);
        Handle carried = Handle.createDefault(Channel.create(kernel).end0());
        p.end0().write(new MessagePacket(new byte[10], List.of(carried)));
        ChannelRead r = p.end1().read(Channel.READ_MAY_DISCARD, 0, 0);
        assertEquals(ZxStatus.ERR_BUFFER_TOO_SMALL, r.status());
        assertEquals(10, r.actualBytes());
        assertTrue(carried.isDestroyed());
        assertEquals(0, p.end1().queuedMessages());
        assertEquals(0, p.end1().signals() & Signals.READABLE);
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, status(() -> p.end1().read(2, 0, 0)));
    }

    @Test
    void writingOwnHandleIsNotSupportedAndConsumesHandles() {
        Handle[] h = new Handle[2];
        Channel.Pair p = pair(h);
        Handle other = Handle.createDefault(Channel.create(kernel).end0());
        int st = status(() -> p.end0().write(new MessagePacket(new byte[1], List.of(other, h[0]))));
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, st);
        assertTrue(other.isDestroyed());
        assertEquals(0, p.end1().queuedMessages());
    }

    @Test
    void writesPastThePendingLimitSucceedButReportIt() {
        Handle[] h = new Handle[2];
        Channel.Pair p = pair(h);
        for (int i = 0; i < Channel.MAX_PENDING; i++) assertFalse(p.end0().write(MessagePacket.of(new byte[0])));
        assertTrue(p.end0().write(MessagePacket.of(new byte[0])));
        assertEquals(Channel.MAX_PENDING + 1, p.end1().queuedMessages());
    }

    @Test
    void callsCountAgainstThePendingLimitUnlessTheyGoToAWaitingCaller() {
        Handle[] h = new Handle[2];
        Channel.Pair p = pair(h);
        for (int i = 0; i < Channel.MAX_PENDING; i++) p.end0().write(MessagePacket.of(new byte[0]));
        Channel.Call call = p.end0().beginCall(MessagePacket.of(new byte[4]));
        assertTrue(call.peerOverLimit());
        // end1 answers into end0, where the call waits: the reply is not queued, so not counted.
        for (int i = 0; i < Channel.MAX_PENDING + 1; i++) p.end1().write(MessagePacket.of(new byte[0]));
        byte[] reply = new byte[4];
        java.nio.ByteBuffer.wrap(reply).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(call.txid());
        assertFalse(p.end1().write(MessagePacket.of(reply)), "went to the waiting call");
        assertEquals(Channel.MAX_PENDING + 1, p.end0().queuedMessages());
    }

    @Test
    void limitsAreOutOfRange() {
        assertEquals(ZxStatus.ERR_OUT_OF_RANGE, status(() -> MessagePacket.of(new byte[MessagePacket.MAX_BYTES + 1])));
        MessagePacket.of(new byte[MessagePacket.MAX_BYTES]);
        List<Handle> many = new java.util.ArrayList<>();
        for (int i = 0; i < MessagePacket.MAX_HANDLES + 1; i++) many.add(null);
        assertEquals(ZxStatus.ERR_OUT_OF_RANGE, status(() -> new MessagePacket(new byte[0], many)));
    }

    @Test
    void peerCloseGivesPeerClosedAfterQueueDrains() {
        Handle[] h = new Handle[2];
        Channel.Pair p = pair(h);
        p.end0().write(MessagePacket.of(new byte[] {7}));
        h[0].destroy();
        assertEquals(Signals.READABLE | Signals.PEER_CLOSED, p.end1().signals());
        assertEquals(ZxStatus.ERR_PEER_CLOSED, status(() -> p.end1().write(MessagePacket.of(new byte[1]))));
        assertEquals(ZxStatus.ERR_PEER_CLOSED, status(() -> p.end1().peer()));
        assertEquals(7, p.end1().read(0, 1, 0).message().data()[0]);
        assertEquals(ZxStatus.ERR_PEER_CLOSED, status(() -> p.end1().read(0, 1, 0)));
    }

    @Test
    void closingAnEndpointDestroysHandlesInFlight() {
        Handle[] h = new Handle[2];
        Channel.Pair p = pair(h);
        Channel.Pair inner = Channel.create(kernel);
        Handle innerHandle = Handle.createDefault(inner.end0());
        Handle innerPeer = Handle.createDefault(inner.end1());
        p.end0().write(new MessagePacket(new byte[0], List.of(innerHandle)));
        h[1].destroy();
        assertTrue(innerHandle.isDestroyed());
        assertEquals(Signals.PEER_CLOSED, innerPeer.object().signals() & Signals.PEER_CLOSED);
    }

    @Test
    void deeplyNestedChannelsCloseWithoutStackOverflow() {
        Handle[] h = new Handle[2];
        Channel.Pair outer = pair(h);
        // Each channel's queue holds the receiving end of the next one: closing the outermost
        // receiver cascades through all of them.
        Handle writer = h[0];
        Channel.Pair next = null;
        for (int i = 0; i < 100_000; i++) {
            next = Channel.create(kernel);
            Handle send = Handle.createDefault(next.end0());
            Handle recv = Handle.createDefault(next.end1());
            ((Channel) writer.object()).write(new MessagePacket(new byte[0], List.of(recv)));
            writer.destroy();
            writer = send;
        }
        assertEquals(0, next.end0().signals() & Signals.PEER_CLOSED);
        h[1].destroy();
        assertEquals(Signals.PEER_CLOSED, next.end0().signals() & Signals.PEER_CLOSED);
        writer.destroy();
    }

    @Test
    void callRoutesReplyByTxid() throws Exception {
        Handle[] h = new Handle[2];
        Channel.Pair p = pair(h);
        BlockingContext blocker = BlockingContext.NONE;
        CompletableFuture<MessagePacket> reply = CompletableFuture.supplyAsync(
                () -> p.end0().call(MessagePacket.of(new byte[] {0, 0, 0, 0, 42}), Waiter.INFINITE, blocker));
        // Server: read the request, send an unrelated message and then the reply.
        MessagePacket req = readBlocking(p.end1());
        assertEquals(42, req.data()[4]);
        assertTrue(req.txid() < 0, "kernel txids have the top bit set");
        p.end1().write(MessagePacket.of(new byte[] {1, 0, 0, 0, 9}));
        byte[] answer = req.data().clone();
        answer[4] = 43;
        p.end1().write(MessagePacket.of(answer));
        MessagePacket got = reply.get(30, TimeUnit.SECONDS);
        assertEquals(43, got.data()[4]);
        assertEquals(req.txid(), got.txid());
        assertEquals(1, p.end0().queuedMessages(), "the unrelated message is queued normally");
    }

    private MessagePacket readBlocking(Channel ch) {
        Signaled.await(ch, Signals.READABLE);
        return ch.read(0, MessagePacket.MAX_BYTES, MessagePacket.MAX_HANDLES).message();
    }

    @Test
    void callTimesOutAndLateReplyIsQueued() {
        Handle[] h = new Handle[2];
        Channel.Pair p = pair(h);
        BlockingContext blocker = BlockingContext.NONE;
        long deadline = kernel.clock().nowNanos() + TimeUnit.MILLISECONDS.toNanos(20);
        int st = status(() -> p.end0().call(MessagePacket.of(new byte[4]), deadline, blocker));
        assertEquals(ZxStatus.ERR_TIMED_OUT, st);
        MessagePacket req = p.end1().read(0, 100, 0).message();
        p.end1().write(MessagePacket.of(req.data()));
        assertEquals(1, p.end0().queuedMessages());
    }

    @Test
    void callFailsWithPeerClosedWhilePending() throws Exception {
        Handle[] h = new Handle[2];
        Channel.Pair p = pair(h);
        BlockingContext blocker = BlockingContext.NONE;
        CompletableFuture<Integer> st = CompletableFuture.supplyAsync(
                () -> status(() -> p.end0().call(MessagePacket.of(new byte[4]), Waiter.INFINITE, blocker)));
        readBlocking(p.end1());
        h[1].destroy();
        assertEquals(ZxStatus.ERR_PEER_CLOSED, st.get(30, TimeUnit.SECONDS));
        assertEquals(ZxStatus.ERR_PEER_CLOSED,
                status(() -> p.end0().call(MessagePacket.of(new byte[4]), Waiter.INFINITE, blocker)));
    }

    @Test
    void callCanceledWhenOwnEndCloses() throws Exception {
        Handle[] h = new Handle[2];
        Channel.Pair p = pair(h);
        BlockingContext blocker = BlockingContext.NONE;
        CompletableFuture<Integer> st = CompletableFuture.supplyAsync(
                () -> status(() -> p.end0().call(MessagePacket.of(new byte[4]), Waiter.INFINITE, blocker)));
        readBlocking(p.end1());
        h[0].destroy();
        assertEquals(ZxStatus.ERR_CANCELED, st.get(30, TimeUnit.SECONDS));
    }

    @Test
    void callInterruptedByKill() throws Exception {
        Handle[] h = new Handle[2];
        Channel.Pair p = pair(h);
        KillableContext thread = new KillableContext();
        CompletableFuture<Integer> st = CompletableFuture.supplyAsync(
                () -> status(() -> p.end0().call(MessagePacket.of(new byte[4]), Waiter.INFINITE, thread)));
        readBlocking(p.end1());
        thread.interrupt(ZxStatus.ERR_INTERNAL_INTR_KILLED);
        assertEquals(ZxStatus.ERR_INTERNAL_INTR_KILLED, st.get(30, TimeUnit.SECONDS));
    }

    @Test
    void callInterruptedBySuspendResumesThroughFinish() throws Exception {
        Handle[] h = new Handle[2];
        Channel.Pair p = pair(h);
        KillableContext thread = new KillableContext();
        thread.interrupt(ZxStatus.ERR_INTERNAL_INTR_RETRY);
        Channel.Call call = p.end0().beginCall(MessagePacket.of(new byte[4]));
        assertEquals(ZxStatus.ERR_INTERNAL_INTR_RETRY, status(() -> p.end0().finishCall(call, Waiter.INFINITE, thread)));
        // The reply arrives while the caller is suspended: it is kept for the call, not queued.
        MessagePacket req = p.end1().read(0, 100, 0).message();
        p.end1().write(MessagePacket.of(req.data()));
        assertEquals(0, p.end0().queuedMessages());
        thread.clear();
        assertEquals(call.txid(), p.end0().finishCall(call, Waiter.INFINITE, thread).txid());

        // Suspended again, then resumed before the reply: it waits on a fresh wait.
        thread.interrupt(ZxStatus.ERR_INTERNAL_INTR_RETRY);
        Channel.Call second = p.end0().beginCall(MessagePacket.of(new byte[4]));
        assertEquals(ZxStatus.ERR_INTERNAL_INTR_RETRY, status(() -> p.end0().finishCall(second, Waiter.INFINITE, thread)));
        thread.clear();
        CompletableFuture<MessagePacket> done = CompletableFuture.supplyAsync(
                () -> p.end0().finishCall(second, Waiter.INFINITE, thread));
        MessagePacket req2 = p.end1().read(0, 100, 0).message();
        p.end1().write(MessagePacket.of(req2.data()));
        assertEquals(second.txid(), done.get(30, TimeUnit.SECONDS).txid());

        // Suspended, and the peer closes: the resumed call reports PEER_CLOSED.
        thread.interrupt(ZxStatus.ERR_INTERNAL_INTR_RETRY);
        Channel.Call third = p.end0().beginCall(MessagePacket.of(new byte[4]));
        assertEquals(ZxStatus.ERR_INTERNAL_INTR_RETRY, status(() -> p.end0().finishCall(third, Waiter.INFINITE, thread)));
        h[1].destroy();
        thread.clear();
        assertEquals(ZxStatus.ERR_PEER_CLOSED, status(() -> p.end0().finishCall(third, Waiter.INFINITE, thread)));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, status(() -> p.end0().beginCall(MessagePacket.of(new byte[3]))));
    }
}
