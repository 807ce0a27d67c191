package dev.zjvm.syscall.handler;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.task.Job;
import dev.zjvm.object.task.Process;
import dev.zjvm.object.task.Thread;
import dev.zjvm.object.vm.VmAddressSpace;
import dev.zjvm.object.vm.VmOptions;
import dev.zjvm.object.vm.Vmo;
import dev.zjvm.syscall.dispatch.Dispatcher;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallRegistry;
import dev.zjvm.syscall.testing.SyscallHarness;
import dev.zjvm.syscall.user.VmarUserMemory;

/**
 * A guest process whose user memory is its own VMAR (the production path): syscalls are made by
 * number through the dispatcher, user buffers live in VMOs mapped into the process.
 */
final class VmProcess {
    static final int SCRATCH = 256 * 1024;
    final Kernel kernel = Kernel.forTesting(17);
    final Process process;
    final Thread thread;
    final VmAddressSpace aspace;
    final VmarUserMemory memory;
    final SyscallContext ctx;
    final Dispatcher dispatcher = new Dispatcher(SyscallHarness.numbering(), SyscallRegistry.standard());
    /** Read-write scratch memory, a read-only page, and an address with nothing mapped. */
    final long scratch;
    final long readOnly;
    final long unmapped;
    private long next;

    VmProcess() {
        VmAddressSpace.installFactory(kernel, 1L << 32);
        Job job = Job.createRoot(kernel).createChild();
        Handle.createDefault(job);
        process = job.createProcess("vm-test");
        Handle.createDefault(process);
        thread = process.createThread("main");
        process.start(thread, 0, 0, null, 0);
        assertTrue(thread.bindCurrent());
        aspace = VmAddressSpace.of(process);
        memory = new VmarUserMemory(aspace, thread);
        ctx = new SyscallContext(process, thread, memory);
        scratch = aspace.root().map(VmOptions.PERM_READ | VmOptions.PERM_WRITE, 0, Vmo.create(kernel, SCRATCH, 0), 0, SCRATCH).base();
        readOnly = aspace.root().map(VmOptions.PERM_READ, 0, Vmo.create(kernel, 4096, 0), 0, 4096).base();
        unmapped = aspace.root().base() + aspace.root().size() - 64 * 4096;
        next = scratch;
    }

    int status(String name, long... args) {
        return statusAs(ctx, name, args);
    }

    int statusAs(SyscallContext caller, String name, long... args) {
        long[] a = java.util.Arrays.copyOf(args, 8);
        return (int) dispatcher.dispatch(caller, SyscallHarness.number(name), a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
    }

    synchronized long alloc(int size) {
        long a = next;
        next += (size + 15) & ~15;
        if (next > scratch + SCRATCH) throw new IllegalStateException("scratch exhausted");
        return a;
    }

    int install(KernelObject o) {
        return process.handleTable().add(Handle.createDefault(o));
    }

    int install(KernelObject o, int rights) {
        return process.handleTable().add(Handle.create(o, rights));
    }

    <T extends KernelObject> T object(long value, Class<T> type) {
        return process.handleTable().get((int) value, type, 0);
    }

    int rights(long value) {
        return process.handleTable().handle((int) value).rights();
    }

    long u64(long p) {
        return memory.readU64(p);
    }

    int u32(long p) {
        return memory.readU32(p);
    }
}
