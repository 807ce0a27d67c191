package dev.zjvm.object.task;

import java.util.ServiceLoader;

/**
 * The address-space factory a kernel uses when none was installed: the VM code's, found through
 * {@link ServiceLoader} so the task code does not depend on the VM package. One per kernel (a
 * kernel service), looked up once.
 */
record DefaultAddressSpaces(ProcessAddressSpace.Factory factory) {
    static DefaultAddressSpaces load(dev.zjvm.object.Kernel kernel) {
        ProcessAddressSpace.Factory f = ServiceLoader
                .load(ProcessAddressSpace.Factory.class, ProcessAddressSpace.class.getClassLoader())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "no ProcessAddressSpace.Factory provider (META-INF/services) on the class path"));
        return new DefaultAddressSpaces(f);
    }
}
