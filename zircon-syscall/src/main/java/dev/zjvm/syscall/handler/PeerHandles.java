package dev.zjvm.syscall.handler;

import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.syscall.dispatch.SyscallContext;

/** Copy-out helpers shared by the IPC families (pairs of handles, optional outputs). */
final class PeerHandles {
    private PeerHandles() {}

    /**
     * Installs handles to both ends with their default rights and writes the two values. If
     * either write fails both handles are closed again (nothing leaks) and INVALID_ARGS is thrown.
     */
    static void installPair(SyscallContext c, long out0, long out1, KernelObject end0, KernelObject end1) {
        int v0 = c.handles().add(Handle.createDefault(end0));
        int v1;
        try {
            v1 = c.handles().add(Handle.createDefault(end1));
        } catch (ZxException e) {
            closeQuietly(c, v0);
            throw e;
        }
        try {
            c.memory().writeU32(out0, v0);
            c.memory().writeU32(out1, v1);
        } catch (ZxException e) {
            closeQuietly(c, v0);
            closeQuietly(c, v1);
            throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        }
    }

    static void closeQuietly(SyscallContext c, int value) {
        try {
            c.handles().close(value);
        } catch (ZxException ignored) {
            // another thread closed the value first; nothing left to undo
        }
    }

    /** Writes a u32 to an optional ("may be NULL") output. */
    static void writeOptionalU32(SyscallContext c, long ptr, int value) {
        if (ptr != 0) c.memory().writeU32(ptr, value);
    }

    /** Writes a u64 to an optional ("may be NULL") output. */
    static void writeOptionalU64(SyscallContext c, long ptr, long value) {
        if (ptr != 0) c.memory().writeU64(ptr, value);
    }
}
