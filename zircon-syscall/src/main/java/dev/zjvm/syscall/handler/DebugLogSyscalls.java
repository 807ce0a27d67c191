package dev.zjvm.syscall.handler;

import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.boot.KernelOptions;
import dev.zjvm.object.debuglog.DebugLog;
import dev.zjvm.object.debuglog.KernelConsole;
import dev.zjvm.object.debuglog.LogRecord;
import dev.zjvm.object.debuglog.SerialConsole;
import dev.zjvm.object.debuglog.SerialInput;
import dev.zjvm.object.dev.ResourceKind;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.task.Job;
import dev.zjvm.object.task.Thread;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;
import java.nio.charset.StandardCharsets;

/**
 * debuglog_create/write/read and the serial calls debug_write/read/send_command. The serial calls
 * are gated by the kernel's boot options as in 2020: debug_write needs
 * {@code kernel.enable-serial-syscalls} true or output-only, debug_read true, debug_send_command
 * {@code kernel.enable-debugging-syscalls}; NOT_SUPPORTED otherwise, before any other check.
 */
public final class DebugLogSyscalls implements SyscallFamily {
    /** zx_debug_write silently caps a write at this many bytes. */
    static final int DEBUG_WRITE_MAX = 256;

    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("debuglog_create", (c, res, options, out, a3, a4, a5, a6, a7) -> create(c, res, options, out));
        r.register("debuglog_write", (c, h, options, buf, len, a4, a5, a6, a7) -> write(c, h, options, buf, len));
        r.register("debuglog_read", (c, h, options, buf, len, a4, a5, a6, a7) -> read(c, h, options, buf, len));
        r.register("debug_write", (c, buf, len, a2, a3, a4, a5, a6, a7) -> debugWrite(c, buf, len));
        r.register("debug_read", (c, h, buf, len, actual, a4, a5, a6, a7) -> debugRead(c, h, buf, len, actual));
        r.register("debug_send_command", (c, h, buf, len, a3, a4, a5, a6, a7) -> sendCommand(c, h, buf, len));
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
        if (!KernelOptions.of(c.kernel()).serialSyscalls().allowsOutput()) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
        // size_t: a "negative" length is huge and is capped like any other.
        byte[] data = c.memory().readBytes(buf, Long.compareUnsigned(len, DEBUG_WRITE_MAX) > 0 ? DEBUG_WRITE_MAX : len);
        SerialConsole.of(c.kernel()).write(data);
        return ZxStatus.OK;
    }

    /**
     * 2020 semantics: needs {@code kernel.enable-serial-syscalls=true}; waits for the first byte
     * only, then takes what is buffered up to {@code len}; '\r' reads as '\n'; the count goes to
     * {@code actual} (required).
     */
    static long debugRead(SyscallContext c, long handle, long buf, long len, long actual) {
        if (!KernelOptions.of(c.kernel()).serialSyscalls().allowsInput()) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
        ResourceChecks.require(c, handle, ResourceKind.ROOT);
        SerialInput input = SerialConsole.of(c.kernel()).input();
        int max = (int) (Long.compareUnsigned(len, SerialInput.CAPACITY) > 0 ? SerialInput.CAPACITY : len);
        byte[] got;
        while (true) {
            try {
                got = input.take(max, c.blocker());
                break;
            } catch (ZxException e) {
                // Suspended while waiting: debug_read is not a vDSO-retried call, so park here
                // until resumed and wait again (nothing was consumed yet).
                Thread self = c.thread();
                if (e.status() != ZxStatus.ERR_INTERNAL_INTR_RETRY || self == null || self.isDying()) throw e;
                if (!self.returnToUser()) throw new ZxException(ZxStatus.ERR_INTERNAL_INTR_KILLED);
            }
        }
        for (int i = 0; i < got.length; i++) if (got[i] == '\r') got[i] = '\n';
        c.memory().write(buf, got, 0, got.length); // the bytes are consumed even if the copy fails, as in 2020
        c.memory().writeU64(actual, got.length);
        return ZxStatus.OK;
    }

    /**
     * Runs a kernel console script (needs {@code kernel.enable-debugging-syscalls}); at most 256
     * bytes. The status is the console's (the last command's).
     */
    static long sendCommand(SyscallContext c, long handle, long buf, long len) {
        if (!KernelOptions.of(c.kernel()).debuggingSyscalls()) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
        ResourceChecks.require(c, handle, ResourceKind.ROOT);
        if (Long.compareUnsigned(len, DEBUG_WRITE_MAX) > 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        String script = new String(c.memory().readBytes(buf, len), StandardCharsets.US_ASCII);
        Job root = c.process().job();
        while (root.parent() != null) root = root.parent();
        return KernelConsole.toKernelLog(c.kernel(), root).runScript(script + "\n");
    }
}
