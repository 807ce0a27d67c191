package dev.zjvm.syscall.handler;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.boot.BootItems;
import dev.zjvm.object.boot.Display;
import dev.zjvm.object.boot.KernelOptions;
import dev.zjvm.object.dev.Resource;
import dev.zjvm.object.dev.ResourceKind;
import dev.zjvm.object.vm.Vmo;
import dev.zjvm.syscall.testing.ErrorChecks;
import dev.zjvm.syscall.testing.SyscallHarness;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** framebuffer_get_info, framebuffer_set_range and pc_firmware_tables from the kernel's boot items. */
class PlatformSyscallsTest {
    static final BootItems PC = new BootItems(List.of(), Optional.of(new BootItems.Framebuffer(0xfd00_0000L, 1024, 768, 1024, 0x00040008)),
            0, 0xe_0000, 0xf_0000, Optional.empty(), Optional.empty());

    private static int root(SyscallHarness h) {
        return h.install(Resource.root(h.kernel));
    }

    private static int mmio(SyscallHarness h) {
        return h.install(Resource.root(h.kernel).createChild(ResourceKind.MMIO.value(), 0, 4096, "mmio"));
    }

    @Test
    void framebufferInfoIsTheBootLoaders() {
        SyscallHarness h = new SyscallHarness(KernelOptions.DEFAULTS, PC);
        long out = h.alloc(16);
        assertEquals(ZxStatus.OK, h.status("framebuffer_get_info", root(h), out, out + 4, out + 8, out + 12));
        assertEquals(0x00040008, h.u32(out));
        assertEquals(1024, h.u32(out + 4));
        assertEquals(768, h.u32(out + 8));
        assertEquals(1024, h.u32(out + 12));
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status("framebuffer_get_info", mmio(h), out, out + 4, out + 8, out + 12));
        ErrorChecks.of(h, "framebuffer_get_info").args(0, 0, 0, 0, 0).handle(0, () -> root(h), 0)
                .out(1).out(2).out(3).out(4).run();
    }

    @Test
    void noBootFramebufferIsInvalidArgs() {
        SyscallHarness none = new SyscallHarness(KernelOptions.DEFAULTS);
        long out = none.alloc(16);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, none.status("framebuffer_get_info", root(none), out, out + 4, out + 8, out + 12));
        BootItems zeroBase = new BootItems(List.of(), Optional.of(new BootItems.Framebuffer(0, 640, 480, 640, 1)), 0, 0, 0,
                Optional.empty(), Optional.empty());
        SyscallHarness h = new SyscallHarness(KernelOptions.DEFAULTS, zeroBase);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("framebuffer_get_info", root(h), out, out + 4, out + 8, out + 12),
                "a zero base means no framebuffer");
    }

    @Test
    void setRangeRegistersAndClearsTheKernelDisplay() {
        SyscallHarness h = new SyscallHarness(KernelOptions.DEFAULTS, PC);
        Vmo vmo = Vmo.create(h.kernel, 1 << 16, 0);
        int v = h.install(vmo, Rights.NONE); // no right is needed
        assertEquals(ZxStatus.OK, h.status("framebuffer_set_range", root(h), v, 1 << 16, 5, 128, 64, 128));
        Display.Framebuffer fb = Display.of(h.kernel).framebuffer().orElseThrow();
        assertSame(vmo, fb.vmo());
        assertEquals(List.of(5, 128, 64, 128), List.of(fb.format(), fb.width(), fb.height(), fb.stride()));
        long out = h.alloc(16);
        assertEquals(ZxStatus.OK, h.status("framebuffer_get_info", root(h), out, out + 4, out + 8, out + 12));
        assertEquals(1024, h.u32(out + 4), "get_info keeps reporting the boot framebuffer, as in 2020");
        assertEquals(ZxStatus.OK, h.status("framebuffer_set_range", root(h), 0, 0, 0, 0, 0, 0));
        assertTrue(Display.of(h.kernel).framebuffer().isEmpty());

        assertEquals(ZxStatus.OK, h.status("framebuffer_set_range", root(h), v, 0, 5, 128, 64, 128));
        int empty = h.install(Vmo.create(h.kernel, 0, 0));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("framebuffer_set_range", root(h), empty, 0, 5, 1, 1, 1));
        assertTrue(Display.of(h.kernel).framebuffer().isEmpty(), "a failed set leaves no framebuffer");
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status("framebuffer_set_range", mmio(h), v, 0, 5, 1, 1, 1));
        ErrorChecks.of(h, "framebuffer_set_range").args(0, 0, 4096, 1, 1, 1, 1).handle(0, () -> root(h), 0)
                .handle(1, () -> h.install(Vmo.create(h.kernel, 4096, 0)), 0).run();
    }

    @Test
    void firmwareTables() {
        SyscallHarness h = new SyscallHarness(KernelOptions.DEFAULTS, PC);
        long out = h.alloc(16);
        assertEquals(ZxStatus.OK, h.status("pc_firmware_tables", root(h), out, out + 8));
        assertEquals(0xe_0000, h.u64(out));
        assertEquals(0xf_0000, h.u64(out + 8));
        ErrorChecks.of(h, "pc_firmware_tables").args(0, 0, 0).handle(0, () -> root(h), 0).out(1).out(2).run();

        SyscallHarness none = new SyscallHarness();
        long o = none.alloc(16);
        none.putU64(o, -1);
        none.putU64(o + 8, -1);
        assertEquals(ZxStatus.OK, none.status("pc_firmware_tables", root(none), o, o + 8));
        assertEquals(0, none.u64(o), "no RSDP item: 0");
        assertEquals(0, none.u64(o + 8));
        assertEquals(ZxStatus.ERR_WRONG_TYPE, none.status("pc_firmware_tables", mmio(none), o, o + 8));
    }
}
