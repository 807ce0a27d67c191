package dev.zjvm.syscall.handler;

import static dev.zjvm.object.ZxStatus.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zjvm.object.ObjectType;
import dev.zjvm.object.Rights;
import dev.zjvm.object.dev.Resource;
import dev.zjvm.object.vm.Vmo;
import dev.zjvm.object.vm.VmoInfo;
import dev.zjvm.syscall.testing.ErrorChecks;
import dev.zjvm.syscall.testing.SyscallHarness;
import org.junit.jupiter.api.Test;

/** object_get_info topics routed to the VM and handle-table sources (through real process memory). */
class InfoTopicsTest {
    private static final int VMAR = 7;
    private static final int KMEM_STATS = 17;
    private static final int VMO = 23;
    private static final int HANDLE_TABLE = 27;

    private final VmProcess p = new VmProcess();

    @Test
    void vmarReportsItsRange() {
        int root = p.install(p.aspace.root(), p.aspace.root().handleRights());
        long buf = p.alloc(16);
        long actual = p.alloc(8);
        long avail = p.alloc(8);
        assertEquals(OK, p.status("object_get_info", root, VMAR, buf, 16, actual, avail));
        assertEquals(p.aspace.root().base(), p.u64(buf));
        assertEquals(p.aspace.root().size(), p.u64(buf + 8));
        assertEquals(1, p.u64(actual));
        assertEquals(ERR_BUFFER_TOO_SMALL, p.status("object_get_info", root, VMAR, buf, 8, actual, avail));
        assertEquals(ERR_WRONG_TYPE, p.status("object_get_info", p.install(Vmo.create(p.kernel, 4096, 0)), VMAR, buf, 16, actual, avail));
    }

    @Test
    void vmoReportsSizeAndHandleRights() {
        Vmo vmo = Vmo.create(p.kernel, 3 * 4096, 0);
        int h = p.install(vmo, Rights.READ | Rights.MAP | Rights.INSPECT);
        long buf = p.alloc(VmoInfo.SIZE);
        assertEquals(OK, p.status("object_get_info", h, VMO, buf, VmoInfo.SIZE, 0, 0));
        assertEquals(vmo.koid(), p.u64(buf));
        assertEquals(3 * 4096, p.u64(buf + 40)); // size_bytes
    }

    @Test
    void handleTableListsEveryHandleWithItsValue() {
        int vmo = p.install(Vmo.create(p.kernel, 4096, 0));
        int self = p.install(p.process);
        int count = p.process.handleTable().count();
        long buf = p.alloc(40 * count);
        long actual = p.alloc(8);
        long avail = p.alloc(8);
        assertEquals(OK, p.status("object_get_info", self, HANDLE_TABLE, buf, 40 * count, actual, avail));
        assertEquals(count, p.u64(actual));
        assertEquals(count, p.u64(avail));
        boolean found = false;
        for (int i = 0; i < count; i++) {
            if (p.u32(buf + 40L * i + 4) == vmo) {
                found = true;
                assertEquals(ObjectType.VMO.value(), p.u32(buf + 40L * i));
            }
        }
        assertTrue(found, "the VMO handle is listed under its value");
        SyscallHarness h = new SyscallHarness();
        ErrorChecks.of(h, "object_get_info").args(0, HANDLE_TABLE, 0, 0, 0, 0)
                .handle(0, () -> h.install(h.process), Rights.INSPECT | Rights.MANAGE_PROCESS | Rights.MANAGE_THREAD).run();
    }

    @Test
    void kmemStatsNeedTheRootResource() {
        long buf = p.alloc(72);
        int root = p.install(Resource.root(p.kernel));
        assertEquals(OK, p.status("object_get_info", root, KMEM_STATS, buf, 72, 0, 0));
        assertTrue(p.u64(buf) > 0, "total bytes");
        assertEquals(ERR_WRONG_TYPE, p.status("object_get_info", p.install(Vmo.create(p.kernel, 4096, 0)), KMEM_STATS, buf, 72, 0, 0));
    }
}
