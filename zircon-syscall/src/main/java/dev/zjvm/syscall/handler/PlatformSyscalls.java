package dev.zjvm.syscall.handler;

import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.boot.BootItems;
import dev.zjvm.object.boot.Display;
import dev.zjvm.object.dev.ResourceKind;
import dev.zjvm.object.vm.Vmo;
import dev.zjvm.syscall.dispatch.Support;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;

/**
 * Platform calls. The boot framebuffer and the PC firmware tables come from the boot items the
 * loader found in the ZBI ({@link BootItems}); a display driver's framebuffer is kept by the
 * kernel ({@link Display}). Hardware a library OS does not have (x86 I/O ports, MSI, ARM secure
 * monitor calls) is checked as the spec says, then answered NOT_SUPPORTED.
 */
public final class PlatformSyscalls implements SyscallFamily {
    /** {@code sizeof(zx_smc_parameters_t)}. */
    static final int SMC_PARAMETERS_SIZE = 64;

    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("framebuffer_get_info", (c, res, f, w, hgt, s, a5, a6, a7) -> framebufferGetInfo(c, res, f, w, hgt, s));
        r.register("framebuffer_set_range",
                (c, res, vmo, len, f, w, hgt, s, a7) -> framebufferSetRange(c, res, vmo, f, w, hgt, s));
        r.register("pc_firmware_tables", (c, res, acpi, smbios, a3, a4, a5, a6, a7) -> firmwareTables(c, res, acpi, smbios));
        r.register("ioports_request", Support.notSupported("guest code cannot be given IN/OUT access on the host"),
                (c, res, addr, len, a3, a4, a5, a6, a7) -> ioports(c, res, addr, len));
        r.register("ioports_release", Support.notSupported("no I/O port access is ever granted"),
                (c, res, addr, len, a3, a4, a5, a6, a7) -> ioports(c, res, addr, len));
        r.register("msi_allocate", Support.notSupported("no MSI-capable interrupt controller"),
                (c, res, count, out, a3, a4, a5, a6, a7) -> msiAllocate(c, res, count));
        r.register("msi_create", Support.notSupported("no MSI allocations exist, so every handle is WRONG_TYPE"),
                (c, alloc, options, id, vmo, off, out, a6, a7) -> {
                    throw AbsentObjects.reject(c, alloc, "MSI allocation");
                });
        r.register("smc_call", Support.notSupported("secure monitor calls exist only on arm64"),
                (c, res, params, result, a3, a4, a5, a6, a7) -> smcCall(c, res, params, result));
    }

    /**
     * The boot loader's framebuffer (x86 2020): INVALID_ARGS when there is none; each output is
     * written in turn, so a bad pointer fails after the earlier ones were written.
     */
    static long framebufferGetInfo(SyscallContext c, long resource, long format, long width, long height, long stride) {
        ResourceChecks.require(c, resource, ResourceKind.ROOT);
        BootItems.Framebuffer fb = BootItems.of(c.kernel()).usableFramebuffer()
                .orElseThrow(() -> new ZxException(ZxStatus.ERR_INVALID_ARGS, "no boot framebuffer"));
        c.memory().writeU32(format, fb.format());
        c.memory().writeU32(width, fb.width());
        c.memory().writeU32(height, fb.height());
        c.memory().writeU32(stride, fb.stride());
        return ZxStatus.OK;
    }

    /** Registers (or with vmo 0 clears) the kernel's display framebuffer; any VMO handle, no rights needed. */
    static long framebufferSetRange(SyscallContext c, long resource, long vmo, long format, long width, long height,
            long stride) {
        ResourceChecks.require(c, resource, ResourceKind.ROOT);
        Display display = Display.of(c.kernel());
        if ((int) vmo == 0) {
            display.clear();
            return ZxStatus.OK;
        }
        Vmo v = c.get(vmo, Vmo.class, Rights.NONE);
        display.set(v, (int) format, (int) width, (int) height, (int) stride);
        return ZxStatus.OK;
    }

    /** Physical addresses of the ACPI RSDP and the SMBIOS entry point the boot loader passed, 0 if none. */
    static long firmwareTables(SyscallContext c, long resource, long acpiRsdp, long smbios) {
        ResourceChecks.require(c, resource, ResourceKind.ROOT);
        BootItems items = BootItems.of(c.kernel());
        c.memory().writeU64(acpiRsdp, items.acpiRsdp());
        c.memory().writeU64(smbios, items.smbios());
        return ZxStatus.OK;
    }

    static long ioports(SyscallContext c, long resource, long addr, long len) {
        ResourceChecks.require(c, resource, ResourceKind.IOPORT, addr & 0xffff, Integer.toUnsignedLong((int) len));
        throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
    }

    static long msiAllocate(SyscallContext c, long resource, long count) {
        ResourceChecks.require(c, resource, ResourceKind.ROOT);
        int n = (int) count;
        if (n <= 0 || n > 32 || Integer.bitCount(n) != 1) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
    }

    static long smcCall(SyscallContext c, long resource, long params, long result) {
        if (params == 0 || result == 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        int funcId = c.memory().readBytes(params, SMC_PARAMETERS_SIZE)[3] & 0xff; // bits 24..31 of func_id
        long service = funcId & 0x3f; // ARM SMC calling convention: service call number
        ResourceChecks.require(c, resource, ResourceKind.SMC, service, 1);
        throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
    }
}
