package dev.zjvm.object.vm;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;

/**
 * A seekable read/write cursor over a VMO's content ({@code zx_stream_*}). Reads stop at the
 * VMO's content size; writes grow it (resizing a resizable VMO) as 2020 Zircon's stream does.
 */
public final class Stream extends KernelObject {
    public static final int MODE_READ = 1 << 0;
    public static final int MODE_WRITE = 1 << 1;
    /** writev option: write at the end of the content. */
    public static final int APPEND = 1 << 0;
    public static final int SEEK_ORIGIN_START = 0;
    public static final int SEEK_ORIGIN_CURRENT = 1;
    public static final int SEEK_ORIGIN_END = 2;

    /** Moves {@code length} bytes between the VMO at {@code vmoOffset} and the caller's buffers. */
    @FunctionalInterface
    public interface Transfer {
        void transfer(Vmo vmo, long vmoOffset, long length);
    }

    private final int options;
    private final Vmo vmo;
    private long seek;
    private boolean released;

    private Stream(Kernel kernel, int options, Vmo vmo, long seek) {
        super(kernel);
        this.options = options;
        this.vmo = vmo;
        this.seek = seek;
    }

    /**
     * {@code zx_stream_create} (the caller checks the VMO handle's READ/WRITE rights per mode).
     *
     * @throws ZxException INVALID_ARGS for unknown options
     */
    public static Stream create(Kernel kernel, int options, Vmo vmo, long seek) {
        if ((options & ~(MODE_READ | MODE_WRITE)) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "stream options");
        vmo.retain();
        return new Stream(kernel, options, vmo, seek);
    }

    /** Rights of the new stream handle: defaults plus READ/WRITE per mode. */
    public static int handleRights(int options) {
        int r = ObjectType.STREAM.defaultRights();
        if ((options & MODE_READ) != 0) r |= Rights.READ;
        if ((options & MODE_WRITE) != 0) r |= Rights.WRITE;
        return r;
    }

    @Override
    public ObjectType type() {
        return ObjectType.STREAM;
    }

    public int options() {
        return options;
    }

    public Vmo vmo() {
        return vmo;
    }

    public long seek() {
        synchronized (lock) {
            return seek;
        }
    }

    /** {@code zx_stream_readv}: reads up to {@code capacity} bytes at the seek offset, advancing it. */
    public long readv(long capacity, Transfer out) {
        long offset;
        long length;
        synchronized (lock) {
            long content = vmo.contentSize();
            if (Long.compareUnsigned(seek, content) >= 0) return 0;
            offset = seek;
            length = minUnsigned(capacity, content - offset);
            seek += length;
        }
        out.transfer(vmo, offset, length);
        return length;
    }

    /** {@code zx_stream_readv_at}. */
    public long readvAt(long offset, long capacity, Transfer out) {
        long content = vmo.contentSize();
        if (Long.compareUnsigned(offset, content) >= 0) return 0;
        long length = minUnsigned(capacity, content - offset);
        out.transfer(vmo, offset, length);
        return length;
    }

    /** {@code zx_stream_writev} (with {@link #APPEND} in {@code writeOptions}: at the content end). */
    public long writev(int writeOptions, long capacity, Transfer in) {
        if ((writeOptions & ~APPEND) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "writev options");
        long offset;
        long length;
        synchronized (lock) {
            offset = (writeOptions & APPEND) != 0 ? vmo.contentSize() : seek;
            length = grow(offset, capacity);
            seek = offset + length;
        }
        in.transfer(vmo, offset, length);
        return length;
    }

    /** {@code zx_stream_writev_at}: the seek offset is unchanged. */
    public long writevAt(long offset, long capacity, Transfer in) {
        long length = grow(offset, capacity);
        in.transfer(vmo, offset, length);
        return length;
    }

    private long grow(long offset, long capacity) {
        long requested = offset + capacity;
        if (Long.compareUnsigned(requested, offset) < 0) throw new ZxException(ZxStatus.ERR_FILE_BIG);
        long content = vmo.expandContentIfNeeded(requested, offset);
        if (Long.compareUnsigned(offset, content) >= 0) throw new ZxException(ZxStatus.ERR_NO_SPACE);
        return minUnsigned(capacity, content - offset);
    }

    /**
     * {@code zx_stream_seek}: returns the new offset.
     *
     * @throws ZxException INVALID_ARGS for a bad origin or a result below 0 or above 2^64-1
     */
    public long seek(int whence, long offset) {
        synchronized (lock) {
            long origin;
            switch (whence) {
                case SEEK_ORIGIN_START -> {
                    if (offset < 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
                    origin = 0;
                }
                case SEEK_ORIGIN_CURRENT -> origin = seek;
                case SEEK_ORIGIN_END -> origin = vmo.contentSize();
                default -> throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "seek origin");
            }
            long target = origin + offset;
            boolean overflow = offset >= 0 ? Long.compareUnsigned(target, origin) < 0 : Long.compareUnsigned(origin, -offset) < 0;
            if (overflow) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "seek out of range");
            seek = target;
            return seek;
        }
    }

    /** {@code zx_info_stream_t} (ZX_INFO_STREAM): options u32 @0, seek u64 @8, content_size u64 @16. */
    public byte[] infoBytes() {
        return java.nio.ByteBuffer.allocate(24).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putInt(0, options).putLong(8, seek()).putLong(16, vmo.contentSize()).array();
    }

    private static long minUnsigned(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }

    @Override
    protected void onZeroHandles() {
        synchronized (lock) {
            if (released) return;
            released = true;
        }
        vmo.release();
    }
}
