package dev.zjvm.object.task;

import dev.zjvm.object.KernelObject;

/**
 * A process's address space as the task code sees it; implemented by the VM code (root VMAR).
 * Installed per kernel through {@link Factory} ({@code kernel.installService(Factory.class, ...)});
 * without a factory processes have no address space (object-level tests).
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
