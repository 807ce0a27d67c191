package dev.zjvm.syscall.handler;

import dev.zjvm.object.task.JobPolicy;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.ipc.Socket;
import dev.zjvm.syscall.dispatch.Support;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;

/** socket_create/write/read/shutdown (syscalls.md "Sockets"). */
public final class SocketSyscalls implements SyscallFamily {
    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("socket_create", (c, options, out0, out1, a3, a4, a5, a6, a7) -> create(c, options, out0, out1));
        r.register("socket_write", (c, h, options, buf, size, actual, a5, a6, a7) -> write(c, h, options, buf, size, actual));
        r.register("socket_read", (c, h, options, buf, size, actual, a5, a6, a7) -> read(c, h, options, buf, size, actual));
        r.register("socket_shutdown", (c, h, options, a2, a3, a4, a5, a6, a7) -> shutdown(c, h, options));
    }

    static long create(SyscallContext c, long options, long out0, long out1) {
        c.process().enforcePolicy(JobPolicy.NEW_SOCKET, c.thread());
        Socket.Pair p = Socket.create(c.kernel(), (int) options);
        PeerHandles.installPair(c, out0, out1, p.end0(), p.end1());
        return ZxStatus.OK;
    }

    static long write(SyscallContext c, long handle, long options, long buffer, long size, long actualPtr) {
        // Checked before the handle (2020-03 code).
        if ((int) options != 0 || (buffer == 0 && size != 0) || size < 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        Socket s = c.get(handle, Socket.class, Rights.WRITE);
        int n;
        if (s.isDatagram() && size > Socket.CAPACITY) {
            // Refused whole (after the socket's PEER_CLOSED / BAD_STATE checks): copy nothing.
            n = s.write(0, new byte[0], 0, (int) Math.min(size, Integer.MAX_VALUE));
        } else {
            // A stream write never takes more than the capacity at once: copy at most that much.
            byte[] data = readUser(c, buffer, Math.min(size, Socket.CAPACITY));
            n = s.write(0, data, 0, data.length);
        }
        PeerHandles.writeOptionalU64(c, actualPtr, n);
        return ZxStatus.OK;
    }

    static long read(SyscallContext c, long handle, long options, long buffer, long size, long actualPtr) {
        if (((int) options & ~Socket.PEEK) != 0 || (buffer == 0 && size != 0) || size < 0) {
            throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        }
        Socket s = c.get(handle, Socket.class, Rights.READ);
        // The copy-out runs before the data is consumed: a bad buffer leaves the socket unchanged.
        int n = s.read((int) options, (int) Math.min(size, Socket.CAPACITY), (data, length) -> {
            try {
                c.memory().write(buffer, data, 0, length);
            } catch (ZxException e) {
                throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
            }
        });
        PeerHandles.writeOptionalU64(c, actualPtr, n);
        return ZxStatus.OK;
    }

    static long shutdown(SyscallContext c, long handle, long options) {
        c.get(handle, Socket.class, Rights.WRITE).shutdown((int) options);
        return ZxStatus.OK;
    }

    private static byte[] readUser(SyscallContext c, long ptr, long n) {
        try {
            return c.memory().readBytes(ptr, n);
        } catch (ZxException e) {
            throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        }
    }
}
