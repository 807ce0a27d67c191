package dev.zjvm.syscall.handler;

import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.task.Process;
import dev.zjvm.object.vm.VmAddressSpace;

/** {@code zx_process_read_memory} / {@code zx_process_write_memory}: debugger access to another process. */
public final class ProcessMemorySyscalls {
    /** Largest single transfer (2020 {@code kMaxDebugReadBlock} / write block). */
    static final long MAX_BLOCK = 64L << 20;

    private final VmCaller c;

    public ProcessMemorySyscalls(VmCaller caller) {
        this.c = caller;
    }

    /** zx_process_read_memory(handle, vaddr, buffer, buffer_size, actual). */
    public int read(int handle, long vaddr, long buffer, long size, long actual) {
        if (buffer == 0 || size == 0 || Long.compareUnsigned(size, MAX_BLOCK) > 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        VmAddressSpace target = target(handle, Rights.READ | Rights.WRITE);
        byte[] data = new byte[(int) size];
        int n = target.readMemory(vaddr, data, 0, data.length);
        c.addressSpace().write(buffer, data, 0, n);
        UserIo.writeU64(c.addressSpace(), actual, n);
        return ZxStatus.OK;
    }

    /** zx_process_write_memory(handle, vaddr, buffer, buffer_size, actual). */
    public int write(int handle, long vaddr, long buffer, long size, long actual) {
        if (!c.debuggingSyscallsEnabled()) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
        if (buffer == 0 || size == 0 || Long.compareUnsigned(size, MAX_BLOCK) > 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        VmAddressSpace target = target(handle, Rights.WRITE);
        byte[] data = new byte[(int) size];
        c.addressSpace().read(buffer, data, 0, data.length);
        int n = target.writeMemory(vaddr, data, 0, data.length);
        UserIo.writeU64(c.addressSpace(), actual, n);
        return ZxStatus.OK;
    }

    private VmAddressSpace target(int handle, int rights) {
        Process process = c.handles().get(handle, Process.class, rights);
        VmAddressSpace as = VmAddressSpace.of(process);
        if (as == null || process.state() == Process.State.DYING || process.isDead() || as.isClosed()) {
            throw new ZxException(ZxStatus.ERR_BAD_STATE, "process memory not accessible");
        }
        return as;
    }
}
