package dev.zjvm.syscall.handler;

import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.debuglog.DebugLog;
import dev.zjvm.object.debuglog.LogRecord;
import dev.zjvm.object.debuglog.SerialConsole;
import dev.zjvm.object.dev.ResourceKind;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.syscall.dispatch.Support;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;

/** debuglog_create/write/read and the serial calls debug_write/read/send_command. */
public final class DebugLogSyscalls implements SyscallFamily {
    /** zx_debug_write silently caps a write at this many bytes. */
    static final int DEBUG_WRITE_MAX = 256;

    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("debuglog_create", (c, res, options, out, a3, a4, a5, a6, a7) -> create(c, res, options, out));
        r.register("debuglog_write", (c, h, options, buf, len, a4, a5, a6, a7) -> write(c, h, options, buf, len));
        r.register("debuglog_read", (c, h, options, buf, len, a4, a5, a6, a7) -> read(c, h, options, buf, len));
        r.register("debug_write", (c, buf, len, a2, a3, a4, a5, a6, a7) -> debugWrite(c, buf, len));
        r.register("debug_read", Support.notSupported("serial input is not connected (kernel.enable-serial-syscalls=output-only)"),
                (c, h, buf, len, actual, a4, a5, a6, a7) -> debugRead(c, h));
        r.register("debug_send_command", Support.notSupported("no kernel debug console"),
                (c, h, buf, len, a3, a4, a5, a6, a7) -> sendCommand(c, h, buf, len));
    }

    static long create(SyscallContext c, long resource, long options, long out) {
        // The 2020 kernel also accepts ZX_HANDLE_INVALID in place of the root resource.
        if ((int) resource != 0) ResourceChecks.require(c, resource, ResourceKind.ROOT);
        DebugLog log = DebugLog.create(c.kernel(), (int) options);
        c.installHandle(out, Handle.create(log, log.createRights()));
        return ZxStatus.OK;
    }

    static long write(SyscallContext c, long handle, long options, long buf, long len) {
        DebugLog log = c.get(handle, DebugLog.class, Rights.WRITE);
        if ((options & ~DebugLog.FLAGS_MASK) != 0 || len < 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        byte[] data = c.memory().readBytes(buf, Math.min(len, LogRecord.MAX_DATA));
        log.write((int) options, data, c.process().koid(), c.thread() == null ? 0 : c.thread().koid());
        return ZxStatus.OK;
    }

    static long read(SyscallContext c, long handle, long options, long buf, long len) {
        DebugLog log = c.get(handle, DebugLog.class, Rights.READ);
        if (options != 0 || len < 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        byte[] record = log.read().toBytes();
        int n = (int) Math.min(record.length, len);
        c.memory().write(buf, record, 0, n);
        return n; // the 2020 kernel returns the byte count, not ZX_OK
    }

    static long debugWrite(SyscallContext c, long buf, long len) {
        if (len < 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        byte[] data = c.memory().readBytes(buf, Math.min(len, DEBUG_WRITE_MAX));
        SerialConsole.of(c.kernel()).write(data);
        return ZxStatus.OK;
    }

    static long debugRead(SyscallContext c, long handle) {
        ResourceChecks.require(c, handle, ResourceKind.ROOT);
        throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
    }

    static long sendCommand(SyscallContext c, long handle, long buf, long len) {
        ResourceChecks.require(c, handle, ResourceKind.ROOT);
        if (len < 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        c.memory().readBytes(buf, Math.min(len, DEBUG_WRITE_MAX));
        throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
    }
}
