package dev.zjvm.syscall.handler;

import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.vm.Stream;
import dev.zjvm.object.vm.VmAddressSpace;
import dev.zjvm.object.vm.VmOptions;
import dev.zjvm.object.vm.Vmo;
import java.nio.ByteBuffer;

/** {@code zx_stream_*} handlers; I/O vectors are {@code zx_iovec_t} arrays in user memory. */
public final class StreamSyscalls {
    private static final int IOVEC_SIZE = 16;
    private final VmCaller c;

    public StreamSyscalls(VmCaller caller) {
        this.c = caller;
    }

    /** zx_stream_create(options, vmo, seek, out_stream). */
    public int create(int options, int vmoHandle, long seek, long out) {
        if ((options & ~(Stream.MODE_READ | Stream.MODE_WRITE)) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        int needed = ((options & Stream.MODE_READ) != 0 ? Rights.READ : 0) | ((options & Stream.MODE_WRITE) != 0 ? Rights.WRITE : 0);
        Vmo vmo = c.handles().get(vmoHandle, Vmo.class, needed);
        Stream s = Stream.create(c.kernel(), options, vmo, seek);
        UserIo.outHandle(c, out, s, Stream.handleRights(options), null);
        return ZxStatus.OK;
    }

    /** zx_stream_writev(handle, options, vector, num_vector, actual). */
    public int writev(int handle, int options, long vector, long count, long actual) {
        Stream s = c.handles().get(handle, Stream.class, Rights.WRITE);
        if ((options & ~Stream.APPEND) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        long n = s.writev(options, totalCapacity(vector, count), gather(vector, count));
        return done(actual, n);
    }

    /** zx_stream_writev_at(handle, options, offset, vector, num_vector, actual). */
    public int writevAt(int handle, int options, long offset, long vector, long count, long actual) {
        Stream s = c.handles().get(handle, Stream.class, Rights.WRITE);
        if (options != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        long n = s.writevAt(offset, totalCapacity(vector, count), gather(vector, count));
        return done(actual, n);
    }

    /** zx_stream_readv(handle, options, vector, num_vector, actual). */
    public int readv(int handle, int options, long vector, long count, long actual) {
        Stream s = c.handles().get(handle, Stream.class, Rights.READ);
        if (options != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        long n = s.readv(totalCapacity(vector, count), scatter(vector, count));
        return done(actual, n);
    }

    /** zx_stream_readv_at(handle, options, offset, vector, num_vector, actual). */
    public int readvAt(int handle, int options, long offset, long vector, long count, long actual) {
        Stream s = c.handles().get(handle, Stream.class, Rights.READ);
        if (options != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        long n = s.readvAt(offset, totalCapacity(vector, count), scatter(vector, count));
        return done(actual, n);
    }

    /** zx_stream_seek(handle, whence, offset, out_seek): needs READ or WRITE. */
    public int seek(int handle, int whence, long offset, long out) {
        Handle h = c.handles().handle(handle, Stream.class, Rights.NONE);
        if (!h.hasRights(Rights.READ) && !h.hasRights(Rights.WRITE)) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED);
        long pos = ((Stream) h.object()).seek(whence, offset);
        if (out != 0) UserIo.writeU64(c.addressSpace(), out, pos);
        return ZxStatus.OK;
    }

    private int done(long actualPtr, long n) {
        if (actualPtr != 0) UserIo.writeU64(c.addressSpace(), actualPtr, n);
        return ZxStatus.OK;
    }

    // ---- iovecs ----

    private ByteBuffer iovec(long vector, long i) {
        return UserIo.read(c.addressSpace(), vector + i * IOVEC_SIZE, IOVEC_SIZE);
    }

    /** Sum of the capacities; INVALID_ARGS for an unreadable array or an overflowing total. */
    private long totalCapacity(long vector, long count) {
        if (count < 0 || count > Long.MAX_VALUE / IOVEC_SIZE) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        long total = 0;
        for (long i = 0; i < count; i++) {
            long cap = iovec(vector, i).getLong(8);
            long next = total + cap;
            if (Long.compareUnsigned(next, total) < 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "iovec capacity overflow");
            total = next;
        }
        return total;
    }

    /** User buffers -> VMO. A buffer that is not readable user memory fails with NOT_FOUND. */
    private Stream.Transfer gather(long vector, long count) {
        return (vmo, offset, length) -> walk(vector, count, length, VmOptions.PERM_READ, (ptr, done, n, tmp) -> {
            c.addressSpace().read(ptr, tmp, 0, n);
            vmo.write(offset + done, tmp, 0, n);
        });
    }

    /** VMO -> user buffers. A buffer that is not writable user memory fails with NOT_FOUND. */
    private Stream.Transfer scatter(long vector, long count) {
        return (vmo, offset, length) -> walk(vector, count, length, VmOptions.PERM_WRITE, (ptr, done, n, tmp) -> {
            vmo.read(offset + done, tmp, 0, n);
            c.addressSpace().write(ptr, tmp, 0, n);
        });
    }

    @FunctionalInterface
    private interface Step {
        void copy(long userPtr, long done, int n, byte[] tmp);
    }

    private void walk(long vector, long count, long length, int perm, Step step) {
        VmAddressSpace mem = c.addressSpace();
        byte[] tmp = new byte[(int) Math.min(Math.max(length, 1), VmoSyscalls.CHUNK)];
        long done = 0;
        for (long i = 0; i < count && done < length; i++) {
            ByteBuffer v = iovec(vector, i);
            long buf = v.getLong(0);
            long cap = v.getLong(8);
            long take = Long.compareUnsigned(cap, length - done) < 0 ? cap : length - done;
            if (take <= 0) continue;
            if (mem.probe(buf, take, perm) != ZxStatus.OK) throw new ZxException(ZxStatus.ERR_NOT_FOUND, "iovec buffer");
            for (long k = 0; k < take; ) {
                int n = (int) Math.min(take - k, tmp.length);
                step.copy(buf + k, done + k, n, tmp);
                k += n;
            }
            done += take;
        }
    }
}
