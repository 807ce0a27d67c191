package dev.zjvm.syscall.handler;

import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;
import dev.zjvm.syscall.user.UserMemory;

/** handle_close, handle_close_many, handle_duplicate, handle_replace (syscalls.md "Handles"). */
public final class HandleSyscalls implements SyscallFamily {
    /** Most handles close_many accepts in one call (bounds the copy-in like Zircon's user_copy limit). */
    static final long MAX_CLOSE_MANY = UserMemory.MAX_COPY / 4;

    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("handle_close", (c, handle, a1, a2, a3, a4, a5, a6, a7) -> close(c, handle));
        r.register("handle_close_many", (c, handles, num, a2, a3, a4, a5, a6, a7) -> closeMany(c, handles, num));
        r.register("handle_duplicate", (c, handle, rights, out, a3, a4, a5, a6, a7) -> duplicate(c, handle, rights, out));
        r.register("handle_replace", (c, handle, rights, out, a3, a4, a5, a6, a7) -> replace(c, handle, rights, out));
    }

    static long close(SyscallContext c, long handle) {
        c.handles().close((int) handle);
        return ZxStatus.OK;
    }

    static long closeMany(SyscallContext c, long ptr, long num) {
        if (num < 0 || num > MAX_CLOSE_MANY) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        int[] values = c.memory().readU32Array(ptr, num);
        return c.handles().closeMany(values);
    }

    static long duplicate(SyscallContext c, long handle, long rights, long out) {
        int value = c.handles().duplicate((int) handle, (int) rights);
        writeOrClose(c, out, value);
        return ZxStatus.OK;
    }

    static long replace(SyscallContext c, long handle, long rights, long out) {
        int value = c.handles().replace((int) handle, (int) rights);
        writeOrClose(c, out, value);
        return ZxStatus.OK;
    }

    /** Copies a new handle value out; if that fails the new handle is closed and INVALID_ARGS returned. */
    static void writeOrClose(SyscallContext c, long out, int value) {
        try {
            c.memory().writeU32(out, value);
        } catch (ZxException e) {
            try {
                c.handles().close(value);
            } catch (ZxException ignored) {
                // already closed by another thread
            }
            throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        }
    }
}
