package dev.zjvm.syscall.exec;

import dev.zjvm.object.vm.VmAddressSpace;
import dev.zjvm.syscall.user.UserMemory;

/**
 * User memory of a process, reached through its VMAR mappings (checked, never a host pointer
 * dereference): what syscall handlers copy in and out of.
 */
public record VmUserMemory(VmAddressSpace space) implements UserMemory {
    @Override
    public void read(long vaddr, byte[] dst, int off, int len) {
        space.read(vaddr, dst, off, len);
    }

    @Override
    public void write(long vaddr, byte[] src, int off, int len) {
        space.write(vaddr, src, off, len);
    }
}
