package dev.zjvm.object.ipc;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.task.BlockingContext;
import dev.zjvm.object.task.ThreadState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A port: a FIFO of packets and the threads waiting for them. Packets come from
 * {@code zx_port_queue} (user packets, bounded), from {@code zx_object_wait_async} registrations
 * and from kernel producers (interrupts, pagers).
 *
 * <p>Locking: an async wait fires under the watched object's lock and then takes this port's lock;
 * the port never calls into watched objects while holding its own lock.
 */
public final class Port extends KernelObject {
    /** {@code ZX_PORT_BIND_TO_INTERRUPT}. */
    public static final int BIND_TO_INTERRUPT = 1;
    /** {@code ZX_WAIT_ASYNC_ONCE}. */
    public static final int WAIT_ASYNC_ONCE = 0;
    /** {@code ZX_WAIT_ASYNC_TIMESTAMP}. */
    public static final int WAIT_ASYNC_TIMESTAMP = 1;
    /** {@code kMaxAllocatedPacketCountPerPort}: user packets queued at once. */
    public static final int MAX_USER_PACKETS = 2048;

    private final int options;
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    // Interrupt packets of a BIND_TO_INTERRUPT port: served before the others, at most once each.
    private final ArrayDeque<PortPacket> interrupts = new ArrayDeque<>();
    private final ArrayDeque<HandOff<PortPacket>> waiters = new ArrayDeque<>();
    private final LinkedHashSet<AsyncWait> registrations = new LinkedHashSet<>(); // O(1) removal when one fires
    private int userPackets;
    private boolean dead;

    /** A queued packet and, for signal packets, the registration that made it (for port_cancel). */
    private record Queued(PortPacket packet, Handle source, boolean user) {}

    private Port(Kernel kernel, int options) {
        super(kernel);
        this.options = options;
    }

    /**
     * @throws ZxException INVALID_ARGS for options other than 0 / BIND_TO_INTERRUPT
     */
    public static Port create(Kernel kernel, int options) {
        if ((options & ~BIND_TO_INTERRUPT) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        return new Port(kernel, options);
    }

    @Override
    public ObjectType type() {
        return ObjectType.PORT;
    }

    public boolean canBindToInterrupt() {
        return (options & BIND_TO_INTERRUPT) != 0;
    }

    /** Packets queued now (for tests and diagnostics). */
    public int queuedPackets() {
        synchronized (lock) {
            return queue.size() + interrupts.size();
        }
    }

    /** Live wait_async registrations. */
    public int pendingWaits() {
        synchronized (lock) {
            return registrations.size();
        }
    }

    // ---- producing ----

    /**
     * {@code zx_port_queue}: queues a user packet (type forced to USER).
     *
     * @throws ZxException SHOULD_WAIT when {@link #MAX_USER_PACKETS} are already queued
     */
    public void queueUser(PortPacket packet) {
        synchronized (lock) {
            if (userPackets >= MAX_USER_PACKETS) throw new ZxException(ZxStatus.ERR_SHOULD_WAIT);
            enqueue(new Queued(packet.withType(PortPacket.TYPE_USER), null, true));
        }
    }

    /** Queues a kernel-made packet (interrupt, page request...); not counted against the user limit. */
    public void queueKernel(PortPacket packet) {
        synchronized (lock) {
            enqueue(new Queued(packet, null, false));
        }
    }

    /**
     * Queues an interrupt's packet (the interrupt object keeps the packet and re-queues it after
     * each ack). Interrupt packets are served before all others.
     *
     * @return false if this same packet (by identity) is already queued
     * @throws ZxException WRONG_TYPE unless the port was created with BIND_TO_INTERRUPT
     */
    public boolean queueInterrupt(PortPacket packet) {
        if (!canBindToInterrupt()) throw new ZxException(ZxStatus.ERR_WRONG_TYPE);
        synchronized (lock) {
            for (PortPacket p : interrupts) if (p == packet) return false;
            if (dead) return true;
            for (HandOff<PortPacket> w; (w = waiters.pollFirst()) != null; ) {
                if (w.complete(packet)) return true;
            }
            interrupts.addLast(packet);
            return true;
        }
    }

    /** Removes a queued interrupt packet (by identity); true if it was queued. */
    public boolean removeInterrupt(PortPacket packet) {
        synchronized (lock) {
            return interrupts.removeIf(p -> p == packet);
        }
    }

    /** True while the interrupt packet (by identity) waits in the port, not yet received. */
    public boolean containsInterrupt(PortPacket packet) {
        synchronized (lock) {
            for (PortPacket p : interrupts) if (p == packet) return true;
            return false;
        }
    }

    /** Hands the packet to the first waiter still waiting, or queues it (lock held). */
    private void enqueue(Queued q) {
        if (dead) return;
        for (HandOff<PortPacket> w; (w = waiters.pollFirst()) != null; ) {
            if (w.complete(q.packet)) return;
        }
        queue.addLast(q);
        if (q.user) userPackets++;
    }

    // ---- consuming ----

    /**
     * {@code zx_port_wait}: the oldest packet, blocking until one comes or the deadline passes.
     *
     * @throws ZxException TIMED_OUT, or the interruption status of {@code who} (kill)
     */
    public PortPacket await(long deadline, BlockingContext who) {
        HandOff<PortPacket> me;
        synchronized (lock) {
            PortPacket irq = interrupts.pollFirst();
            if (irq != null) return irq;
            Queued q = queue.pollFirst();
            if (q != null) {
                if (q.user) userPackets--;
                return q.packet;
            }
            me = new HandOff<>();
            waiters.addLast(me);
        }
        me.await(who, ThreadState.BLOCKED_PORT, kernel().clock(), deadline);
        synchronized (lock) {
            waiters.remove(me);
        }
        return me.take();
    }

    // ---- async waits ----

    /**
     * {@code zx_object_wait_async}: when any of {@code signals} is (or already is) asserted on the
     * handle's object, queue a SIGNAL_ONE packet with {@code key}; the registration then ends. It
     * also ends when {@code handle} is closed or by {@link #cancel}.
     *
     * @throws ZxException INVALID_ARGS for unknown options, NOT_SUPPORTED if not waitable
     */
    public void waitAsync(Handle handle, long key, int signals, int options) {
        if ((options & ~WAIT_ASYNC_TIMESTAMP) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        KernelObject target = handle.object();
        if (!target.type().waitable()) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
        AsyncWait wait = new AsyncWait(handle, key, signals, (options & WAIT_ASYNC_TIMESTAMP) != 0);
        synchronized (lock) {
            if (dead) return;
            registrations.add(wait);
        }
        target.addObserver(wait);
        // A close racing with the caller's handle look-up ran its cancellation before we registered.
        if (handle.isDestroyed() && wait.onHandleClosed(handle)) target.removeObserver(wait);
    }

    /**
     * {@code zx_port_cancel}: removes registrations made through {@code source} with {@code key}
     * and the signal packets they already queued.
     *
     * @throws ZxException NOT_FOUND if nothing matched
     */
    public void cancel(Handle source, long key) {
        List<AsyncWait> removed = new ArrayList<>();
        boolean packets = false;
        synchronized (lock) {
            for (Iterator<AsyncWait> it = registrations.iterator(); it.hasNext(); ) {
                AsyncWait w = it.next();
                if (w.handle == source && w.key == key) {
                    w.cancelled = true;
                    it.remove();
                    removed.add(w);
                }
            }
            for (Iterator<Queued> it = queue.iterator(); it.hasNext(); ) {
                Queued q = it.next();
                if (q.source == source && q.packet.key() == key) {
                    it.remove();
                    packets = true;
                }
            }
        }
        for (AsyncWait w : removed) source.object().removeObserver(w);
        if (removed.isEmpty() && !packets) throw new ZxException(ZxStatus.ERR_NOT_FOUND);
    }

    /** The last handle is gone: nobody can wait any more, so drop packets and registrations. */
    @Override
    protected void onZeroHandles() {
        List<AsyncWait> removed;
        synchronized (lock) {
            dead = true;
            queue.clear();
            interrupts.clear();
            userPackets = 0;
            removed = new ArrayList<>(registrations);
            registrations.clear();
            for (AsyncWait w : removed) w.cancelled = true;
        }
        for (AsyncWait w : removed) w.handle.object().removeObserver(w);
    }

    /** One wait_async registration; observes the target and queues at most one packet. */
    private final class AsyncWait implements dev.zjvm.object.signal.SignalObserver {
        final Handle handle;
        final long key;
        final int trigger;
        final boolean timestamp;
        volatile boolean cancelled;

        AsyncWait(Handle handle, long key, int trigger, boolean timestamp) {
            this.handle = handle;
            this.key = key;
            this.trigger = trigger;
            this.timestamp = timestamp;
        }

        @Override
        public boolean onStateChange(int signals) {
            if (cancelled) return true;
            if ((signals & trigger) == 0) return false;
            long when = timestamp ? kernel().clock().nowNanos() : 0;
            PortPacket p = PortPacket.signal(PortPacket.TYPE_SIGNAL_ONE, key, trigger, signals, 1, when);
            synchronized (lock) {
                if (cancelled) return true;
                cancelled = true;
                registrations.remove(this);
                enqueue(new Queued(p, handle, false));
            }
            return true;
        }

        @Override
        public boolean onHandleClosed(Object handleIdentity) {
            if (handleIdentity != handle) return false;
            synchronized (lock) {
                cancelled = true;
                registrations.remove(this);
            }
            return true;
        }
    }
}
