package dev.zjvm.object;

import dev.zjvm.object.signal.SignalObserver;
import dev.zjvm.object.signal.Signals;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;

/**
 * Base of every kernel object: koid, name, a 32-bit signal state and the observers watching it.
 *
 * <p>Locking: each object guards its state with {@link #lock}. Peered objects (channel and socket
 * endpoints, event pairs, fifos) pass one shared lock to both ends so that a write on one end and
 * a close of the other are atomic with respect to each other. Observers are called with the lock
 * held.
 */
public abstract class KernelObject {
    /** Maximum name length in bytes, including the terminating NUL ({@code ZX_MAX_NAME_LEN}). */
    public static final int MAX_NAME_LEN = 32;

    private final Kernel kernel;
    private final long koid;
    protected final Object lock;
    private int signals;
    private final ArrayList<SignalObserver> observers = new ArrayList<>(2);
    private byte[] name = new byte[0];
    private int handleCount;

    protected KernelObject(Kernel kernel) {
        this(kernel, new Object());
    }

    protected KernelObject(Kernel kernel, Object sharedLock) {
        this.kernel = kernel;
        this.lock = sharedLock;
        this.koid = kernel.register(this);
    }

    public final Kernel kernel() {
        return kernel;
    }

    public final long koid() {
        return koid;
    }

    public abstract ObjectType type();

    /** Koid of the related object (peer, parent...) reported by {@code ZX_INFO_HANDLE_BASIC}; 0 if none. */
    public long relatedKoid() {
        return 0;
    }

    // ---- name (ZX_PROP_NAME) ----

    public final String name() {
        synchronized (lock) {
            return new String(name, StandardCharsets.UTF_8);
        }
    }

    /** Name bytes (no NUL), at most {@code MAX_NAME_LEN - 1}. */
    public final byte[] nameBytes() {
        synchronized (lock) {
            return name.clone();
        }
    }

    /** Sets the name, truncated to {@code MAX_NAME_LEN - 1} bytes and cut at the first NUL. */
    public final void setName(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && n < MAX_NAME_LEN - 1 && bytes[n] != 0) n++;
        byte[] copy = Arrays.copyOf(bytes, n);
        synchronized (lock) {
            name = copy;
        }
    }

    public final void setName(String s) {
        setName(s.getBytes(StandardCharsets.UTF_8));
    }

    // ---- signals ----

    public final int signals() {
        synchronized (lock) {
            return signals;
        }
    }

    /** Clears then sets signal bits and notifies observers if the state changed. */
    protected final void updateSignals(int clear, int set) {
        synchronized (lock) {
            int next = (signals & ~clear) | set;
            if (next == signals) return;
            signals = next;
            notifyObservers();
        }
    }

    /** Signal bits user code may change through {@code zx_object_signal[_peer]} on this object. */
    protected int allowedUserSignals() {
        return Signals.USER_ALL;
    }

    /**
     * {@code zx_object_signal}: change user-settable bits.
     *
     * @throws ZxException NOT_SUPPORTED for non-waitable objects, INVALID_ARGS for other bits
     */
    public final void userSignal(int clear, int set) {
        if (!type().waitable()) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
        int allowed = allowedUserSignals();
        if (((clear | set) & ~allowed) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        updateSignals(clear, set);
    }

    /**
     * {@code zx_object_signal_peer}: change user-settable bits of the peer. Checked in Zircon's
     * order: NOT_SUPPORTED (no peer type), INVALID_ARGS (bits), PEER_CLOSED.
     */
    public final void userSignalPeer(int clear, int set) {
        synchronized (lock) { // peered objects share this lock, so the peer cannot go away meanwhile
            KernelObject p;
            try {
                p = peer();
            } catch (ZxException e) {
                if (e.status() != ZxStatus.ERR_PEER_CLOSED) throw e;
                p = null;
            }
            if (((clear | set) & ~allowedUserSignals()) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
            if (p == null) throw new ZxException(ZxStatus.ERR_PEER_CLOSED);
            p.updateSignals(clear, set);
        }
    }

    /**
     * The other end of a peered object, or null. {@code zx_object_signal_peer} uses it.
     *
     * @throws ZxException NOT_SUPPORTED if the type has no peer, PEER_CLOSED if the peer is gone
     */
    public KernelObject peer() {
        throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
    }

    // ---- observers ----

    /** Registers an observer; it is immediately told the current state (and may finish at once). */
    public final void addObserver(SignalObserver observer) {
        synchronized (lock) {
            if (!observer.onStateChange(signals)) observers.add(observer);
        }
    }

    /** Removes an observer; true if it was still registered. */
    public final boolean removeObserver(SignalObserver observer) {
        synchronized (lock) {
            return observers.remove(observer);
        }
    }

    /** Tells observers that a handle was closed (waits through it end with CANCELED). */
    public final void cancelObservers(Object handleIdentity) {
        synchronized (lock) {
            observers.removeIf(o -> o.onHandleClosed(handleIdentity));
        }
    }

    private void notifyObservers() {
        int s = signals;
        observers.removeIf(o -> o.onStateChange(s));
    }

    /** Number of observers currently registered (for tests and ZX_INFO). */
    public final int observerCount() {
        synchronized (lock) {
            return observers.size();
        }
    }

    // ---- handle count ----

    /** Called by the handle layer when a handle to this object is created. */
    public final void handleOpened() {
        synchronized (lock) {
            handleCount++;
        }
    }

    /** Called by the handle layer when a handle to this object is destroyed. */
    public final void handleClosed() {
        boolean last;
        synchronized (lock) {
            last = --handleCount == 0;
        }
        if (last) onZeroHandles();
    }

    public final int handleCount() {
        synchronized (lock) {
            return handleCount;
        }
    }

    /**
     * The last handle went away. Peered objects tell their peer (PEER_CLOSED); objects owned only
     * by handles release their resources here. Called without the lock held.
     */
    protected void onZeroHandles() {}

    @Override
    public String toString() {
        return type() + "#" + koid;
    }
}
