package dev.zjvm.syscall.handler;

import static dev.zjvm.object.ZxStatus.*;
import static dev.zjvm.object.vm.VmOptions.*;
import static dev.zjvm.syscall.handler.VmHarness.expect;
import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.ObjectType;
import dev.zjvm.object.Rights;
import dev.zjvm.object.task.Job;
import dev.zjvm.object.task.Process;
import dev.zjvm.object.vm.VmAddressSpace;
import dev.zjvm.object.vm.VmMapping;
import dev.zjvm.object.vm.Vmar;
import dev.zjvm.object.vm.Vmo;
import org.junit.jupiter.api.Test;

class ProcessMemorySyscallsTest {
    private final VmHarness p = new VmHarness();
    private final ProcessMemorySyscalls sys = new ProcessMemorySyscalls(p);

    @Test
    void readAndWriteAnotherProcess() {
        VmAddressSpace.installFactory(p.kernel, 1L << 30);
        Process target = Job.createRoot(p.kernel).createProcess("target");
        VmAddressSpace tas = VmAddressSpace.of(target);
        assertNotNull(tas);
        assertSame(tas.root(), target.addressSpace().rootVmar());
        Vmo code = Vmo.create(p.kernel, 8192, 0);
        code.write(0, "secret".getBytes());
        VmMapping m = tas.root().map(PERM_READ | PERM_EXECUTE, 0, code, 0, 4096);
        int h = p.addDefault(target);
        int rights = ObjectType.PROCESS.defaultRights();

        expect(OK, () -> sys.read(h, m.base(), p.scratch, 6, p.scratch + 100));
        assertEquals(6, p.u64(p.scratch + 100));
        byte[] got = new byte[6];
        p.aspace.read(p.scratch, got, 0, 6);
        assertEquals("secret", new String(got));
        // Short read at the end of the mapping.
        expect(OK, () -> sys.read(h, m.base() + 4090, p.scratch, 100, p.scratch + 100));
        assertEquals(6, p.u64(p.scratch + 100));
        // Writes ignore the mapping's permissions (breakpoints into code).
        p.put(p.scratch, "SECRET".getBytes());
        expect(OK, () -> sys.write(h, m.base(), p.scratch, 6, p.scratch + 100));
        assertEquals("SECRET", new String(code.read(0, 6)));

        expect(ERR_NO_MEMORY, () -> sys.read(h, m.base() + 4096, p.scratch, 1, p.scratch + 100));
        expect(ERR_INVALID_ARGS, () -> sys.read(h, m.base(), p.scratch, 0, p.scratch + 100));
        expect(ERR_INVALID_ARGS, () -> sys.read(h, m.base(), 0, 4, p.scratch + 100));
        expect(ERR_INVALID_ARGS, () -> sys.read(h, m.base(), p.scratch, (64L << 20) + 1, p.scratch + 100));
        expect(ERR_INVALID_ARGS, () -> sys.read(h, m.base(), p.readOnly, 4, p.scratch + 100));
        expect(ERR_INVALID_ARGS, () -> sys.write(h, m.base(), p.unmapped, 4, p.scratch + 100));
        p.handleChecks(x -> sys.read(x, m.base(), p.scratch, 1, p.scratch + 100), target, rights, Rights.READ | Rights.WRITE);
        p.handleChecks(x -> sys.write(x, m.base(), p.scratch, 1, p.scratch + 100), target, rights, Rights.WRITE);

        target.kill();
        expect(ERR_BAD_STATE, () -> sys.read(h, m.base(), p.scratch, 1, p.scratch + 100));
        assertEquals(0, code.mappingCount(), "the dead process's mappings are gone");
        assertTrue(((Vmar) target.addressSpace().rootVmar()).isDestroyed());
    }

    @Test
    void writeNeedsDebuggingSyscalls() {
        VmCaller locked = new VmCaller() {
            @Override public dev.zjvm.object.Kernel kernel() { return p.kernel; }
            @Override public dev.zjvm.object.handle.HandleTable handles() { return p.handles; }
            @Override public VmAddressSpace addressSpace() { return p.aspace; }
            @Override public boolean debuggingSyscallsEnabled() { return false; }
        };
        expect(ERR_NOT_SUPPORTED, () -> new ProcessMemorySyscalls(locked).write(p.badHandle(), 0, p.scratch, 1, p.scratch));
    }
}
