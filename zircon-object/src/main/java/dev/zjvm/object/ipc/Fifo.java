package dev.zjvm.object.ipc;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.signal.Signals;

/**
 * One endpoint of a fifo: a ring of {@code elemCount} fixed-size elements written by the peer.
 * Elements are moved whole; partial reads and writes move as many whole elements as possible.
 */
public final class Fifo extends PeeredObject<Fifo> {
    /** {@code ZX_FIFO_MAX_SIZE_BYTES}. */
    public static final int MAX_SIZE_BYTES = 4096;

    private final int elemCount;
    private final int elemSize;
    private final byte[] ring;
    private int head;
    private int count;

    private Fifo(Kernel kernel, Object sharedLock, int elemCount, int elemSize) {
        super(kernel, sharedLock);
        this.elemCount = elemCount;
        this.elemSize = elemSize;
        this.ring = new byte[elemCount * elemSize];
    }

    public record Pair(Fifo end0, Fifo end1) {}

    /**
     * @throws ZxException OUT_OF_RANGE if a size is 0, the count is not a power of two, or the
     *     ring would exceed {@link #MAX_SIZE_BYTES}
     */
    public static Pair create(Kernel kernel, long elemCount, long elemSize) {
        boolean ok = elemCount > 0 && elemSize > 0 && (elemCount & (elemCount - 1)) == 0
                && elemCount <= MAX_SIZE_BYTES && elemSize <= MAX_SIZE_BYTES && elemCount * elemSize <= MAX_SIZE_BYTES;
        if (!ok) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE);
        Object lock = new Object();
        Fifo a = new Fifo(kernel, lock, (int) elemCount, (int) elemSize);
        Fifo b = new Fifo(kernel, lock, (int) elemCount, (int) elemSize);
        link(a, b);
        a.updateSignals(0, Signals.WRITABLE);
        b.updateSignals(0, Signals.WRITABLE);
        return new Pair(a, b);
    }

    @Override
    public ObjectType type() {
        return ObjectType.FIFO;
    }

    public int elemCount() {
        return elemCount;
    }

    public int elemSize() {
        return elemSize;
    }

    /**
     * {@code zx_fifo_write}: copies up to {@code n} elements of {@code src} into the peer's ring.
     *
     * @return elements written (at least 1)
     * @throws ZxException OUT_OF_RANGE (n 0 or element size mismatch), PEER_CLOSED, SHOULD_WAIT (full)
     */
    public int write(long size, byte[] src, int n) {
        if (size != elemSize || n <= 0) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE);
        synchronized (lock) {
            if (peer == null) throw new ZxException(ZxStatus.ERR_PEER_CLOSED);
            Fifo p = peer;
            int room = p.elemCount - p.count;
            if (room == 0) throw new ZxException(ZxStatus.ERR_SHOULD_WAIT);
            int k = Math.min(room, n);
            boolean wasEmpty = p.count == 0;
            for (int i = 0; i < k; i++) {
                int slot = (p.head + p.count) & (p.elemCount - 1);
                System.arraycopy(src, i * elemSize, p.ring, slot * elemSize, elemSize);
                p.count++;
            }
            if (wasEmpty) p.updateSignals(0, Signals.READABLE);
            if (p.count == p.elemCount) updateSignals(Signals.WRITABLE, 0);
            return k;
        }
    }

    /**
     * {@code zx_fifo_read}: copies up to {@code n} elements into {@code dst}.
     *
     * @return elements read (at least 1)
     * @throws ZxException OUT_OF_RANGE (n 0 or element size mismatch), SHOULD_WAIT / PEER_CLOSED when empty
     */
    public int read(long size, byte[] dst, int n) {
        return read(size, n, (data, length) -> System.arraycopy(data, 0, dst, 0, length));
    }

    /**
     * Like {@link #read(long, byte[], int)} but hands the elements to {@code sink} under the lock
     * before removing them: if the sink throws, nothing is consumed.
     *
     * @return elements delivered
     */
    public int read(long size, int n, ByteSink sink) {
        if (size != elemSize || n <= 0) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE);
        synchronized (lock) {
            if (count == 0) throw new ZxException(peer == null ? ZxStatus.ERR_PEER_CLOSED : ZxStatus.ERR_SHOULD_WAIT);
            int k = Math.min(count, n);
            byte[] out = new byte[k * elemSize];
            for (int i = 0, slot = head; i < k; i++, slot = (slot + 1) & (elemCount - 1)) {
                System.arraycopy(ring, slot * elemSize, out, i * elemSize, elemSize);
            }
            sink.accept(out, out.length);
            boolean wasFull = count == elemCount;
            head = (head + k) & (elemCount - 1);
            count -= k;
            if (count == 0) updateSignals(Signals.READABLE, 0);
            if (wasFull && peer != null) peer.updateSignals(0, Signals.WRITABLE);
            return k;
        }
    }

    @Override
    protected void onZeroHandles() {
        synchronized (lock) {
            Fifo p = peer;
            peer = null;
            count = 0;
            if (p != null) {
                p.peer = null;
                p.updateSignals(Signals.WRITABLE, Signals.PEER_CLOSED);
            }
        }
    }
}
