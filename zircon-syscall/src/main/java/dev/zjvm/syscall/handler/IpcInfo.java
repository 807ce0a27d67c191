package dev.zjvm.syscall.handler;

import dev.zjvm.object.KernelObject;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.ipc.Socket;
import dev.zjvm.object.ipc.Timer;
import dev.zjvm.syscall.dispatch.SyscallContext;

/**
 * The IPC topics of {@code zx_object_get_info} (ZX_INFO_SOCKET, ZX_INFO_TIMER) and the socket
 * threshold properties, for the shared router {@link ObjectInfoSyscalls}.
 */
final class IpcInfo {
    static final int SOCKET = 22;
    static final int TIMER = 25;

    private IpcInfo() {}

    /** The reply for an IPC topic, or null if {@code topic} is not one. */
    static InfoReply reply(SyscallContext c, long value, int topic) {
        return switch (topic) {
            case SOCKET -> InfoReply.single(c.get(value, Socket.class, Rights.INSPECT).info().encode());
            case TIMER -> InfoReply.single(c.get(value, Timer.class, Rights.INSPECT).info().encode());
            default -> null;
        };
    }

    /** {@code ZX_PROP_SOCKET_RX_THRESHOLD} / {@code TX_THRESHOLD} get (size_t). */
    static void getThreshold(SyscallContext c, KernelObject o, boolean rx, long value, long size) {
        Socket s = socket(o);
        requireSize(size);
        c.memory().writeU64(value, rx ? s.readThreshold() : s.writeThreshold());
    }

    /**
     * The same properties, set: INVALID_ARGS above the capacity; TX on a socket whose peer is
     * gone: PEER_CLOSED.
     */
    static void setThreshold(SyscallContext c, KernelObject o, boolean rx, long value, long size) {
        Socket s = socket(o);
        requireSize(size);
        long v = c.memory().readU64(value); // a size_t: huge values are negative here and rejected as too large
        if (rx) s.setReadThreshold(v);
        else s.setWriteThreshold(v);
    }

    private static Socket socket(KernelObject o) {
        if (!(o instanceof Socket s)) throw new ZxException(ZxStatus.ERR_WRONG_TYPE);
        return s;
    }

    private static void requireSize(long size) {
        if (Long.compareUnsigned(size, 8) < 0) throw new ZxException(ZxStatus.ERR_BUFFER_TOO_SMALL);
    }
}
