package dev.zjvm.syscall.handler;

import dev.zjvm.object.task.JobPolicy;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.ipc.Fifo;
import dev.zjvm.syscall.dispatch.Support;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;

/** fifo_create/read/write (syscalls.md "FIFOs"). */
public final class FifoSyscalls implements SyscallFamily {
    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("fifo_create", (c, count, size, options, out0, out1, a5, a6, a7) -> create(c, count, size, options, out0, out1));
        r.register("fifo_read", (c, h, size, data, count, actual, a5, a6, a7) -> read(c, h, size, data, count, actual));
        r.register("fifo_write", (c, h, size, data, count, actual, a5, a6, a7) -> write(c, h, size, data, count, actual));
    }

    static long create(SyscallContext c, long elemCount, long elemSize, long options, long out0, long out1) {
        c.process().enforcePolicy(JobPolicy.NEW_FIFO, c.thread());
        if ((int) options != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        Fifo.Pair p = Fifo.create(c.kernel(), elemCount, elemSize);
        PeerHandles.installPair(c, out0, out1, p.end0(), p.end1());
        return ZxStatus.OK;
    }

    static long write(SyscallContext c, long handle, long elemSize, long data, long count, long actualPtr) {
        Fifo f = c.get(handle, Fifo.class, Rights.WRITE);
        if (elemSize != f.elemSize() || count == 0) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE);
        // No more than a full ring can be written at once: copy at most that many elements.
        int n = (int) (Long.compareUnsigned(count, f.elemCount()) < 0 ? count : f.elemCount());
        byte[] src;
        try {
            src = c.memory().readBytes(data, (long) n * f.elemSize());
        } catch (ZxException e) {
            throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        }
        int written = f.write(elemSize, src, n);
        PeerHandles.writeOptionalU64(c, actualPtr, written);
        return ZxStatus.OK;
    }

    static long read(SyscallContext c, long handle, long elemSize, long data, long count, long actualPtr) {
        Fifo f = c.get(handle, Fifo.class, Rights.READ);
        if (elemSize != f.elemSize() || count == 0) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE);
        int n = (int) (Long.compareUnsigned(count, f.elemCount()) < 0 ? count : f.elemCount());
        // The copy-out runs before the elements are removed: a bad buffer leaves the fifo unchanged.
        int got = f.read(elemSize, n, (bytes, length) -> {
            try {
                c.memory().write(data, bytes, 0, length);
            } catch (ZxException e) {
                throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
            }
        });
        PeerHandles.writeOptionalU64(c, actualPtr, got);
        return ZxStatus.OK;
    }
}
