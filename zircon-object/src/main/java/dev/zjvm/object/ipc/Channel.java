package dev.zjvm.object.ipc;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.task.BlockingContext;
import dev.zjvm.object.task.ThreadState;
import dev.zjvm.object.signal.Signals;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One endpoint of a channel: a queue of whole messages written by the peer. Both endpoints share
 * one lock, so a write and the peer's close are atomic with respect to each other.
 *
 * <p>Calls ({@code zx_channel_call}): the caller's endpoint keeps the waiting calls; a message
 * arriving with a matching transaction id goes straight to its caller instead of the queue.
 */
public final class Channel extends PeeredObject<Channel> {
    /** {@code ZX_CHANNEL_READ_MAY_DISCARD}. */
    public static final int READ_MAY_DISCARD = 1;
    /** {@code kMaxPendingMessageCount}: queue length past which a writer is in violation. */
    public static final int MAX_PENDING = 3500;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Channel.class);
    /** Kernel-chosen transaction ids have the top bit set; user ones do not. */
    private static final int TXID_KERNEL_BIT = 0x8000_0000;

    private final ArrayDeque<MessagePacket> queue = new ArrayDeque<>();
    private final ArrayList<Call> calls = new ArrayList<>();
    private int nextTxid;
    private boolean closed;

    private Channel(Kernel kernel, Object sharedLock) {
        super(kernel, sharedLock);
    }

    /** The two endpoints of a new channel. */
    public record Pair(Channel end0, Channel end1) {}

    public static Pair create(Kernel kernel) {
        Object lock = new Object();
        Channel a = new Channel(kernel, lock);
        Channel b = new Channel(kernel, lock);
        link(a, b);
        a.updateSignals(0, Signals.WRITABLE);
        b.updateSignals(0, Signals.WRITABLE);
        return new Pair(a, b);
    }

    @Override
    public ObjectType type() {
        return ObjectType.CHANNEL;
    }

    /** Number of queued messages (for ZX_INFO and tests). */
    public int queuedMessages() {
        synchronized (lock) {
            return queue.size();
        }
    }

    // ---- write ----

    /**
     * Queues a message on the peer. The message's handles are consumed either way: on failure
     * they are destroyed.
     *
     * @return true when the peer's queue now holds more than {@link #MAX_PENDING} messages (the
     *     write still succeeded; Zircon raises a policy exception on the writer then)
     * @throws ZxException NOT_SUPPORTED if the message carries a handle to this endpoint,
     *     PEER_CLOSED if the other end is gone
     */
    public boolean write(MessagePacket message) {
        int error;
        boolean overLimit = false;
        synchronized (lock) {
            error = checkWritable(message);
            if (error == ZxStatus.OK) overLimit = peer.deliver(message);
        }
        if (error != ZxStatus.OK) {
            message.discard();
            throw new ZxException(error);
        }
        return overLimit;
    }

    private int checkWritable(MessagePacket message) {
        for (Handle h : message.handles()) {
            if (h.object() == this) return ZxStatus.ERR_NOT_SUPPORTED;
        }
        return peer == null ? ZxStatus.ERR_PEER_CLOSED : ZxStatus.OK;
    }

    /**
     * A message arrives at this endpoint (lock held): to a waiting call or the queue.
     *
     * @return true if it was queued and the queue is now over {@link #MAX_PENDING} (Zircon checks
     *     only queued messages, and warns once the queue reaches half the limit)
     */
    private boolean deliver(MessagePacket message) {
        if (!calls.isEmpty() && message.dataSize() >= 4) {
            int txid = message.txid();
            for (int i = 0; i < calls.size(); i++) {
                Call c = calls.get(i);
                if (c.txid != txid) continue;
                if (c.reply.complete(message)) {
                    calls.remove(i);
                    return false;
                }
                if (c.stashed == null && c.reply.isDone() && c.reply.status() == ZxStatus.ERR_INTERNAL_INTR_RETRY) {
                    // The caller was interrupted (suspend) and will come back through call_finish.
                    c.stashed = message;
                    return false;
                }
                // The call just timed out or was killed: then it is an ordinary message.
                break;
            }
        }
        queue.addLast(message);
        updateSignals(0, Signals.READABLE);
        if (queue.size() == MAX_PENDING / 2) {
            LOG.warn("channel {} has {} unread messages", koid(), queue.size());
        }
        return queue.size() > MAX_PENDING;
    }

    // ---- read ----

    /**
     * Takes the first message if it fits in {@code maxBytes}/{@code maxHandles}.
     *
     * @return OK with the message, or BUFFER_TOO_SMALL with the sizes needed (the message stays
     *     queued, unless {@code options} has {@link #READ_MAY_DISCARD}: then it is dropped)
     * @throws ZxException NOT_SUPPORTED for unknown options, SHOULD_WAIT when empty with a live
     *     peer, PEER_CLOSED when empty with the peer gone
     */
    public ChannelRead read(int options, long maxBytes, long maxHandles) {
        if ((options & ~READ_MAY_DISCARD) != 0) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
        MessagePacket dropped;
        ChannelRead result;
        synchronized (lock) {
            MessagePacket first = queue.peekFirst();
            if (first == null) {
                throw new ZxException(peer == null ? ZxStatus.ERR_PEER_CLOSED : ZxStatus.ERR_SHOULD_WAIT);
            }
            boolean fits = first.dataSize() <= maxBytes && first.handleCount() <= maxHandles;
            if (fits) {
                takeFirst();
                return new ChannelRead(ZxStatus.OK, first.dataSize(), first.handleCount(), first);
            }
            result = new ChannelRead(ZxStatus.ERR_BUFFER_TOO_SMALL, first.dataSize(), first.handleCount(), null);
            if ((options & READ_MAY_DISCARD) == 0) return result;
            dropped = takeFirst();
        }
        dropped.discard();
        return result;
    }

    /**
     * Puts a message taken by {@link #read} back at the head of the queue (its copy to user memory
     * failed, so the read must have no effect). If this endpoint closed meanwhile the message is
     * dropped instead.
     */
    public void unread(MessagePacket message) {
        synchronized (lock) {
            if (!closed) {
                queue.addFirst(message);
                updateSignals(0, Signals.READABLE);
                return;
            }
        }
        message.discard();
    }

    private MessagePacket takeFirst() {
        MessagePacket m = queue.removeFirst();
        if (queue.isEmpty()) updateSignals(Signals.READABLE, 0);
        return m;
    }

    // ---- call ----

    /** A call waiting on this endpoint for the reply with its transaction id. Guarded by the lock. */
    public static final class Call {
        private final int txid;
        private HandOff<MessagePacket> reply = new HandOff<>();
        private boolean interrupted;
        private MessagePacket stashed;
        private int endStatus; // set when the channel ended the call (peer closed, own end closed)
        private boolean peerOverLimit; // the request left the peer's queue over MAX_PENDING

        private Call(int txid) {
            this.txid = txid;
        }

        public int txid() {
            return txid;
        }

        /** True if sending the request left the peer's queue over {@link #MAX_PENDING} messages. */
        public boolean peerOverLimit() {
            return peerOverLimit;
        }
    }

    /**
     * Write phase of {@code zx_channel_call}: stamps a fresh kernel transaction id into the first
     * four bytes, registers the call and sends the message. Handles are consumed either way.
     *
     * @throws ZxException INVALID_ARGS under 4 bytes, NOT_SUPPORTED (own handle), PEER_CLOSED
     */
    public Call beginCall(MessagePacket message) {
        int error;
        Call call = null;
        synchronized (lock) {
            error = message.dataSize() < 4 ? ZxStatus.ERR_INVALID_ARGS : checkWritable(message);
            if (error == ZxStatus.OK) {
                call = new Call(freshTxid());
                message.setTxid(call.txid);
                calls.add(call);
                call.peerOverLimit = peer.deliver(message);
            }
        }
        if (error != ZxStatus.OK) {
            message.discard();
            throw new ZxException(error);
        }
        return call;
    }

    private int freshTxid() {
        while (true) {
            int txid = TXID_KERNEL_BIT | (nextTxid++ & ~TXID_KERNEL_BIT);
            boolean used = false;
            for (Call c : calls) used |= c.txid == txid;
            if (!used) return txid;
        }
    }

    /**
     * Wait phase of {@code zx_channel_call} (also {@code channel_call_finish}): blocks for the reply.
     *
     * @return the reply (its handles now belong to the caller)
     * @throws ZxException TIMED_OUT, PEER_CLOSED (peer went away first), CANCELED (this endpoint
     *     closed), or the interruption status of {@code who}. On INTERNAL_INTR_RETRY (suspend) the
     *     call stays registered and is finished by calling this again.
     */
    public MessagePacket finishCall(Call call, long deadline, BlockingContext who) {
        HandOff<MessagePacket> reply;
        synchronized (lock) {
            if (call.interrupted) {
                call.interrupted = false;
                MessagePacket early = call.stashed;
                call.stashed = null;
                if (early != null) {
                    calls.remove(call);
                    return early;
                }
                if (call.endStatus != ZxStatus.OK) throw new ZxException(call.endStatus);
                call.reply = new HandOff<>(); // a wait ends once: resume on a fresh one
            }
            reply = call.reply;
        }
        int status = reply.await(who, ThreadState.BLOCKED_CHANNEL, kernel().clock(), deadline);
        synchronized (lock) {
            if (status == ZxStatus.ERR_INTERNAL_INTR_RETRY && calls.contains(call)) {
                call.interrupted = true;
                throw new ZxException(status);
            }
            calls.remove(call);
            if (status != ZxStatus.OK && call.endStatus != ZxStatus.OK) throw new ZxException(call.endStatus);
        }
        return reply.take();
    }

    /** {@link #beginCall} then {@link #finishCall}. */
    public MessagePacket call(MessagePacket message, long deadline, BlockingContext who) {
        return finishCall(beginCall(message), deadline, who);
    }

    // ---- close ----

    @Override
    protected void onZeroHandles() {
        List<MessagePacket> dropped;
        synchronized (lock) {
            closed = true;
            dropped = new ArrayList<>(queue);
            queue.clear();
            for (Call c : calls) endCall(c, ZxStatus.ERR_CANCELED);
            calls.clear();
            Channel p = peer;
            peer = null;
            if (p != null) p.peerClosed();
        }
        for (MessagePacket m : dropped) m.discard();
    }

    /** Fails a waiting call (lock held); an interrupted one learns it when it resumes. */
    private static void endCall(Call c, int status) {
        c.endStatus = status;
        c.reply.fail(status);
    }

    /** The other endpoint went away (lock held): no more writes, waiting calls fail. */
    private void peerClosed() {
        peer = null;
        for (Call c : calls) endCall(c, ZxStatus.ERR_PEER_CLOSED);
        calls.clear();
        updateSignals(Signals.WRITABLE, Signals.PEER_CLOSED);
    }
}
