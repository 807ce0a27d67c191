package dev.zjvm.syscall.handler;

import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.boot.KernelOptions;
import dev.zjvm.object.task.Process;
import dev.zjvm.object.vm.VmAddressSpace;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;

/**
 * process_read_memory, process_write_memory: debugger access to another process's memory. Writing
 * needs {@code kernel.enable-debugging-syscalls} (NOT_SUPPORTED without it, before any other check).
 */
public final class ProcessMemorySyscalls implements SyscallFamily {
    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("process_read_memory", (c, p, vaddr, buf, size, actual, a5, a6, a7) ->
                readMemory(c, p, vaddr, buf, size, actual));
        r.register("process_write_memory",
                (c, p, vaddr, buf, size, actual, a5, a6, a7) -> writeMemory(c, p, vaddr, buf, size, actual));
    }

    /** Largest transfer of process_read/write_memory (64 MiB). */
    static final long MAX_DEBUG_TRANSFER = 64L << 20;

    /** The target's address space for debugger access; BAD_STATE while it has none or is dying. */
    private static VmAddressSpace debugTarget(Process p) {
        VmAddressSpace as = VmAddressSpace.of(p);
        Process.State s = p.state();
        if (as == null || s == Process.State.DYING || s == Process.State.DEAD) throw new ZxException(ZxStatus.ERR_BAD_STATE);
        return as;
    }

    private static void checkTransferSize(long size) {
        if (size == 0 || Long.compareUnsigned(size, MAX_DEBUG_TRANSFER) > 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
    }

    static long readMemory(SyscallContext c, long process, long vaddr, long buffer, long size, long actual) {
        Process p = c.get(process, Process.class, Rights.READ | Rights.WRITE);
        checkTransferSize(size);
        VmAddressSpace target = debugTarget(p);
        byte[] data = new byte[(int) size];
        int n = target.readMemory(vaddr, data, 0, data.length);
        c.memory().write(buffer, data, 0, n);
        c.memory().writeU64(actual, n); // actual is required (2020 kernel: user_out_ptr, no NULL check)
        return ZxStatus.OK;
    }

    static long writeMemory(SyscallContext c, long process, long vaddr, long buffer, long size, long actual) {
        // 2020 order: the boot option first, then the buffer and size, then the handle.
        if (!KernelOptions.of(c.kernel()).debuggingSyscalls()) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
        if (buffer == 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        checkTransferSize(size);
        Process p = c.get(process, Process.class, Rights.WRITE);
        VmAddressSpace target = debugTarget(p);
        byte[] data = c.memory().readBytes(buffer, size);
        int n = target.writeMemory(vaddr, data, 0, data.length);
        c.memory().writeU64(actual, n); // actual is required (2020 kernel: user_out_ptr, no NULL check)
        return ZxStatus.OK;
    }
}
