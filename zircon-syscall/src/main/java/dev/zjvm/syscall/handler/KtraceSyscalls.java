package dev.zjvm.syscall.handler;

import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.boot.KernelOptions;
import dev.zjvm.object.dev.KtraceBuffer;
import dev.zjvm.object.dev.ResourceKind;
import dev.zjvm.syscall.dispatch.Support;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;
import dev.zjvm.syscall.abi.SyscallTable;
import dev.zjvm.syscall.dispatch.SyscallNumbering;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * ktrace_read, ktrace_control, ktrace_write (the kernel trace buffer) and mtrace_control; all but
 * ktrace_write need {@code kernel.enable-debugging-syscalls} (syscalls.md, 2020).
 */
public final class KtraceSyscalls implements SyscallFamily {
    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("ktrace_read", (c, h, data, offset, len, actual, a5, a6, a7) -> read(c, h, data, offset, len, actual));
        r.register("ktrace_control",
                (c, h, action, options, ptr, a4, a5, a6, a7) -> control(c, h, action, options, ptr));
        r.register("ktrace_write", (c, h, id, arg0, arg1, a4, a5, a6, a7) -> write(c, h, id, arg0, arg1));
        r.register("mtrace_control", Support.notSupported("no CPU performance monitor access from a library OS"),
                (c, h, kind, action, options, ptr, size, a6, a7) -> mtrace(c, h, ptr, size));
    }

    /** Syscall names by number, as the trace reports them (TAG_SYSCALL_NAME). */
    static final List<String> SYSCALL_NAMES = syscallNames();

    private static List<String> syscallNames() {
        SyscallNumbering numbering = SyscallNumbering.of(SyscallTable.standard());
        List<String> names = new ArrayList<>();
        for (int n = 0; n < numbering.limit(); n++) names.add(numbering.nameOf(n));
        return Collections.unmodifiableList(names);
    }

    /** The kernel's trace buffer. */
    static KtraceBuffer buffer(SyscallContext c) {
        return KtraceBuffer.of(c.kernel(), SYSCALL_NAMES);
    }

    /** 2020: ktrace_read, ktrace_control and mtrace_control answer NOT_SUPPORTED, before any other check, without the option. */
    private static void requireDebugging(SyscallContext c) {
        if (!KernelOptions.of(c.kernel()).debuggingSyscalls()) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
    }

    static long read(SyscallContext c, long handle, long data, long offset, long len, long actual) {
        requireDebugging(c);
        ResourceChecks.require(c, handle, ResourceKind.ROOT);
        KtraceBuffer buf = buffer(c);
        long n;
        if (data == 0) {
            n = buf.available(); // a NULL read asks for the size of the trace
        } else {
            byte[] bytes = buf.read(Integer.toUnsignedLong((int) offset), Math.min(len < 0 ? Long.MAX_VALUE : len,
                    dev.zjvm.syscall.user.UserMemory.MAX_COPY));
            c.memory().writeBytes(data, bytes);
            n = bytes.length;
        }
        c.memory().writeU64(actual, n);
        return ZxStatus.OK;
    }

    static long control(SyscallContext c, long handle, long action, long options, long ptr) {
        requireDebugging(c);
        ResourceChecks.require(c, handle, ResourceKind.ROOT);
        String name = null;
        if ((int) action == KtraceBuffer.ACTION_NEW_PROBE) {
            byte[] raw = c.memory().readBytes(ptr, KernelObject.MAX_NAME_LEN - 1);
            int n = 0;
            while (n < raw.length && raw[n] != 0) n++;
            name = new String(raw, 0, n, StandardCharsets.UTF_8);
        }
        return buffer(c).control((int) action, (int) options, name);
    }

    /** Not gated by the boot option (2020-06: only read, control and mtrace were). */
    static long write(SyscallContext c, long handle, long id, long arg0, long arg1) {
        ResourceChecks.require(c, handle, ResourceKind.ROOT);
        if (Integer.toUnsignedLong((int) id) > KtraceBuffer.MAX_EVENT_ID) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        long tid = c.thread() == null ? 0 : c.thread().koid();
        boolean written = buffer(c).writeProbe((int) id, (int) arg0, (int) arg1, tid,
                c.kernel().clock().ticks());
        // As in 2020: one status for "not capturing" and "buffer full".
        if (!written) throw new ZxException(ZxStatus.ERR_UNAVAILABLE);
        return ZxStatus.OK;
    }

    static long mtrace(SyscallContext c, long handle, long ptr, long size) {
        requireDebugging(c);
        ResourceChecks.require(c, handle, ResourceKind.ROOT);
        throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
    }
}
