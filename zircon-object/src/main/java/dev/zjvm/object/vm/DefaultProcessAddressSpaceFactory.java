package dev.zjvm.object.vm;

import dev.zjvm.object.task.Process;
import dev.zjvm.object.task.ProcessAddressSpace;

/**
 * Gives every process a {@link VmAddressSpace} of {@link VmAddressSpace#DEFAULT_SIZE} bytes. The
 * kernel's default when no other factory was installed (registered for {@link
 * java.util.ServiceLoader} in META-INF/services).
 */
public final class DefaultProcessAddressSpaceFactory implements ProcessAddressSpace.Factory {
    @Override
    public ProcessAddressSpace create(Process process) {
        return VmAddressSpace.create(process.kernel(), VmAddressSpace.DEFAULT_SIZE);
    }
}
