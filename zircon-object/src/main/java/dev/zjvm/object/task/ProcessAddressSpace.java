package dev.zjvm.object.task;

import dev.zjvm.object.KernelObject;

/**
 * A process's address space as the task code sees it; implemented by the VM code (root VMAR).
 * Created per process by the kernel's {@link Factory}: one installed with {@code
 * kernel.installService(Factory.class, ...)} (the native kernel's), else the VM code's default,
 * found with {@link java.util.ServiceLoader} so this package does not depend on the VM package.
 */
public interface ProcessAddressSpace {
    /** The root VMAR object, returned by {@code zx_process_create} as the second handle. */
    KernelObject rootVmar();

    /** Called once when the process dies: unmap everything and release the range. */
    void destroy();

    /** Creates the address space of a new process. */
    @FunctionalInterface
    interface Factory {
        ProcessAddressSpace create(Process process);
    }
}
