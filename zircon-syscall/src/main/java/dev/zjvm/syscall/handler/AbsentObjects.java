package dev.zjvm.syscall.handler;

import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.syscall.dispatch.SyscallContext;

/**
 * Handle checks for object types this kernel never creates (PCI devices, MSI allocations, guests,
 * VCPUs): there is no hardware behind them, so a valid handle is always of another type.
 */
final class AbsentObjects {
    private AbsentObjects() {}

    /** BAD_HANDLE for an invalid value, else WRONG_TYPE (no object of the wanted type exists). */
    static ZxException reject(SyscallContext c, long handle, String type) {
        c.handles().handle((int) handle);
        return new ZxException(ZxStatus.ERR_WRONG_TYPE, "no " + type + " objects exist in this kernel");
    }
}
