package dev.zjvm.syscall.handler;

import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.vm.Stream;
import dev.zjvm.object.vm.VmOptions;
import dev.zjvm.object.vm.Vmo;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;
import dev.zjvm.syscall.user.VmarUserMemory;

/** {@code zx_stream_*}; I/O vectors are {@code zx_iovec_t} arrays (16 bytes each) in user memory. */
public final class StreamSyscalls implements SyscallFamily {
    private static final int IOVEC_SIZE = 16;

    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("stream_create", (c, options, vmo, seek, out, a4, a5, a6, a7) -> create(c, (int) options, (int) vmo, seek, out));
        r.register("stream_writev", (c, h, options, vec, n, actual, a5, a6, a7) -> writev(c, (int) h, (int) options, vec, n, actual));
        r.register("stream_writev_at", (c, h, options, off, vec, n, actual, a6, a7) ->
                writevAt(c, (int) h, (int) options, off, vec, n, actual));
        r.register("stream_readv", (c, h, options, vec, n, actual, a5, a6, a7) -> readv(c, (int) h, (int) options, vec, n, actual));
        r.register("stream_readv_at", (c, h, options, off, vec, n, actual, a6, a7) ->
                readvAt(c, (int) h, (int) options, off, vec, n, actual));
        r.register("stream_seek", (c, h, whence, off, out, a4, a5, a6, a7) -> seek(c, (int) h, (int) whence, off, out));
    }

    static long create(SyscallContext c, int options, int vmoHandle, long seek, long out) {
        if ((options & ~(Stream.MODE_READ | Stream.MODE_WRITE)) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        int needed = ((options & Stream.MODE_READ) != 0 ? Rights.READ : 0) | ((options & Stream.MODE_WRITE) != 0 ? Rights.WRITE : 0);
        Vmo vmo = c.get(vmoHandle, Vmo.class, needed);
        Stream s = Stream.create(c.kernel(), options, vmo, seek);
        c.installHandle(out, Handle.create(s, Stream.handleRights(options)));
        return ZxStatus.OK;
    }

    static long writev(SyscallContext c, int handle, int options, long vector, long count, long actual) {
        Stream s = c.get(handle, Stream.class, Rights.WRITE);
        if ((options & ~Stream.APPEND) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        return done(c, actual, s.writev(options, totalCapacity(c, vector, count), gather(c, vector, count)));
    }

    static long writevAt(SyscallContext c, int handle, int options, long offset, long vector, long count, long actual) {
        Stream s = c.get(handle, Stream.class, Rights.WRITE);
        if (options != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        return done(c, actual, s.writevAt(offset, totalCapacity(c, vector, count), gather(c, vector, count)));
    }

    static long readv(SyscallContext c, int handle, int options, long vector, long count, long actual) {
        Stream s = c.get(handle, Stream.class, Rights.READ);
        if (options != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        return done(c, actual, s.readv(totalCapacity(c, vector, count), scatter(c, vector, count)));
    }

    static long readvAt(SyscallContext c, int handle, int options, long offset, long vector, long count, long actual) {
        Stream s = c.get(handle, Stream.class, Rights.READ);
        if (options != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        return done(c, actual, s.readvAt(offset, totalCapacity(c, vector, count), scatter(c, vector, count)));
    }

    /** Needs READ or WRITE; {@code out} may be NULL. */
    static long seek(SyscallContext c, int handle, int whence, long offset, long out) {
        Handle h = c.handles().handle(handle, Stream.class, Rights.NONE);
        if (!h.hasRights(Rights.READ) && !h.hasRights(Rights.WRITE)) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED);
        long pos = ((Stream) h.object()).seek(whence, offset);
        if (out != 0) c.memory().writeU64(out, pos);
        return ZxStatus.OK;
    }

    /** {@code actual} may be NULL. */
    private static long done(SyscallContext c, long actualPtr, long n) {
        if (actualPtr != 0) c.memory().writeU64(actualPtr, n);
        return ZxStatus.OK;
    }

    // ---- iovecs (read from user memory on each pass, as Zircon's user_iovec does) ----

    private static long totalCapacity(SyscallContext c, long vector, long count) {
        if (count < 0 || count > Long.MAX_VALUE / IOVEC_SIZE) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        long total = 0;
        for (long i = 0; i < count; i++) {
            long next = total + c.memory().readU64(vector + i * IOVEC_SIZE + 8);
            if (Long.compareUnsigned(next, total) < 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "iovec capacity overflow");
            total = next;
        }
        return total;
    }

    /** User buffers to the VMO; a buffer that is not readable user memory fails with NOT_FOUND. */
    private static Stream.Transfer gather(SyscallContext c, long vector, long count) {
        return (vmo, offset, length) -> walk(c, vector, count, length, VmOptions.PERM_READ, (ptr, done, n, tmp) -> {
            c.memory().read(ptr, tmp, 0, n);
            vmo.write(offset + done, tmp, 0, n, c.blocker());
        });
    }

    /** The VMO to user buffers; a buffer that is not writable user memory fails with NOT_FOUND. */
    private static Stream.Transfer scatter(SyscallContext c, long vector, long count) {
        return (vmo, offset, length) -> walk(c, vector, count, length, VmOptions.PERM_WRITE, (ptr, done, n, tmp) -> {
            vmo.read(offset + done, tmp, 0, n, c.blocker());
            c.memory().write(ptr, tmp, 0, n);
        });
    }

    @FunctionalInterface
    private interface Step {
        void copy(long userPtr, long done, int n, byte[] tmp);
    }

    private static void walk(SyscallContext c, long vector, long count, long length, int perm, Step step) {
        byte[] tmp = new byte[(int) Math.min(Math.max(length, 1), VmUser.CHUNK)];
        long done = 0;
        for (long i = 0; i < count && done < length; i++) {
            long buf = c.memory().readU64(vector + i * IOVEC_SIZE);
            long cap = c.memory().readU64(vector + i * IOVEC_SIZE + 8);
            long take = Long.compareUnsigned(cap, length - done) < 0 ? cap : length - done;
            if (take <= 0) continue;
            if (c.memory() instanceof VmarUserMemory m && m.probe(buf, take, perm) != ZxStatus.OK) {
                throw new ZxException(ZxStatus.ERR_NOT_FOUND, "iovec buffer");
            }
            for (long k = 0; k < take; ) {
                int n = (int) Math.min(take - k, tmp.length);
                try {
                    step.copy(buf + k, done + k, n, tmp);
                } catch (ZxException e) {
                    // A buffer fault is NOT_FOUND for streams (2020 WriteVector/ReadVector).
                    throw e.status() == ZxStatus.ERR_INVALID_ARGS ? new ZxException(ZxStatus.ERR_NOT_FOUND, "iovec buffer") : e;
                }
                k += n;
            }
            done += take;
        }
    }
}
