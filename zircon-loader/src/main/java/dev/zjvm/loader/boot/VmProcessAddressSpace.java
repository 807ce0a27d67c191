package dev.zjvm.loader.boot;

import dev.zjvm.object.KernelObject;
import dev.zjvm.object.task.ProcessAddressSpace;
import dev.zjvm.object.vm.VmAddressSpace;

/** A process's address space backed by the VM code: a root VMAR over a slice of the guest range. */
record VmProcessAddressSpace(VmAddressSpace space) implements ProcessAddressSpace {
    @Override
    public KernelObject rootVmar() {
        return space.root();
    }

    @Override
    public void destroy() {
        space.close();
    }
}
