package dev.zjvm.syscall.handler;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.ObjectType;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.dev.Bti;
import dev.zjvm.object.dev.Iommu;
import dev.zjvm.object.dev.Pmt;
import dev.zjvm.object.dev.Resource;
import dev.zjvm.object.dev.ResourceKind;
import dev.zjvm.object.vm.Vmo;
import dev.zjvm.syscall.testing.ErrorChecks;
import dev.zjvm.syscall.testing.LeakCheck;
import dev.zjvm.syscall.testing.SyscallHarness;
import org.junit.jupiter.api.Test;

class BtiSyscallsTest {
    private static final int PAGE = Vmo.PAGE_SIZE;
    private final SyscallHarness h = new SyscallHarness();
    private final Bti bti = Bti.create(Iommu.create(h.kernel, Iommu.TYPE_DUMMY, 1), 0, 7);

    private int root() {
        return h.install(Resource.root(h.kernel));
    }

    private int bti() {
        return h.install(bti);
    }

    private int vmo() {
        return h.install(Vmo.create(h.kernel, 4 * PAGE, 0));
    }

    private int iommu() {
        return h.install(Iommu.create(h.kernel, Iommu.TYPE_DUMMY, 1));
    }

    /** Pins and returns {addresses..., pmt handle}. */
    private long[] pin(int vmo, int options, long offset, long size, int n) {
        long addrs = h.alloc(8 * Math.max(1, n));
        long out = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("bti_pin", bti(), options, vmo, offset, size, addrs, n, out));
        long[] r = new long[n + 1];
        for (int i = 0; i < n; i++) r[i] = h.u64(addrs + 8L * i);
        r[n] = h.u32(out);
        return r;
    }

    private int pmt() {
        return (int) pin(vmo(), Bti.PERM_READ, 0, PAGE, 1)[1];
    }

    @Test
    void iommuAndBtiCreate() {
        long desc = h.alloc(8);
        long out = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("iommu_create", root(), Iommu.TYPE_DUMMY, desc, 1, out));
        int iommu = h.u32(out);
        assertEquals(ObjectType.IOMMU.defaultRights(), h.rights(iommu));
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, h.status("iommu_create", root(), Iommu.TYPE_INTEL, desc, 1, out));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("iommu_create", root(), Iommu.TYPE_DUMMY, desc, 2, out));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("iommu_create", root(), Iommu.TYPE_DUMMY, desc, 4097, out));
        ErrorChecks.of(h, "iommu_create").args(0, Iommu.TYPE_DUMMY, desc, 1, 0).handle(0, this::root, 0).in(2).out(4).run();

        assertEquals(ZxStatus.OK, h.status("bti_create", iommu, 0, 42, out));
        Bti b = h.object(h.u32(out), Bti.class);
        assertEquals(42, b.btiId());
        assertEquals(h.object(iommu, Iommu.class).koid(), b.relatedKoid());
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("bti_create", iommu, 1, 0, out));
        ErrorChecks.of(h, "bti_create").args(0, 0, 1, 0).handle(0, this::iommu, 0).out(3).run();
    }

    @Test
    void pinReportsStablePageAddressesAndKeepsTheVmo() {
        int v = vmo();
        Vmo vmo = h.object(v, Vmo.class);
        long[] a = pin(v, Bti.PERM_READ | Bti.PERM_WRITE, PAGE, 2 * PAGE, 2);
        assertNotEquals(0, a[0]);
        assertEquals(a[0] + PAGE, a[1]);
        assertEquals(0, a[0] % PAGE);
        assertEquals(ObjectType.PMT.defaultRights(), h.rights(a[2]));
        long[] again = pin(v, Bti.PERM_READ | Bti.COMPRESS, 0, 4 * PAGE, 4);
        assertEquals(a[0], again[1], "the same page has the same address");
        long[] other = pin(vmo(), Bti.PERM_READ, 0, PAGE, 1);
        assertNotEquals(again[0], other[0]);
        assertEquals(3, bti.pinnedCount());
        assertTrue(vmo.committedBytes() >= 4L * PAGE, "pinned pages are committed");

        h.process.handleTable().close(v);
        assertFalse(vmo.isDead(), "a pin keeps the VMO");
        assertEquals(ZxStatus.OK, h.status("pmt_unpin", a[2]));
        assertFalse(h.isValid(a[2]));
        assertFalse(vmo.isDead());
        assertEquals(ZxStatus.OK, h.status("pmt_unpin", again[4]));
        assertTrue(vmo.isDead(), "the last unpin lets the VMO go");
        assertEquals(1, bti.pinnedCount());
    }

    @Test
    void pinArgumentRules() {
        int v = vmo();
        long addrs = h.alloc(64);
        long out = h.alloc(4);
        int r = Bti.PERM_READ;
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("bti_pin", bti(), r, v, 0, PAGE, addrs, 2, out), "num_addrs");
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("bti_pin", bti(), r, v, 1, PAGE, addrs, 1, out), "unaligned");
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("bti_pin", bti(), r, v, 0, 100, addrs, 0, out), "unaligned size");
        assertEquals(ZxStatus.ERR_OUT_OF_RANGE, h.status("bti_pin", bti(), r, v, 4 * PAGE, PAGE, addrs, 1, out));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("bti_pin", bti(), r, v, 0, 0, addrs, 0, out), "empty");
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("bti_pin", bti(), 0, v, 0, PAGE, addrs, 1, out), "no perms");
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("bti_pin", bti(), r | 1 << 5, v, 0, PAGE, addrs, 1, out));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("bti_pin", bti(), r | Bti.CONTIGUOUS, v, 0, PAGE, addrs, 1, out),
                "not a contiguous VMO");
        int readOnly = h.install(h.object(v, Vmo.class), Rights.MAP | Rights.READ);
        assertEquals(ZxStatus.ERR_ACCESS_DENIED,
                h.status("bti_pin", bti(), Bti.PERM_WRITE, readOnly, 0, PAGE, addrs, 1, out));
        int writeOnly = h.install(h.object(v, Vmo.class), Rights.MAP | Rights.WRITE);
        assertEquals(ZxStatus.ERR_ACCESS_DENIED,
                h.status("bti_pin", bti(), Bti.PERM_EXECUTE, writeOnly, 0, PAGE, addrs, 1, out));
        assertEquals(0, bti.pinnedCount(), "failed pins leave nothing pinned");
        ErrorChecks.of(h, "bti_pin").args(0, r, 0, 0, PAGE, 0, 1, 0)
                .handle(0, this::bti, Rights.MAP).handle(2, this::vmo, Rights.MAP | Rights.READ).out(5).out(7).run();
        assertEquals(1, bti.pinnedCount(), "only the valid call's pin remains; failed calls were undone");
    }

    @Test
    void contiguousVmos() {
        long out = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("vmo_create_contiguous", bti(), 3 * PAGE + 1, 12, out));
        int v = h.u32(out);
        Vmo vmo = h.object(v, Vmo.class);
        assertEquals(4L * PAGE, vmo.size());
        assertEquals(4L * PAGE, vmo.committedBytes());
        long[] a = pin(v, Bti.PERM_READ | Bti.CONTIGUOUS, 0, 4 * PAGE, 1);
        long[] pages = pin(v, Bti.PERM_READ, 0, 4 * PAGE, 4);
        assertEquals(a[0], pages[0]);
        assertEquals(a[0] + 3 * PAGE, pages[3]);
        long addrs = h.alloc(8);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("bti_pin", bti(), Bti.PERM_READ | Bti.CONTIGUOUS | Bti.COMPRESS,
                v, 0, PAGE, addrs, 1, out));
    }

    @Test
    void unpinConsumesAndQuarantine() {
        int e = h.newEvent();
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status("pmt_unpin", e));
        assertFalse(h.isValid(e), "pmt_unpin consumes even a wrong handle");
        ErrorChecks.of(h, "pmt_unpin").args(0).handle(0, this::pmt, 0).consumes(0).run();

        int v = vmo();
        Vmo vmo = h.object(v, Vmo.class);
        long[] a = pin(v, Bti.PERM_READ, 0, PAGE, 1);
        Pmt pmt = h.object(a[1], Pmt.class);
        h.process.handleTable().close(v);
        int before = bti.pinnedCount();
        int quarantined = bti.quarantineCount(); // ErrorChecks closed some tokens without unpinning
        h.process.handleTable().close((int) a[1]);
        assertEquals(before - 1, bti.pinnedCount());
        assertEquals(quarantined + 1, bti.quarantineCount(), "closed without unpin: quarantined");
        assertFalse(vmo.isDead());
        assertEquals(ZxStatus.OK, h.status("bti_release_quarantine", bti()));
        assertEquals(0, bti.quarantineCount());
        assertTrue(vmo.isDead());
        assertTrue(pmt.isUnpinned());
        ErrorChecks.of(h, "bti_release_quarantine").args(0).handle(0, this::bti, Rights.WRITE).run();
    }

    @Test
    void unpinnedVmosAndTokensAreReclaimed() {
        LeakCheck leaks = LeakCheck.baseline(h.kernel);
        int v = vmo();
        long[] a = pin(v, Bti.PERM_READ | Bti.PERM_WRITE, 0, 2 * PAGE, 2);
        h.call("handle_close", v);
        assertEquals(ZxStatus.OK, h.status("pmt_unpin", a[2]));
        leaks.assertNoNewObjects();
    }

    @Test
    void physicalVmosNeedAnMmioResourceOverTheRange() {
        Resource mmio = Resource.root(h.kernel).createChild(ResourceKind.MMIO.value(), 0x10_0000, 0x10_0000, "mmio");
        int m = h.install(mmio);
        long out = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("vmo_create_physical", m, 0x10_0000, PAGE, out));
        Vmo phys = h.object(h.u32(out), Vmo.class);
        assertTrue(phys.isPhysical());
        assertEquals(0x10_0000, phys.physicalAddress(0));
        assertEquals(PAGE, phys.size());
        assertEquals(ZxStatus.ERR_ACCESS_DENIED, h.status("vmo_create_physical", m, 0x20_0000, PAGE, out));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("vmo_create_physical", m, 0x10_0001, PAGE, out));
        Resource irq = Resource.root(h.kernel).createChild(ResourceKind.IRQ.value(), 0, 1, "irq");
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status("vmo_create_physical", h.install(irq), 0, PAGE, out));
        // A process in a job whose policy denies new VMOs.
        dev.zjvm.object.task.Job strict = h.rootJob.createChild();
        strict.updatePolicy(p -> p.withBasic(false, java.util.List.of(new dev.zjvm.object.task.JobPolicy.Entry(
                dev.zjvm.object.task.JobPolicy.NEW_VMO, dev.zjvm.object.task.JobPolicy.DENY, 0))));
        dev.zjvm.object.task.Process denied = strict.createProcess("strict");
        dev.zjvm.syscall.dispatch.SyscallContext dc = new dev.zjvm.syscall.dispatch.SyscallContext(denied, null, h.memory);
        int dm = denied.handleTable().add(dev.zjvm.object.handle.Handle.createDefault(mmio));
        assertEquals(ZxStatus.ERR_ACCESS_DENIED, (int) h.callAs(dc, "vmo_create_physical", dm, 0x10_0000, PAGE, out),
                "job policy NEW_VMO");
        int db = denied.handleTable().add(dev.zjvm.object.handle.Handle.createDefault(bti));
        assertEquals(ZxStatus.ERR_ACCESS_DENIED, (int) h.callAs(dc, "vmo_create_contiguous", db, PAGE, 0, out),
                "job policy NEW_VMO");
        ErrorChecks.of(h, "vmo_create_physical").args(0, 0x10_0000, PAGE, 0).handle(0, () -> h.install(mmio), 0).out(3).run();
        ErrorChecks.of(h, "vmo_create_contiguous").args(0, PAGE, 0, 0).handle(0, this::bti, Rights.MAP).out(3).run();
    }

    @Test
    void pinAddressesAreTheVmosPhysicalAddresses() {
        int v = vmo();
        Vmo vmo = h.object(v, Vmo.class);
        long[] a = pin(v, Bti.PERM_READ | Bti.COMPRESS, 0, 4 * PAGE, 4);
        for (int i = 0; i < 4; i++) assertEquals(vmo.physicalAddress((long) i * PAGE), a[i]);
        assertTrue(vmo.isPinned(0, 4 * PAGE));
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("vmo_op_range", v, dev.zjvm.object.vm.VmoOptions.OP_DECOMMIT, 0, PAGE, 0, 0));
        assertEquals(ZxStatus.OK, h.status("pmt_unpin", a[4]));
        assertFalse(vmo.isPinned(0, 4 * PAGE));
        assertEquals(ZxStatus.OK, h.status("vmo_op_range", v, dev.zjvm.object.vm.VmoOptions.OP_DECOMMIT, 0, PAGE, 0, 0));
        // A wrong num_addrs is found after pinning, and the pin is undone rather than quarantined.
        long addrs = h.alloc(64);
        long out = h.alloc(4);
        int before = bti.quarantineCount();
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("bti_pin", bti(), Bti.PERM_READ, v, 0, 2 * PAGE, addrs, 3, out));
        assertFalse(vmo.isPinned(0, 4 * PAGE));
        assertEquals(before, bti.quarantineCount());
        assertEquals(ZxStatus.ERR_NO_MEMORY, h.status("bti_pin", bti(), Bti.PERM_READ, v, 0, PAGE, addrs, 1L << 40, out));
    }

    @Test
    void contiguousAndPhysicalVmosAreReclaimedWithTheirMemory() {
        int b = bti();
        LeakCheck leaks = LeakCheck.baseline(h.kernel);
        long committed = h.kernel.memory().committedBytes();
        long out = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("vmo_create_contiguous", b, 8 * PAGE, 0, out));
        int c = h.u32(out);
        assertEquals(committed + 8L * PAGE, h.kernel.memory().committedBytes(), "committed up front");
        long[] a = pin(c, Bti.PERM_READ | Bti.CONTIGUOUS, 0, 8 * PAGE, 1);
        assertEquals(ZxStatus.OK, h.status("vmo_create_physical", root(), a[0], 8 * PAGE, out));
        int phys = h.u32(out);
        h.call("handle_close", c);
        assertEquals(ZxStatus.OK, h.status("pmt_unpin", a[1]));
        assertEquals(committed, h.kernel.memory().committedBytes(), "the contiguous run is freed with its VMO");
        h.call("handle_close", phys);
        leaks.assertNoNewObjects(java.util.List.of(h.object(root(), Resource.class).koid()));
    }
}
