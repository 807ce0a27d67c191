package dev.zjvm.syscall.handler;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.handle.HandleTable;
import dev.zjvm.object.vm.VmAddressSpace;

/**
 * What the VM syscall handlers need from the calling process: its handle table and its address
 * space (which is also its user memory). The dispatcher's per-call context provides it.
 */
public interface VmCaller {
    Kernel kernel();

    HandleTable handles();

    VmAddressSpace addressSpace();

    /**
     * Job-policy check for creating an object ({@code ZX_POL_NEW_VMO}, ...).
     *
     * @throws dev.zjvm.object.ZxException ACCESS_DENIED when the policy denies it
     */
    default void checkNewObjectPolicy(int policy) {}

    /** {@code ZX_POL_NEW_VMO}. */
    int POL_NEW_VMO = 4;
    /** {@code ZX_POL_AMBIENT_MARK_VMO_EXEC}. */
    int POL_AMBIENT_MARK_VMO_EXEC = 14;
}
