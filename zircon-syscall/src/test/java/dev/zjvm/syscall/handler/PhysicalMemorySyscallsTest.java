package dev.zjvm.syscall.handler;

import static dev.zjvm.object.ZxStatus.*;
import static dev.zjvm.object.vm.VmOptions.PERM_READ;
import static dev.zjvm.object.vm.VmOptions.PERM_WRITE;
import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.ObjectType;
import dev.zjvm.object.dev.Bti;
import dev.zjvm.object.dev.Iommu;
import dev.zjvm.object.dev.Resource;
import dev.zjvm.object.dev.ResourceKind;
import dev.zjvm.object.vm.Vmo;
import dev.zjvm.object.vm.VmoOptions;
import org.junit.jupiter.api.Test;

/**
 * Contiguous VMOs, pins and physical VMOs end to end in a process with a real VMAR: the physical
 * addresses bti_pin reports are the ones vmo_create_physical maps.
 */
class PhysicalMemorySyscallsTest {
    private static final int PAGE = Vmo.PAGE_SIZE;
    private final VmProcess p = new VmProcess();
    private final int bti = p.install(Bti.create(Iommu.create(p.kernel, Iommu.TYPE_DUMMY, 1), 0, 1));
    private final int root = p.install(Resource.root(p.kernel));

    private int vmoFlags(int vmo) {
        long info = p.alloc(104);
        assertEquals(OK, p.status("object_get_info", vmo, VmInfo.VMO, info, 104, 0, 0));
        return p.u32(info + 80);
    }

    private int contiguous(long size, int alignLog2) {
        long out = p.alloc(4);
        assertEquals(OK, p.status("vmo_create_contiguous", bti, size, alignLog2, out));
        return p.u32(out);
    }

    /** Pins and returns {addresses..., pmt}. */
    private long[] pin(int vmo, int options, long offset, long size, int n) {
        long addrs = p.alloc(8 * n);
        long out = p.alloc(4);
        assertEquals(OK, p.status("bti_pin", bti, options, vmo, offset, size, addrs, n, out));
        long[] r = new long[n + 1];
        for (int i = 0; i < n; i++) r[i] = p.u64(addrs + 8L * i);
        r[n] = p.u32(out);
        return r;
    }

    @Test
    void pinnedContiguousPagesAreWhatAPhysicalVmoMaps() {
        int c = contiguous(4 * PAGE, 16);
        assertEquals(VmoOptions.INFO_TYPE_PAGED | VmoOptions.INFO_CONTIGUOUS | VmoOptions.INFO_VIA_HANDLE, vmoFlags(c));
        long[] one = pin(c, Bti.PERM_READ | Bti.PERM_WRITE | Bti.CONTIGUOUS, 0, 4 * PAGE, 1);
        assertEquals(0, one[0] % (1 << 16), "aligned as asked");
        long[] pages = pin(c, Bti.PERM_READ, PAGE, 2 * PAGE, 2);
        assertArrayEquals(new long[] {one[0] + PAGE, one[0] + 2 * PAGE}, new long[] {pages[0], pages[1]});

        long out = p.alloc(4);
        assertEquals(OK, p.status("vmo_create_physical", root, pages[0], 2 * PAGE, out));
        int phys = p.u32(out);
        assertEquals(ObjectType.VMO.defaultRights(), p.rights(phys));
        assertEquals(VmoOptions.INFO_TYPE_PHYSICAL | VmoOptions.INFO_CONTIGUOUS | VmoOptions.INFO_VIA_HANDLE, vmoFlags(phys));
        int vmar = p.install(p.aspace.root(), p.aspace.root().handleRights());
        assertEquals(OK, p.status("vmar_map", vmar, PERM_READ | PERM_WRITE, 0, phys, 0, 2 * PAGE, out));
        long addr = p.u64(out);

        long buf = p.alloc(8);
        p.memory.writeU64(buf, 0x0123456789abcdefL);
        assertEquals(OK, p.status("vmo_write", c, buf, PAGE + 16, 8));
        assertEquals(0x0123456789abcdefL, p.memory.readU64(addr + 16), "the mapping shows the contiguous VMO's page");
        p.memory.writeU64(addr + PAGE, 0x55aa55aaL);
        assertEquals(OK, p.status("vmo_read", c, buf, 2 * PAGE, 8));
        assertEquals(0x55aa55aaL, p.u64(buf), "and the contiguous VMO sees stores through it");

        // What a physical VMO cannot do (2020 VmObjectPhysical).
        assertEquals(ERR_NOT_SUPPORTED, p.status("vmo_read", phys, buf, 0, 8));
        assertEquals(ERR_NOT_SUPPORTED, p.status("vmo_write", phys, buf, 0, 8));
        assertEquals(ERR_NOT_SUPPORTED, p.status("vmo_read", phys, p.unmapped, 4 * PAGE, 8), "before range and buffer checks");
        assertEquals(ERR_NOT_SUPPORTED, p.status("vmo_set_size", phys, PAGE));
        assertEquals(ERR_NOT_SUPPORTED, p.status("vmo_op_range", phys, VmoOptions.OP_COMMIT, 0, PAGE, 0, 0));
        assertEquals(ERR_NOT_SUPPORTED, p.status("vmo_op_range", phys, VmoOptions.OP_DECOMMIT, 0, PAGE, 0, 0));
        assertEquals(ERR_NOT_SUPPORTED, p.status("vmo_create_child", phys, VmoOptions.CHILD_SNAPSHOT, 0, PAGE, out));
        assertEquals(ERR_BAD_STATE, p.status("vmo_set_cache_policy", phys, VmoOptions.CACHE_POLICY_CACHED), "mapped");
        assertEquals(OK, p.status("vmo_set_cache_policy", phys, VmoOptions.CACHE_POLICY_UNCACHED), "its policy already");
        assertEquals(ERR_INVALID_ARGS, p.status("vmo_set_cache_policy", phys, 4));
    }

    @Test
    void pinsBlockDecommitAndShrinkUntilUnpinned() {
        long out = p.alloc(4);
        assertEquals(OK, p.status("vmo_create", 4 * PAGE, VmoOptions.RESIZABLE, out));
        int v = p.u32(out);
        long[] a = pin(v, Bti.PERM_READ, 2 * PAGE, PAGE, 1);
        assertEquals(p.object(v, Vmo.class).physicalAddress(2 * PAGE), a[0]);
        assertEquals(ERR_BAD_STATE, p.status("vmo_op_range", v, VmoOptions.OP_DECOMMIT, 0, 4 * PAGE, 0, 0));
        assertEquals(ERR_BAD_STATE, p.status("vmo_set_size", v, 2 * PAGE));
        assertEquals(OK, p.status("vmo_set_size", v, 3 * PAGE));
        assertEquals(OK, p.status("vmo_op_range", v, VmoOptions.OP_DECOMMIT, 0, 2 * PAGE, 0, 0));
        // Through a VMAR as well.
        int vmar = p.install(p.aspace.root(), p.aspace.root().handleRights());
        assertEquals(OK, p.status("vmar_map", vmar, PERM_READ | PERM_WRITE, 0, v, 0, 3 * PAGE, out));
        long addr = p.u64(out);
        assertEquals(ERR_BAD_STATE, p.status("vmar_op_range", vmar, VmoOptions.OP_DECOMMIT, addr, 3 * PAGE, 0, 0));
        assertEquals(OK, p.status("pmt_unpin", a[1]));
        assertEquals(OK, p.status("vmar_op_range", vmar, VmoOptions.OP_DECOMMIT, addr, 3 * PAGE, 0, 0));
        assertEquals(OK, p.status("vmar_unmap", vmar, addr, 3 * PAGE));
        assertEquals(OK, p.status("vmo_set_size", v, PAGE));
    }

    @Test
    void contiguousErrors() {
        long out = p.alloc(4);
        assertEquals(ERR_NO_MEMORY, p.status("vmo_create_contiguous", bti, PAGE, 63, out), "no run so aligned");
        assertEquals(ERR_INVALID_ARGS, p.status("vmo_create_contiguous", bti, 0, 0, out));
        assertEquals(ERR_INVALID_ARGS, p.status("vmo_create_contiguous", bti, PAGE, 11, out));
        assertEquals(ERR_INVALID_ARGS, p.status("vmo_create_contiguous", bti, PAGE, 64, out));
        assertEquals(ERR_OUT_OF_RANGE, p.status("vmo_create_contiguous", bti, Vmo.MAX_SIZE + 1, 0, out));
        int c = contiguous(2 * PAGE, 0);
        assertEquals(ERR_NOT_SUPPORTED, p.status("vmo_op_range", c, VmoOptions.OP_DECOMMIT, 0, PAGE, 0, 0));
        assertEquals(ERR_UNAVAILABLE, p.status("vmo_set_size", c, PAGE));
    }

    @Test
    void physicalRangeRules() {
        long out = p.alloc(4);
        long space = p.kernel.memory().physicalSize();
        assertEquals(ERR_INVALID_ARGS, p.status("vmo_create_physical", root, space, PAGE, out), "no physical memory there");
        assertEquals(ERR_INVALID_ARGS, p.status("vmo_create_physical", root, 0, 0, out));
        assertEquals(ERR_INVALID_ARGS, p.status("vmo_create_physical", root, 0, PAGE + 1, out));
        assertEquals(ERR_INVALID_ARGS, p.status("vmo_create_physical", root, -PAGE, 2 * PAGE, out));
        Resource mmio = Resource.root(p.kernel).createChild(ResourceKind.MMIO.value(), 0x40_0000, 4 * PAGE, "mmio");
        int m = p.install(mmio);
        assertEquals(OK, p.status("vmo_create_physical", m, 0x40_0000 + PAGE, 3 * PAGE, out));
        assertEquals(ERR_ACCESS_DENIED, p.status("vmo_create_physical", m, 0x40_0000 + PAGE, 4 * PAGE, out));
        assertEquals(ERR_ACCESS_DENIED, p.status("vmo_create_physical", m, 0x40_0000 - PAGE, PAGE, out));
    }
}
