package dev.zjvm.object.dev;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.ipc.Port;
import dev.zjvm.object.ipc.PortPacket;
import dev.zjvm.object.task.BlockingContext;
import dev.zjvm.object.task.ThreadState;
import dev.zjvm.object.task.Waiter;

/**
 * A virtual interrupt ({@code ZX_INTERRUPT_VIRTUAL}): fired by {@code zx_interrupt_trigger} and
 * delivered either to one thread blocked in {@code zx_interrupt_wait} or, once bound, as
 * {@code ZX_PKT_TYPE_INTERRUPT} packets to a port, one at a time until acknowledged. A library OS
 * has no interrupt controller, so physical interrupts do not exist.
 *
 * <p>Packets go to the port's interrupt queue, which is served before other packets.
 * States follow Zircon's: IDLE, TRIGGERED (fired, nobody took it yet), NEEDACK (delivered),
 * WAITING (a thread is blocked), DESTROYED. Locking: this object's lock, then the port's.
 */
public final class Interrupt extends KernelObject {
    public static final int OPT_REMAP_IRQ = 0x1;
    public static final int OPT_MODE_MASK = 0xe;
    public static final int OPT_VIRTUAL = 0x10;
    public static final int BIND = 0;
    public static final int UNBIND = 1;

    /** A VCPU an interrupt can be bound to ({@code zx_interrupt_bind_vcpu}); the hypervisor implements it. */
    public interface VcpuTarget {
        /** The guest the VCPU belongs to: all VCPUs of one interrupt must share it. */
        Object guest();

        /** Raises {@code vector} on the VCPU. */
        void interrupt(long vector);
    }

    private enum State { IDLE, TRIGGERED, NEEDACK, WAITING, DESTROYED }

    private State state = State.IDLE;
    /** A trigger not yet delivered, and its time (the first since the last delivery). */
    private boolean pending;
    private long timestamp;
    private Port port;
    private long key;
    /** The packet in the port's queue, or null; removed again on unbind and destroy. */
    private PortPacket queued;
    private Waiter waiter;
    /** The vector injected into bound VCPUs: the source number given at creation. */
    private final long vector;
    private final java.util.List<VcpuTarget> vcpus = new java.util.ArrayList<>();

    private Interrupt(Kernel kernel, long vector) {
        super(kernel);
        this.vector = vector;
    }

    /** A new virtual interrupt. */
    public static Interrupt createVirtual(Kernel kernel) {
        return new Interrupt(kernel, 0);
    }

    /** A new virtual interrupt that injects {@code vector} into the VCPUs it gets bound to. */
    public static Interrupt createVirtual(Kernel kernel, long vector) {
        return new Interrupt(kernel, vector);
    }

    /**
     * {@code zx_interrupt_bind_vcpu}: from now on a trigger raises this interrupt's vector on every
     * bound VCPU (and nothing is delivered to ports or waiters).
     *
     * @throws ZxException CANCELED when destroyed, BAD_STATE when bound to a port or a thread waits,
     *     INVALID_ARGS for a VCPU of another guest than those bound before or a vector above 255,
     *     ALREADY_BOUND for a VCPU bound already
     */
    public void bindVcpu(VcpuTarget vcpu) {
        synchronized (lock) {
            if (state == State.DESTROYED) throw new ZxException(ZxStatus.ERR_CANCELED);
            if (port != null || state == State.WAITING) throw new ZxException(ZxStatus.ERR_BAD_STATE);
            if (vector < 0 || vector > 255) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "vector " + vector);
            if (!vcpus.isEmpty() && vcpus.get(0).guest() != vcpu.guest()) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
            if (vcpus.contains(vcpu)) throw new ZxException(ZxStatus.ERR_ALREADY_BOUND);
            vcpus.add(vcpu);
        }
    }

    @Override
    public ObjectType type() {
        return ObjectType.INTERRUPT;
    }

    /**
     * {@code zx_interrupt_bind} / UNBIND.
     *
     * @throws ZxException CANCELED when destroyed, BAD_STATE while a thread waits, ALREADY_BOUND,
     *     NOT_FOUND when unbinding from a port it is not bound to
     */
    public void bind(Port target, long packetKey) {
        synchronized (lock) {
            if (state == State.DESTROYED) throw new ZxException(ZxStatus.ERR_CANCELED);
            if (state == State.WAITING) throw new ZxException(ZxStatus.ERR_BAD_STATE);
            if (port != null || !vcpus.isEmpty()) throw new ZxException(ZxStatus.ERR_ALREADY_BOUND);
            port = target;
            key = packetKey;
            if (state == State.TRIGGERED) send();
        }
    }

    public void unbind(Port target) {
        synchronized (lock) {
            if (state == State.DESTROYED) throw new ZxException(ZxStatus.ERR_CANCELED);
            if (port != target) throw new ZxException(ZxStatus.ERR_NOT_FOUND);
            if (queued != null) port.removeInterrupt(queued);
            queued = null;
            port = null;
            state = State.IDLE;
            pending = false;
            timestamp = 0;
        }
    }

    /**
     * {@code zx_interrupt_trigger}: fires the interrupt with {@code when} as its timestamp (the
     * first one since the last delivery is kept).
     *
     * @throws ZxException CANCELED when destroyed
     */
    public void trigger(long when) {
        synchronized (lock) {
            if (state == State.DESTROYED) throw new ZxException(ZxStatus.ERR_CANCELED);
            if (!vcpus.isEmpty()) {
                for (VcpuTarget v : vcpus) v.interrupt(vector);
                return;
            }
            if (!pending) timestamp = when;
            pending = true;
            if (port != null) {
                if (state != State.NEEDACK) send(); // otherwise ack sends it
                return;
            }
            state = State.TRIGGERED;
            if (waiter != null) waiter.wake(ZxStatus.OK);
        }
    }

    /**
     * Queues the pending trigger to the port (lock held). Like Zircon's single per-interrupt
     * packet, nothing is queued while the previous packet is still waiting in the port.
     *
     * @return false if the previous packet was still queued
     */
    private boolean send() {
        long ts = timestamp;
        pending = false;
        timestamp = 0;
        state = State.NEEDACK;
        if (queued != null && port.containsInterrupt(queued)) return false;
        queued = PortPacket.interrupt(key, ts);
        port.queueInterrupt(queued); // the port was checked for BIND_TO_INTERRUPT at bind
        return true;
    }

    /**
     * {@code zx_interrupt_ack}: the port's packet was handled; a trigger that came meanwhile is
     * sent now.
     *
     * @throws ZxException BAD_STATE if not bound to a port (or the previous packet is still
     *     queued while another trigger waits), CANCELED when destroyed
     */
    public void ack() {
        synchronized (lock) {
            if (port == null) throw new ZxException(ZxStatus.ERR_BAD_STATE);
            if (state == State.DESTROYED) throw new ZxException(ZxStatus.ERR_CANCELED);
            if (state != State.NEEDACK) return;
            if (!pending) {
                state = State.IDLE;
            } else if (!send()) {
                // A trigger came and was acknowledged before its predecessor left the port.
                throw new ZxException(ZxStatus.ERR_BAD_STATE);
            }
        }
    }

    /**
     * {@code zx_interrupt_wait}: blocks until triggered; returns the trigger's timestamp.
     *
     * @throws ZxException BAD_STATE when bound to a port or another thread waits, CANCELED when
     *     destroyed (also while waiting), or the interruption status of {@code who} (kill)
     */
    public long await(BlockingContext who) {
        Waiter w;
        synchronized (lock) {
            if (port != null || !vcpus.isEmpty()) throw new ZxException(ZxStatus.ERR_BAD_STATE);
            switch (state) {
                case DESTROYED -> throw new ZxException(ZxStatus.ERR_CANCELED);
                case TRIGGERED -> {
                    return take();
                }
                case WAITING -> throw new ZxException(ZxStatus.ERR_BAD_STATE);
                default -> { }
            }
            w = new Waiter();
            waiter = w;
            state = State.WAITING;
        }
        int status = w.await(who, ThreadState.BLOCKED_INTERRUPT, kernel().clock(), Waiter.INFINITE);
        synchronized (lock) {
            if (waiter == w) waiter = null;
            if (state == State.DESTROYED) throw new ZxException(ZxStatus.ERR_CANCELED);
            if (status != ZxStatus.OK) {
                // Killed: nobody waits any more; a trigger that raced in stays for the next waiter.
                if (state == State.WAITING) state = State.IDLE;
                throw new ZxException(status);
            }
            return take(); // woken only by trigger, which left the state TRIGGERED
        }
    }

    private long take() {
        long ts = timestamp;
        pending = false;
        timestamp = 0;
        state = State.NEEDACK;
        return ts;
    }

    /**
     * {@code zx_interrupt_destroy}: a waiting thread gets CANCELED; a queued packet is taken back.
     *
     * @throws ZxException NOT_FOUND when bound and the last packet was already received but not
     *     acknowledged (the interrupt is destroyed all the same)
     */
    public void destroy() {
        synchronized (lock) {
            if (state == State.DESTROYED) return;
            boolean delivered = false;
            if (port != null) {
                boolean wasQueued = queued != null && port.removeInterrupt(queued);
                delivered = state == State.NEEDACK && !wasQueued;
                queued = null;
            }
            state = State.DESTROYED;
            pending = false;
            timestamp = 0;
            if (waiter != null) waiter.wake(ZxStatus.ERR_CANCELED);
            if (delivered) throw new ZxException(ZxStatus.ERR_NOT_FOUND);
        }
    }

    public boolean isDestroyed() {
        synchronized (lock) {
            return state == State.DESTROYED;
        }
    }

    /** The last handle is gone: a thread still waiting (through a duplicate now closed) is released. */
    @Override
    protected void onZeroHandles() {
        try {
            destroy();
        } catch (ZxException ignored) {
            // NOT_FOUND only reports an unacknowledged packet; nobody is left to care
        }
    }
}
