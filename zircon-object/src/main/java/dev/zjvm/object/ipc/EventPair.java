package dev.zjvm.object.ipc;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.signal.Signals;

/**
 * One end of {@code zx_eventpair}: events that can signal each other. When the last handle to one
 * end goes, the other end gets ZX_EVENTPAIR_PEER_CLOSED. Both ends share one lock so that a
 * signal_peer and the peer's close cannot interleave.
 */
public final class EventPair extends PeeredObject<EventPair> {

    private EventPair(Kernel kernel, Object sharedLock) {
        super(kernel, sharedLock);
    }

    /** Creates two connected ends. */
    public static EventPair[] create(Kernel kernel) {
        Object lock = new Object();
        EventPair a = new EventPair(kernel, lock);
        EventPair b = new EventPair(kernel, lock);
        link(a, b);
        return new EventPair[] {a, b};
    }

    @Override
    public ObjectType type() {
        return ObjectType.EVENTPAIR;
    }

    @Override
    protected int allowedUserSignals() {
        return Signals.USER_ALL | Signals.SIGNALED;
    }



    @Override
    protected void onZeroHandles() {
        synchronized (lock) {
            EventPair p = peer;
            if (p == null) return;
            peer = null;
            p.peer = null;
            p.peerClosed();
        }
    }

    private void peerClosed() {
        updateSignals(0, Signals.PEER_CLOSED);
    }
}
