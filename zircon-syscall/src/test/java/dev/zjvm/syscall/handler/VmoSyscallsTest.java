package dev.zjvm.syscall.handler;

import static dev.zjvm.object.ZxStatus.*;
import static dev.zjvm.syscall.handler.VmHarness.expect;
import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.ObjectType;
import dev.zjvm.object.Rights;
import dev.zjvm.object.dev.Resource;
import dev.zjvm.object.vm.Vmo;
import dev.zjvm.object.vm.VmoOptions;
import org.junit.jupiter.api.Test;

class VmoSyscallsTest {
    private final VmHarness p = new VmHarness();
    private final VmoSyscalls sys = new VmoSyscalls(p);
    private static final int VMO_RIGHTS = ObjectType.VMO.defaultRights();

    private Vmo newVmo(long size) {
        return Vmo.create(p.kernel, size, 0);
    }

    @Test
    void createWritesHandle() {
        expect(OK, () -> sys.create(5000, 0, p.scratch));
        Vmo vmo = p.object(p.u32(p.scratch), Vmo.class);
        assertEquals(8192, vmo.size());
        assertEquals(VMO_RIGHTS, p.handles.handle(p.u32(p.scratch)).rights());
        int before = p.handles.count();
        expect(ERR_INVALID_ARGS, () -> sys.create(4096, 1, p.scratch));
        expect(ERR_OUT_OF_RANGE, () -> sys.create(-1L, 0, p.scratch));
        expect(ERR_INVALID_ARGS, () -> sys.create(4096, 0, p.unmapped));
        expect(ERR_INVALID_ARGS, () -> sys.create(4096, 0, p.readOnly));
        assertEquals(before, p.handles.count(), "failed creates leave no handle");
    }

    @Test
    void readWrite() {
        Vmo vmo = newVmo(8192);
        int h = p.addDefault(vmo);
        p.put(p.scratch, "abcdef".getBytes());
        expect(OK, () -> sys.write(h, p.scratch, 4094, 6));
        assertEquals("abcdef", new String(vmo.read(4094, 6)));
        expect(OK, () -> sys.read(h, p.scratch + 100, 4095, 3));
        byte[] b = new byte[3];
        p.aspace.read(p.scratch + 100, b, 0, 3);
        assertEquals("bcd", new String(b));
        expect(ERR_OUT_OF_RANGE, () -> sys.read(h, p.scratch, 8190, 3));
        expect(ERR_OUT_OF_RANGE, () -> sys.write(h, p.scratch, -1L, 3));
        expect(ERR_NOT_FOUND, () -> sys.read(h, p.unmapped, 0, 3));
        expect(ERR_NOT_FOUND, () -> sys.write(h, p.unmapped, 0, 3));
        expect(ERR_ACCESS_DENIED, () -> sys.read(h, p.readOnly, 0, 3));
        expect(OK, () -> sys.write(h, p.readOnly, 0, 3));
        p.handleChecks(x -> sys.read(x, p.scratch, 0, 1), vmo, VMO_RIGHTS, Rights.READ);
        p.handleChecks(x -> sys.write(x, p.scratch, 0, 1), vmo, VMO_RIGHTS, Rights.WRITE);
        // Large copies go through in chunks.
        Vmo big = newVmo(VmHarness.SCRATCH_SIZE);
        int hb = p.addDefault(big);
        big.write(VmHarness.SCRATCH_SIZE - 1, new byte[] {9});
        expect(OK, () -> sys.read(hb, p.scratch, 0, VmHarness.SCRATCH_SIZE));
        byte[] last = new byte[1];
        p.aspace.read(p.scratch + VmHarness.SCRATCH_SIZE - 1, last, 0, 1);
        assertEquals(9, last[0]);
    }

    @Test
    void sizes() {
        Vmo vmo = Vmo.create(p.kernel, 4096, VmoOptions.RESIZABLE);
        int h = p.addDefault(vmo);
        expect(OK, () -> sys.getSize(p.add(vmo, 0), p.scratch));
        assertEquals(4096, p.u64(p.scratch));
        expect(ERR_INVALID_ARGS, () -> sys.getSize(h, p.readOnly));
        expect(ERR_BAD_HANDLE, () -> sys.getSize(p.badHandle(), p.scratch));
        expect(ERR_WRONG_TYPE, () -> sys.getSize(p.wrongType(), p.scratch));
        expect(OK, () -> sys.setSize(h, 3 * 4096));
        assertEquals(3 * 4096, vmo.size());
        p.handleChecks(x -> sys.setSize(x, 4096), vmo, VMO_RIGHTS, Rights.WRITE);
        assertEquals(3 * 4096, vmo.size(), "failed calls changed nothing");
        expect(ERR_UNAVAILABLE, () -> sys.setSize(p.addDefault(newVmo(4096)), 8192));
    }

    @Test
    void opRangeRightsPerOp() {
        Vmo vmo = newVmo(4 * 4096);
        int ro = p.add(vmo, VMO_RIGHTS & ~Rights.WRITE);
        int wo = p.add(vmo, VMO_RIGHTS & ~Rights.READ);
        expect(ERR_ACCESS_DENIED, () -> sys.opRange(ro, VmoOptions.OP_COMMIT, 0, 4096, 0, 0));
        expect(ERR_ACCESS_DENIED, () -> sys.opRange(ro, VmoOptions.OP_DECOMMIT, 0, 4096, 0, 0));
        expect(ERR_ACCESS_DENIED, () -> sys.opRange(ro, VmoOptions.OP_ZERO, 0, 4096, 0, 0));
        expect(ERR_ACCESS_DENIED, () -> sys.opRange(ro, VmoOptions.OP_CACHE_INVALIDATE, 0, 4096, 0, 0));
        expect(ERR_ACCESS_DENIED, () -> sys.opRange(wo, VmoOptions.OP_CACHE_SYNC, 0, 4096, 0, 0));
        expect(ERR_ACCESS_DENIED, () -> sys.opRange(wo, VmoOptions.OP_CACHE_CLEAN, 0, 4096, 0, 0));
        expect(ERR_ACCESS_DENIED, () -> sys.opRange(wo, VmoOptions.OP_CACHE_CLEAN_INVALIDATE, 0, 4096, 0, 0));
        assertEquals(0, vmo.committedBytes());
        expect(OK, () -> sys.opRange(wo, VmoOptions.OP_COMMIT, 0, 4096, 0, 0));
        assertEquals(4096, vmo.committedBytes());
        expect(OK, () -> sys.opRange(ro, VmoOptions.OP_CACHE_CLEAN, 0, 4096, 0, 0));
        expect(ERR_INVALID_ARGS, () -> sys.opRange(wo, 77, 0, 4096, 0, 0));
        expect(ERR_NOT_SUPPORTED, () -> sys.opRange(wo, VmoOptions.OP_LOCK, 0, 4096, 0, 0));
        expect(ERR_BAD_HANDLE, () -> sys.opRange(p.badHandle(), VmoOptions.OP_COMMIT, 0, 4096, 0, 0));
        expect(ERR_WRONG_TYPE, () -> sys.opRange(p.wrongType(), VmoOptions.OP_COMMIT, 0, 4096, 0, 0));
    }

    @Test
    void createChild() {
        Vmo vmo = newVmo(2 * 4096);
        vmo.setName("named");
        int h = p.add(vmo, VMO_RIGHTS & ~Rights.WRITE);
        expect(OK, () -> sys.createChild(h, VmoOptions.CHILD_SNAPSHOT, 0, 4096, p.scratch));
        int child = p.u32(p.scratch);
        assertTrue(p.handles.handle(child).hasRights(Rights.WRITE), "snapshot children are writable");
        assertEquals("named", p.object(child, Vmo.class).name());
        expect(OK, () -> sys.createChild(h, VmoOptions.CHILD_SLICE, 0, 4096, p.scratch));
        assertFalse(p.handles.handle(p.u32(p.scratch)).hasRights(Rights.WRITE), "slices keep the parent's rights");
        int before = p.handles.count();
        p.handleChecks(x -> sys.createChild(x, VmoOptions.CHILD_SNAPSHOT, 0, 4096, p.scratch), vmo, VMO_RIGHTS, Rights.DUPLICATE | Rights.READ);
        expect(ERR_INVALID_ARGS, () -> sys.createChild(h, VmoOptions.CHILD_SNAPSHOT, 0, 4096, p.unmapped));
        expect(ERR_INVALID_ARGS, () -> sys.createChild(h, 0, 0, 4096, p.scratch));
        assertEquals(before + 3, p.handles.count(), "only the handles the checks added remain (event + two reduced-rights)");
        assertEquals(2, vmo.childCount(), "the failed child went away");
    }

    @Test
    void cachePolicy() {
        Vmo vmo = newVmo(4096);
        expect(ERR_INVALID_ARGS, () -> sys.setCachePolicy(p.badHandle(), 7));
        p.handleChecks(x -> sys.setCachePolicy(x, VmoOptions.CACHE_POLICY_UNCACHED), vmo, VMO_RIGHTS, Rights.MAP);
        assertEquals(VmoOptions.CACHE_POLICY_CACHED, vmo.cachePolicy());
        expect(OK, () -> sys.setCachePolicy(p.addDefault(vmo), VmoOptions.CACHE_POLICY_UNCACHED));
        assertEquals(VmoOptions.CACHE_POLICY_UNCACHED, vmo.cachePolicy());
    }

    @Test
    void replaceAsExecutable() {
        Vmo vmo = newVmo(4096);
        int h = p.addDefault(vmo);
        expect(OK, () -> sys.replaceAsExecutable(h, 0, p.scratch));
        assertFalse(p.handles.isValid(h), "the source handle is consumed");
        int exec = p.u32(p.scratch);
        assertEquals(VMO_RIGHTS | Rights.EXECUTE, p.handles.handle(exec).rights());
        int ev = p.wrongType();
        expect(ERR_BAD_HANDLE, () -> sys.replaceAsExecutable(ev, 0, p.scratch));
        assertFalse(p.handles.isValid(ev), "consumed even on failure");
        int h2 = p.addDefault(vmo);
        int notVmex = p.addDefault(Resource.root(p.kernel).createChild(0, 0, 0, "x"));
        expect(ERR_BAD_HANDLE, () -> sys.replaceAsExecutable(h2, p.badHandle(), p.scratch));
        assertFalse(p.handles.isValid(h2));
        expect(ERR_BAD_HANDLE, () -> sys.replaceAsExecutable(p.badHandle(), 0, p.scratch));
    }
}
