package dev.zjvm.syscall.handler;

import static dev.zjvm.object.ZxStatus.*;
import static dev.zjvm.object.vm.VmOptions.*;
import static dev.zjvm.syscall.handler.VmHarness.expect;
import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.ObjectType;
import dev.zjvm.object.Rights;
import dev.zjvm.object.vm.Vmar;
import dev.zjvm.object.vm.Vmo;
import dev.zjvm.object.vm.VmoOptions;
import org.junit.jupiter.api.Test;

class VmarSyscallsTest {
    private static final long PAGE = 4096;
    private final VmHarness p = new VmHarness();
    private final VmarSyscalls sys = new VmarSyscalls(p);
    private final Vmar root = p.aspace.root();
    private final int rootRights = root.handleRights();
    private final int rootH = p.add(root, rootRights);
    private final Vmo vmo = Vmo.create(p.kernel, 4 * PAGE, 0);
    private final int vmoH = p.addDefault(vmo);

    @Test
    void allocate() {
        expect(OK, () -> sys.allocate(rootH, CAN_MAP_READ | CAN_MAP_WRITE, 0, 16 * PAGE, p.scratch, p.scratch + 8));
        int child = p.u32(p.scratch);
        Vmar sub = p.object(child, Vmar.class);
        assertEquals(sub.base(), p.u64(p.scratch + 8));
        assertEquals(0x8003 | Rights.READ | Rights.WRITE, p.handles.handle(child).rights());
        int mappingsBefore = root.mappings().size();
        p.handleChecks(x -> sys.allocate(x, CAN_MAP_READ | CAN_MAP_WRITE | CAN_MAP_EXECUTE, 0, PAGE, p.scratch, p.scratch + 8),
                root, rootRights, Rights.READ | Rights.WRITE | Rights.EXECUTE);
        int count = p.handles.count();
        expect(ERR_INVALID_ARGS, () -> sys.allocate(rootH, CAN_MAP_READ, 0, PAGE, p.unmapped, p.scratch + 8));
        expect(ERR_INVALID_ARGS, () -> sys.allocate(rootH, CAN_MAP_READ, 0, PAGE, p.scratch, p.readOnly));
        assertEquals(count, p.handles.count());
        assertEquals(mappingsBefore, root.mappings().size());
        // The failed allocation's range was given back: the region is empty apart from what we made.
        long subregions = p.aspace.maps().stream().filter(e -> e.depth() == 2 && e.type() == 2).count();
        assertEquals(1, subregions);
    }

    @Test
    void mapRightsAndPermissions() {
        expect(OK, () -> sys.map(rootH, PERM_READ | PERM_WRITE, 0, vmoH, 0, 4 * PAGE, p.scratch));
        long addr = p.u64(p.scratch);
        assertEquals(1, vmo.mappingCount());
        assertEquals(addr, root.mappings().stream().filter(m -> m.vmo() == vmo).findFirst().orElseThrow().base());
        p.handleChecks(x -> sys.map(x, PERM_READ | PERM_WRITE | PERM_EXECUTE, 0, vmoH, 0, PAGE, p.scratch), root, rootRights,
                Rights.READ | Rights.WRITE | Rights.EXECUTE);
        Vmo exec = Vmo.create(p.kernel, PAGE, 0);
        int all = ObjectType.VMO.defaultRights() | Rights.EXECUTE;
        p.handleChecks(x -> sys.map(rootH, PERM_READ | PERM_WRITE | PERM_EXECUTE, 0, x, 0, PAGE, p.scratch), exec, all,
                Rights.MAP | Rights.READ | Rights.WRITE | Rights.EXECUTE);
        expect(ERR_INVALID_ARGS, () -> sys.map(rootH, PERM_READ | CAN_MAP_READ, 0, vmoH, 0, PAGE, p.scratch));
        expect(ERR_INVALID_ARGS, () -> sys.map(rootH, PERM_WRITE, 0, vmoH, 0, PAGE, p.scratch));
        expect(ERR_INVALID_ARGS, () -> sys.map(rootH, PERM_READ | MAP_RANGE | SPECIFIC_OVERWRITE, 0, vmoH, 0, PAGE, p.scratch));
        expect(ERR_INVALID_ARGS, () -> sys.map(rootH, PERM_READ, 0, vmoH, 0, PAGE, p.unmapped));
        assertEquals(1, vmo.mappingCount(), "failed maps left nothing behind");
        // A read-only VMO handle: the mapping may never become writable.
        int roVmo = p.add(vmo, ObjectType.VMO.defaultRights() & ~Rights.WRITE);
        expect(OK, () -> sys.map(rootH, PERM_READ, 0, roVmo, 0, PAGE, p.scratch));
        long ro = p.u64(p.scratch);
        expect(ERR_ACCESS_DENIED, () -> sys.protect(rootH, PERM_READ | PERM_WRITE, ro, PAGE));
        // A read-only mapping of a writable VMO may be upgraded.
        expect(OK, () -> sys.map(rootH, PERM_READ, 0, vmoH, 0, PAGE, p.scratch));
        long rw = p.u64(p.scratch);
        expect(OK, () -> sys.protect(rootH, PERM_READ | PERM_WRITE, rw, PAGE));
    }

    @Test
    void unmapProtectDestroyOpRange() {
        expect(OK, () -> sys.map(rootH, PERM_READ | PERM_WRITE, 0, vmoH, 0, 4 * PAGE, p.scratch));
        long addr = p.u64(p.scratch);
        expect(ERR_BAD_HANDLE, () -> sys.unmap(p.badHandle(), addr, PAGE));
        expect(ERR_WRONG_TYPE, () -> sys.unmap(p.wrongType(), addr, PAGE));
        expect(OK, () -> sys.unmap(p.add(root, 0), addr + 3 * PAGE, PAGE)); // no rights needed
        expect(ERR_INVALID_ARGS, () -> sys.unmap(rootH, addr + 1, PAGE));
        p.handleChecks(x -> sys.protect(x, PERM_READ | PERM_WRITE | PERM_EXECUTE, addr, PAGE), root, rootRights,
                Rights.READ | Rights.WRITE | Rights.EXECUTE);
        expect(OK, () -> sys.protect(rootH, PERM_READ, addr, PAGE));
        expect(ERR_NOT_FOUND, () -> sys.protect(rootH, PERM_READ, addr, 4 * PAGE));
        expect(ERR_INVALID_ARGS, () -> sys.opRange(rootH, VmoOptions.OP_DECOMMIT, addr, PAGE, p.scratch, 0));
        expect(ERR_INVALID_ARGS, () -> sys.opRange(rootH, VmoOptions.OP_DECOMMIT, addr, PAGE, 0, 8));
        expect(ERR_BAD_HANDLE, () -> sys.opRange(p.badHandle(), VmoOptions.OP_DECOMMIT, addr, PAGE, 0, 0));
        expect(ERR_WRONG_TYPE, () -> sys.opRange(p.wrongType(), VmoOptions.OP_DECOMMIT, addr, PAGE, 0, 0));
        vmo.write(PAGE, new byte[] {1});
        expect(OK, () -> sys.opRange(p.add(root, 0), VmoOptions.OP_DECOMMIT, addr + PAGE, PAGE, 0, 0));
        assertEquals(0, vmo.committedBytes());
        expect(ERR_NOT_SUPPORTED, () -> sys.destroy(rootH));
        expect(OK, () -> sys.allocate(rootH, CAN_MAP_READ, 0, 4 * PAGE, p.scratch, p.scratch + 8));
        int sub = p.u32(p.scratch);
        expect(ERR_BAD_HANDLE, () -> sys.destroy(p.badHandle()));
        expect(ERR_WRONG_TYPE, () -> sys.destroy(p.wrongType()));
        expect(OK, () -> sys.destroy(sub));
        expect(ERR_BAD_STATE, () -> sys.destroy(sub));
        expect(ERR_BAD_STATE, () -> sys.map(sub, PERM_READ, 0, vmoH, 0, PAGE, p.scratch));
        expect(ERR_BAD_STATE, () -> sys.allocate(sub, 0, 0, PAGE, p.scratch, p.scratch + 8));
    }
}
