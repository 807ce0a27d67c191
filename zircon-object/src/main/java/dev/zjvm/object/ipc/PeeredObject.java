package dev.zjvm.object.ipc;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;

/**
 * One end of a pair (channel, socket, fifo, event pair). Both ends share one lock; {@link #peer}
 * is guarded by it and becomes null once the other end is gone, while the peer's koid stays
 * reported as the related koid, as Zircon does.
 */
abstract class PeeredObject<T extends PeeredObject<T>> extends KernelObject {
    /** The other end, or null once it is gone. Guarded by {@link #lock}. */
    protected T peer;
    private long peerKoid;

    protected PeeredObject(Kernel kernel, Object sharedLock) {
        super(kernel, sharedLock);
    }

    /** Connects two fresh ends created with the same lock. */
    protected static <T extends PeeredObject<T>> void link(T a, T b) {
        synchronized (a.lock) {
            a.peer = b;
            b.peer = a;
            ((PeeredObject<?>) a).peerKoid = b.koid();
            ((PeeredObject<?>) b).peerKoid = a.koid();
        }
    }

    @Override
    public final long relatedKoid() {
        return peerKoid;
    }

    /** @throws ZxException PEER_CLOSED once the other end is gone */
    @Override
    public final KernelObject peer() {
        synchronized (lock) {
            if (peer == null) throw new ZxException(ZxStatus.ERR_PEER_CLOSED);
            return peer;
        }
    }
}
