package dev.zjvm.syscall.handler;

import static dev.zjvm.object.vm.VmOptions.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.zjvm.object.ObjectType;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.ipc.Port;
import dev.zjvm.object.task.Process;
import dev.zjvm.object.vm.Pager;
import dev.zjvm.object.vm.Stream;
import dev.zjvm.object.vm.VmAddressSpace;
import dev.zjvm.object.vm.Vmar;
import dev.zjvm.object.vm.Vmo;
import dev.zjvm.object.vm.VmoOptions;
import dev.zjvm.syscall.testing.ErrorChecks;
import dev.zjvm.syscall.testing.SyscallHarness;
import org.junit.jupiter.api.Test;

/**
 * The generic errors of every VM syscall that takes a handle or a user pointer: BAD_HANDLE,
 * WRONG_TYPE, ACCESS_DENIED per missing right, INVALID_ARGS for bad pointers, and no change to
 * the handle table when a call fails.
 */
class VmSyscallErrorsTest {
    private static final int PAGE = 4096;
    private final SyscallHarness h = new SyscallHarness();
    /** A separate address space whose root VMAR the harness process holds a handle to. */
    private final VmAddressSpace aspace = VmAddressSpace.create(h.kernel, 1L << 32);
    private final int vmoRights = ObjectType.VMO.defaultRights();

    private int newVmo() {
        return h.install(Vmo.create(h.kernel, 4 * PAGE, 0));
    }

    private int newResizableVmo() {
        return h.install(Vmo.create(h.kernel, PAGE, VmoOptions.RESIZABLE));
    }

    private int rootVmar() {
        return h.install(aspace.root(), aspace.root().handleRights());
    }

    private int newSubVmar() {
        Vmar sub = aspace.root().allocate(CAN_MAP_READ | CAN_MAP_WRITE, 0, 4 * PAGE);
        return h.install(sub, sub.handleRights());
    }

    private final Pager pager = Pager.create(h.kernel, 0);
    private final Vmo pagerVmo = pager.createVmo(0, (k, cmd, off, len) -> {}, 1, 4 * PAGE);

    private int newStream() {
        Vmo vmo = Vmo.create(h.kernel, PAGE, VmoOptions.RESIZABLE);
        int opts = Stream.MODE_READ | Stream.MODE_WRITE;
        return h.install(Stream.create(h.kernel, opts, vmo, 0), Stream.handleRights(opts));
    }

    @Test
    void vmo() {
        long buf = h.alloc(64);
        ErrorChecks.of(h, "vmo_create").args(PAGE, 0, 0).out(2).run();
        ErrorChecks.of(h, "vmo_read").args(0, buf, 0, 16).handle(0, this::newVmo, Rights.READ).in(1).out(1).run();
        ErrorChecks.of(h, "vmo_write").args(0, buf, 0, 16).handle(0, this::newVmo, Rights.WRITE).in(1).run();
        ErrorChecks.of(h, "vmo_get_size").args(0, 0).handle(0, this::newVmo, 0).out(1).run();
        ErrorChecks.of(h, "vmo_set_size").args(0, 2 * PAGE).handle(0, this::newResizableVmo, Rights.WRITE).run();
        ErrorChecks.of(h, "vmo_op_range").args(0, VmoOptions.OP_COMMIT, 0, PAGE, 0, 0).handle(0, this::newVmo, Rights.WRITE).run();
        ErrorChecks.of(h, "vmo_op_range").args(0, VmoOptions.OP_CACHE_CLEAN, 0, PAGE, 0, 0).handle(0, this::newVmo, Rights.READ).run();
        ErrorChecks.of(h, "vmo_create_child").args(0, VmoOptions.CHILD_SNAPSHOT, 0, PAGE, 0)
                .handle(0, this::newVmo, Rights.DUPLICATE | Rights.READ).out(4).run();
        ErrorChecks.of(h, "vmo_set_cache_policy").args(0, VmoOptions.CACHE_POLICY_UNCACHED).handle(0, this::newVmo, Rights.MAP).run();
        int btiRights = ObjectType.BTI.defaultRights();
        ErrorChecks.of(h, "vmo_create_contiguous").args(0, 2 * PAGE, 0, 0)
                .handle(0, () -> h.install(dev.zjvm.object.dev.Bti.create(dev.zjvm.object.dev.Iommu.create(h.kernel, 0, 1), 0, 1), btiRights),
                        Rights.MAP).out(3).run();
        // A non-VMO handle is BAD_HANDLE here (2020 code), and is consumed too.
        ErrorChecks.of(h, "vmo_replace_as_executable").args(0, 0, 0).anyHandle(0, this::newVmo, 0).consumes(0).out(2).run();
        int event = h.newEvent();
        assertEquals(ZxStatus.ERR_BAD_HANDLE, h.status("vmo_replace_as_executable", event, 0, h.alloc(4)));
        assertEquals(false, h.isValid(event));
    }

    @Test
    void vmar() {
        ErrorChecks.of(h, "vmar_allocate").args(0, CAN_MAP_READ | CAN_MAP_WRITE | CAN_MAP_EXECUTE, 0, PAGE, 0, 0)
                .handle(0, this::rootVmar, Rights.READ | Rights.WRITE | Rights.EXECUTE).out(4).out(5).run();
        ErrorChecks.of(h, "vmar_destroy").args(0).handle(0, this::newSubVmar, 0).run();
        ErrorChecks.of(h, "vmar_map").args(0, PERM_READ | PERM_WRITE, 0, 0, 0, PAGE, 0)
                .handle(0, this::rootVmar, Rights.READ | Rights.WRITE).handle(3, this::newVmo, Rights.MAP | Rights.READ | Rights.WRITE)
                .out(6).run();
        assertEquals(1, aspace.root().mappings().size(), "only the valid call's mapping exists");
        long addr = aspace.root().map(PERM_READ, 0, Vmo.create(h.kernel, PAGE, 0), 0, PAGE).base();
        ErrorChecks.of(h, "vmar_unmap").args(0, addr + 64 * PAGE, PAGE).handle(0, this::rootVmar, 0).run();
        ErrorChecks.of(h, "vmar_protect").args(0, PERM_READ, addr, PAGE).handle(0, this::rootVmar, Rights.READ).run();
        ErrorChecks.of(h, "vmar_op_range").args(0, VmoOptions.OP_DECOMMIT, addr, PAGE, 0, 0).validStatus(ZxStatus.ERR_ACCESS_DENIED)
                .handle(0, this::rootVmar, 0).run();
    }

    @Test
    void pager() {
        ErrorChecks.of(h, "pager_create").args(0, 0).out(1).run();
        int pagerRights = ObjectType.PAGER.defaultRights();
        ErrorChecks.of(h, "pager_create_vmo").args(0, 0, 0, 7, PAGE, 0)
                .handle(0, () -> h.install(pager, pagerRights), 0)
                .handle(2, () -> h.install(Port.create(h.kernel, 0)), Rights.WRITE).out(5).run();
        ErrorChecks.of(h, "pager_supply_pages").args(0, 0, 0, PAGE, 0, 0)
                .handle(0, () -> h.install(pager, pagerRights), 0)
                .handle(1, () -> h.install(pagerVmo), 0)
                .handle(4, () -> h.install(Vmo.create(h.kernel, PAGE, 0)), Rights.READ | Rights.WRITE).run();
        ErrorChecks.of(h, "pager_op_range").args(0, Pager.OP_FAIL, 0, PAGE, PAGE, ZxStatus.ERR_IO)
                .handle(0, () -> h.install(pager, pagerRights), 0)
                .handle(2, () -> h.install(pagerVmo), 0).run();
        ErrorChecks.of(h, "pager_detach_vmo").args(0, 0)
                .handle(0, () -> h.install(pager, pagerRights), 0)
                .handle(1, () -> h.install(pager.createVmo(0, (k, cmd, off, len) -> {}, 1, PAGE)), 0).run();
    }

    @Test
    void stream() {
        long iov = h.alloc(16);
        long data = h.alloc(16);
        h.putU64(iov, data);
        h.putU64(iov + 8, 16);
        ErrorChecks.of(h, "stream_create").args(Stream.MODE_READ | Stream.MODE_WRITE, 0, 0, 0)
                .handle(1, this::newVmo, Rights.READ | Rights.WRITE).out(3).run();
        ErrorChecks.of(h, "stream_writev").args(0, 0, iov, 1, 0).handle(0, this::newStream, Rights.WRITE).in(2).optionalOut(4).run();
        ErrorChecks.of(h, "stream_writev_at").args(0, 0, 0, iov, 1, 0).handle(0, this::newStream, Rights.WRITE).in(3).optionalOut(5).run();
        ErrorChecks.of(h, "stream_readv").args(0, 0, iov, 1, 0).handle(0, this::newStream, Rights.READ).in(2).optionalOut(4).run();
        ErrorChecks.of(h, "stream_readv_at").args(0, 0, 0, iov, 1, 0).handle(0, this::newStream, Rights.READ).in(3).optionalOut(5).run();
        // seek needs READ or WRITE: only losing both is denied.
        ErrorChecks.of(h, "stream_seek").args(0, Stream.SEEK_ORIGIN_START, 0, 0).handle(0, this::newStream, 0).optionalOut(3).run();
        int noIo = h.install(h.object(newStream(), Stream.class), Stream.handleRights(0));
        assertEquals(ZxStatus.ERR_ACCESS_DENIED, h.status("stream_seek", noIo, 0, 0, 0));
    }

    @Test
    void processMemory() {
        dev.zjvm.object.boot.KernelOptions.install(h.kernel, dev.zjvm.object.boot.KernelOptions.parse(
                java.util.List.of("kernel.enable-debugging-syscalls=true"))); // process_write_memory needs it
        VmAddressSpace.installFactory(h.kernel, 1L << 30);
        Process target = h.job.createProcess("target");
        long addr = VmAddressSpace.of(target).root().map(PERM_READ, 0, Vmo.create(h.kernel, PAGE, 0), 0, PAGE).base();
        long buf = h.alloc(16);
        ErrorChecks.of(h, "process_read_memory").args(0, addr, buf, 16, 0)
                .handle(0, () -> h.install(target), Rights.READ | Rights.WRITE).out(2).out(4).run();
        ErrorChecks.of(h, "process_write_memory").args(0, addr, buf, 16, 0)
                .handle(0, () -> h.install(target), Rights.WRITE).in(2).out(4).run();
    }
}
