package dev.zjvm.object.ipc;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.signal.Signals;

/**
 * One endpoint of a socket (stream or datagram). Each endpoint owns the buffer its peer writes
 * into. The signal bits are recomputed from the state after every change, on both ends, so they
 * can never drift from what read/write would do.
 */
public final class Socket extends PeeredObject<Socket> {
    public static final int STREAM = 0;
    public static final int DATAGRAM = 1;
    public static final int CREATE_MASK = DATAGRAM;
    public static final int SHUTDOWN_WRITE = 1;
    public static final int SHUTDOWN_READ = 2;
    public static final int SHUTDOWN_MASK = SHUTDOWN_WRITE | SHUTDOWN_READ;
    public static final int PEEK = 1 << 3;
    /** Buffer capacity per direction (128 MBufs of 2008 bytes in Zircon). */
    public static final int CAPACITY = 128 * 2008;

    private static final int MANAGED = Signals.READABLE | Signals.WRITABLE | Signals.PEER_CLOSED
            | Signals.SOCKET_PEER_WRITE_DISABLED | Signals.SOCKET_WRITE_DISABLED
            | Signals.SOCKET_READ_THRESHOLD | Signals.SOCKET_WRITE_THRESHOLD;

    private final int options;
    private final ByteQueue rx = new ByteQueue();
    private boolean readDisabled;
    private boolean writeDisabled;
    private long readThreshold;
    private long writeThreshold;

    private Socket(Kernel kernel, Object sharedLock, int options) {
        super(kernel, sharedLock);
        this.options = options;
    }

    public record Pair(Socket end0, Socket end1) {}

    /** @throws ZxException INVALID_ARGS for options other than STREAM / DATAGRAM */
    public static Pair create(Kernel kernel, int options) {
        if ((options & ~CREATE_MASK) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        Object lock = new Object();
        Socket a = new Socket(kernel, lock, options);
        Socket b = new Socket(kernel, lock, options);
        synchronized (lock) {
            link(a, b);
            a.refresh();
            b.refresh();
        }
        return new Pair(a, b);
    }

    @Override
    public ObjectType type() {
        return ObjectType.SOCKET;
    }



    public boolean isDatagram() {
        return (options & DATAGRAM) != 0;
    }

    /**
     * {@code zx_socket_write}: stream writes may be short; datagrams are all or nothing.
     *
     * @return bytes written
     * @throws ZxException INVALID_ARGS (options), PEER_CLOSED, BAD_STATE (writing disabled),
     *     OUT_OF_RANGE (datagram over capacity), SHOULD_WAIT (no room)
     */
    public int write(int writeOptions, byte[] src, int off, int len) {
        if (writeOptions != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        synchronized (lock) {
            if (peer == null) throw new ZxException(ZxStatus.ERR_PEER_CLOSED);
            if (writeDisabled) throw new ZxException(ZxStatus.ERR_BAD_STATE);
            if (len == 0) return 0;
            int free = CAPACITY - peer.rx.size();
            int n;
            if (isDatagram()) {
                if (len > CAPACITY) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE);
                if (len > free) throw new ZxException(ZxStatus.ERR_SHOULD_WAIT);
                n = len;
            } else {
                if (free == 0) throw new ZxException(ZxStatus.ERR_SHOULD_WAIT);
                n = Math.min(len, free);
            }
            peer.rx.append(src, off, n);
            refreshBoth();
            return n;
        }
    }

    /**
     * {@code zx_socket_read}: up to {@code len} bytes (stream) or one datagram, truncated to
     * {@code len} with the rest discarded. {@link #PEEK} leaves the data queued.
     *
     * @return bytes copied into {@code dst}
     * @throws ZxException INVALID_ARGS (options), PEER_CLOSED / BAD_STATE / SHOULD_WAIT when empty
     */
    public int read(int readOptions, byte[] dst, int off, int len) {
        int[] n = new int[1];
        read(readOptions, len, (data, length) -> {
            System.arraycopy(data, 0, dst, off, length);
            n[0] = length;
        });
        return n[0];
    }

    /**
     * Like {@link #read(int, byte[], int, int)} but hands the bytes to {@code sink} under the lock,
     * before they are consumed: if the sink throws, nothing is consumed.
     *
     * @return bytes delivered
     */
    public int read(int readOptions, int len, ByteSink sink) {
        if ((readOptions & ~PEEK) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        boolean peek = (readOptions & PEEK) != 0;
        synchronized (lock) {
            if (rx.isEmpty()) {
                if (peer == null) throw new ZxException(ZxStatus.ERR_PEER_CLOSED);
                if (readDisabled) throw new ZxException(ZxStatus.ERR_BAD_STATE);
                throw new ZxException(ZxStatus.ERR_SHOULD_WAIT);
            }
            int want = Math.min(len, isDatagram() ? rx.firstChunkSize() : rx.size());
            byte[] tmp = new byte[want];
            int n = isDatagram() ? rx.readDatagram(tmp, 0, want, true) : rx.readStream(tmp, 0, want, true);
            sink.accept(tmp, n);
            if (!peek) {
                if (isDatagram()) rx.dropFirst();
                else rx.consume(n);
                refreshBoth();
            }
            return n;
        }
    }

    /**
     * {@code zx_socket_shutdown}: WRITE stops this end writing (the peer sees
     * PEER_WRITE_DISABLED); READ stops this end reading (the peer sees WRITE_DISABLED).
     */
    public void shutdown(int how) {
        if ((how & ~SHUTDOWN_MASK) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        synchronized (lock) {
            if ((how & SHUTDOWN_WRITE) != 0) {
                writeDisabled = true;
                if (peer != null) peer.readDisabled = true;
            }
            if ((how & SHUTDOWN_READ) != 0) {
                readDisabled = true;
                if (peer != null) peer.writeDisabled = true;
            }
            refreshBoth();
        }
    }

    // ---- thresholds (ZX_PROP_SOCKET_RX_THRESHOLD / TX_THRESHOLD) ----

    public long readThreshold() {
        synchronized (lock) {
            return readThreshold;
        }
    }

    /** @throws ZxException INVALID_ARGS above the buffer capacity */
    public void setReadThreshold(long value) {
        if (value < 0 || value > CAPACITY) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        synchronized (lock) {
            readThreshold = value;
            refresh();
        }
    }

    public long writeThreshold() {
        synchronized (lock) {
            return writeThreshold;
        }
    }

    /** @throws ZxException PEER_CLOSED without a peer, INVALID_ARGS above the peer's capacity */
    public void setWriteThreshold(long value) {
        synchronized (lock) {
            if (peer == null) throw new ZxException(ZxStatus.ERR_PEER_CLOSED);
            if (value < 0 || value > CAPACITY) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
            writeThreshold = value;
            refresh();
        }
    }

    /** {@code ZX_INFO_SOCKET}. */
    public SocketInfo info() {
        synchronized (lock) {
            long available = isDatagram() ? rx.firstChunkSize() : rx.size();
            long txSize = peer == null ? 0 : peer.rx.size();
            long txMax = peer == null ? 0 : CAPACITY;
            return new SocketInfo(options, CAPACITY, rx.size(), available, txMax, txSize);
        }
    }

    @Override
    protected void onZeroHandles() {
        synchronized (lock) {
            rx.clear();
            Socket p = peer;
            peer = null;
            if (p != null) {
                p.peer = null;
                p.refresh();
            }
            refresh();
        }
    }

    private void refreshBoth() {
        refresh();
        if (peer != null) peer.refresh();
    }

    /** Recomputes this end's object-defined signals from its state (lock held). */
    private void refresh() {
        int s = 0;
        if (!rx.isEmpty()) s |= Signals.READABLE;
        if (readThreshold > 0 && rx.size() >= readThreshold) s |= Signals.SOCKET_READ_THRESHOLD;
        if (readDisabled) s |= Signals.SOCKET_PEER_WRITE_DISABLED;
        if (writeDisabled) s |= Signals.SOCKET_WRITE_DISABLED;
        if (peer == null) {
            s |= Signals.PEER_CLOSED;
        } else if (!writeDisabled) {
            int free = CAPACITY - peer.rx.size();
            if (free > 0) s |= Signals.WRITABLE;
            if (writeThreshold > 0 && free >= writeThreshold) s |= Signals.SOCKET_WRITE_THRESHOLD;
        }
        updateSignals(MANAGED, s);
    }
}
