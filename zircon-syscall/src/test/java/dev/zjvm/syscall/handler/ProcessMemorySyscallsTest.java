package dev.zjvm.syscall.handler;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.boot.KernelOptions;
import dev.zjvm.object.task.Process;
import dev.zjvm.object.vm.VmAddressSpace;
import dev.zjvm.object.vm.VmOptions;
import dev.zjvm.object.vm.Vmar;
import dev.zjvm.object.vm.Vmo;
import dev.zjvm.syscall.testing.ErrorChecks;
import dev.zjvm.syscall.testing.SyscallHarness;
import org.junit.jupiter.api.Test;

class ProcessMemorySyscallsTest {
    private static final KernelOptions DEBUGGING = new KernelOptions(true, KernelOptions.SerialSyscalls.DISABLED);
    private final SyscallHarness h = new SyscallHarness(DEBUGGING);

    {
        VmAddressSpace.installFactory(h.kernel, 1L << 32);
    }

    /** A started target process with one read-only page of known content; returns its handle. */
    private int target(long[] addrOut) {
        Process p = h.job.createProcess("target");
        int ph = h.install(p);
        p.start(p.createThread("t"), 0, 0, null, 0);
        Vmo vmo = Vmo.create(h.kernel, 4096, 0);
        vmo.write(0, "hello".getBytes(), 0, 5);
        Vmar root = (Vmar) p.addressSpace().rootVmar();
        addrOut[0] = root.map(VmOptions.PERM_READ, 0, vmo, 0, 4096).base();
        return ph;
    }

    @Test
    void readAndWriteIgnoreProtectionAndStopAtTheMappingEnd() {
        long[] addr = new long[1];
        int ph = target(addr);
        long buf = h.alloc(64);
        long actual = h.alloc(8);
        assertEquals(ZxStatus.OK, h.status("process_read_memory", ph, addr[0], buf, 5, actual));
        assertEquals(5, h.u64(actual));
        assertEquals("hello", new String(h.memory.readBytes(buf, 5)));
        assertEquals(ZxStatus.OK, h.status("process_read_memory", ph, addr[0] + 4090, buf, 64, actual));
        assertEquals(6, h.u64(actual));
        h.memory.writeBytes(buf, "HE".getBytes());
        assertEquals(ZxStatus.OK, h.status("process_write_memory", ph, addr[0], buf, 2, actual));
        assertEquals(ZxStatus.OK, h.status("process_read_memory", ph, addr[0], buf, 5, actual));
        assertEquals("HEllo", new String(h.memory.readBytes(buf, 5)));
        assertEquals(ZxStatus.ERR_NO_MEMORY, h.status("process_read_memory", ph, addr[0] + 8192, buf, 4, actual));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("process_read_memory", ph, addr[0], buf, 0, actual));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("process_read_memory", ph, addr[0], buf, (64L << 20) + 1, actual));
        assertEquals(ZxStatus.ERR_ACCESS_DENIED,
                h.status("process_read_memory", h.install(h.object(ph, Process.class), Rights.READ), addr[0], buf, 4, 0));
        h.object(ph, Process.class).kill();
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("process_read_memory", ph, addr[0], buf, 4, actual));
    }

    @Test
    void errorChecks() {
        long[] addr = new long[1];
        int ph = target(addr);
        ErrorChecks.of(h, "process_read_memory").args(0, addr[0], 0, 4, 0)
                .handle(0, () -> h.install(h.object(ph, Process.class)), Rights.READ | Rights.WRITE)
                .out(2).optionalOut(4).run();
        ErrorChecks.of(h, "process_write_memory").args(0, addr[0], h.alloc(4), 4, 0)
                .handle(0, () -> h.install(h.object(ph, Process.class)), Rights.WRITE)
                .in(2).optionalOut(4).run();
    }

    @Test
    void writeNeedsDebuggingSyscallsBeforeAnyOtherCheck() {
        SyscallHarness off = new SyscallHarness(); // 2020 default: kernel.enable-debugging-syscalls unset
        VmAddressSpace.installFactory(off.kernel, 1L << 32);
        Process p = off.job.createProcess("target");
        int ph = off.install(p);
        p.start(p.createThread("t"), 0, 0, null, 0);
        Vmo vmo = Vmo.create(off.kernel, 4096, 0);
        long addr = ((Vmar) p.addressSpace().rootVmar()).map(VmOptions.PERM_READ, 0, vmo, 0, 4096).base();
        long buf = off.alloc(8);
        long actual = off.alloc(8);
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, off.status("process_write_memory", ph, addr, buf, 4, actual));
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, off.status("process_write_memory", 0, 0, 0, 0, 0), "even with bad arguments");
        assertEquals(0, vmo.read(0, 1)[0], "nothing was written");
        assertEquals(ZxStatus.OK, off.status("process_read_memory", ph, addr, buf, 4, actual), "reading is not gated");
        // An explicit "false" (or "0"/"off") keeps it off; any other value turns it on.
        assertFalse(KernelOptions.parse(java.util.List.of("kernel.enable-debugging-syscalls=off")).debuggingSyscalls());
    }

    @Test
    void enabledWriteChecksBufferAndSizeBeforeTheHandle() {
        long buf = h.alloc(8);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("process_write_memory", 0x7777, 0, 0, 4, buf), "NULL buffer");
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("process_write_memory", 0x7777, 0, buf, 0, buf), "size 0");
        assertEquals(ZxStatus.ERR_BAD_HANDLE, h.status("process_write_memory", 0x7777, 0, buf, 4, buf));
    }
}
