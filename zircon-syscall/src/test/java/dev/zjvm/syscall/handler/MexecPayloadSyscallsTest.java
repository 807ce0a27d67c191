package dev.zjvm.syscall.handler;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.boot.KernelOptions;
import dev.zjvm.object.boot.MexecPayload;
import dev.zjvm.object.dev.Resource;
import dev.zjvm.object.dev.ResourceKind;
import dev.zjvm.object.vm.Vmo;
import dev.zjvm.syscall.testing.ErrorChecks;
import dev.zjvm.syscall.testing.SyscallHarness;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** system_mexec_payload_get and system_mexec under kernel.enable-debugging-syscalls. */
class MexecPayloadSyscallsTest {
    private static final KernelOptions DEBUGGING = new KernelOptions(true, KernelOptions.SerialSyscalls.DISABLED);

    private static int root(SyscallHarness h) {
        return h.install(Resource.root(h.kernel));
    }

    @Test
    void disabledByDefault() {
        SyscallHarness h = new SyscallHarness();
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, h.status("system_mexec_payload_get", root(h), h.alloc(64), 64));
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, h.status("system_mexec_payload_get", 0, 0, 0), "before any other check");
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, h.status("system_mexec", 0, 0, 0));
    }

    @Test
    void payloadOfTheBootItems() {
        SyscallHarness h = new SyscallHarness(DEBUGGING, PlatformSyscallsTest.PC);
        long buf = h.alloc(4096);
        assertEquals(ZxStatus.OK, h.status("system_mexec_payload_get", root(h), buf, 4096));
        ByteBuffer zbi = ByteBuffer.wrap(h.memory.readBytes(buf, 4096)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x544f4f42, zbi.getInt(0), "a ZBI container");
        // e820 (empty map: header only), framebuffer (24), RSDP (8), SMBIOS (8)
        assertEquals(32 + 32 + 24 + 32 + 8 + 32 + 8, zbi.getInt(4));
        assertEquals(0x42465753, zbi.getInt(32 + 32), "the framebuffer item follows the e820 table");

        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("system_mexec_payload_get", root(h), buf, MexecPayload.MAX_SIZE + 1));
        assertEquals(ZxStatus.ERR_INTERNAL, h.status("system_mexec_payload_get", root(h), buf, 40), "too small for the items");
        int mmio = h.install(Resource.root(h.kernel).createChild(ResourceKind.MMIO.value(), 0, 4096, "mmio"));
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status("system_mexec_payload_get", mmio, buf, 4096));
        ErrorChecks.of(h, "system_mexec_payload_get").args(0, 0, 1024).handle(0, () -> root(h), 0).out(1).run();
    }

    @Test
    void mexecItselfStaysUnsupported() {
        SyscallHarness h = new SyscallHarness(DEBUGGING);
        int k = h.install(Vmo.create(h.kernel, 4096, 0));
        int b = h.install(Vmo.create(h.kernel, 4096, 0));
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, h.status("system_mexec", root(h), k, b));
        assertEquals(ZxStatus.ERR_BAD_HANDLE, h.status("system_mexec", 0x7777, k, b));
    }
}
