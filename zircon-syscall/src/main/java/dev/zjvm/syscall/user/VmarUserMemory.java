package dev.zjvm.syscall.user;

import dev.zjvm.object.task.BlockingContext;
import dev.zjvm.object.task.Process;
import dev.zjvm.object.vm.VmAddressSpace;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A process's user memory as one of its threads sees it in a syscall: every copy checks the range
 * against the VMAR mappings and their permissions under the address-space lock and goes through
 * the mapped VMOs, so it never faults and works for native and detached address spaces alike.
 * Waits for pager-backed pages happen as the calling thread (a kill ends them).
 */
public final class VmarUserMemory implements UserMemory {
    private final VmAddressSpace aspace;
    private final BlockingContext who;

    public VmarUserMemory(VmAddressSpace aspace, BlockingContext who) {
        this.aspace = Objects.requireNonNull(aspace);
        this.who = Objects.requireNonNull(who);
    }

    /**
     * The user memory of {@code process} for a caller blocking as {@code who}.
     *
     * @throws IllegalStateException if the process has no VM address space (no factory installed)
     */
    public static VmarUserMemory of(Process process, BlockingContext who) {
        VmAddressSpace as = VmAddressSpace.of(process);
        if (as == null) throw new IllegalStateException(process + " has no VM address space");
        return new VmarUserMemory(as, who);
    }

    public VmAddressSpace addressSpace() {
        return aspace;
    }

    @Override
    public void read(long vaddr, byte[] dst, int off, int len) {
        Objects.checkFromIndexSize(off, len, dst.length);
        UserMemory.checkRange(vaddr, len);
        aspace.read(vaddr, MemorySegment.ofArray(dst), off, len, who);
    }

    @Override
    public void write(long vaddr, byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        UserMemory.checkRange(vaddr, len);
        aspace.write(vaddr, MemorySegment.ofArray(src), off, len, who);
    }

    /**
     * How an access would fault, for the calls that report faults in user buffers as Zircon's soft
     * fault does: OK, NOT_FOUND or ACCESS_DENIED (see {@link VmAddressSpace#probe}).
     */
    public int probe(long vaddr, long len, int perm) {
        return aspace.probe(vaddr, len, perm);
    }
}
