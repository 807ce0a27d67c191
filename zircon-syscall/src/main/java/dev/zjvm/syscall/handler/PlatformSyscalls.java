package dev.zjvm.syscall.handler;

import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.dev.ResourceKind;
import dev.zjvm.object.vm.Vmo;
import dev.zjvm.syscall.dispatch.Support;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;

/**
 * Platform hardware a library OS does not have: boot framebuffer, PC firmware tables, x86 I/O
 * ports, MSI, ARM secure monitor calls. Handles, resources and arguments are checked as the spec
 * says, then the answer is NOT_SUPPORTED.
 */
public final class PlatformSyscalls implements SyscallFamily {
    /** {@code sizeof(zx_smc_parameters_t)}. */
    static final int SMC_PARAMETERS_SIZE = 64;

    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("framebuffer_get_info", Support.notSupported("no boot framebuffer"),
                (c, res, f, w, hgt, s, a5, a6, a7) -> rootThenUnsupported(c, res));
        r.register("framebuffer_set_range", Support.notSupported("no display; clearing (vmo = 0) succeeds"),
                (c, res, vmo, len, f, w, hgt, s, a7) -> framebufferSetRange(c, res, vmo));
        r.register("pc_firmware_tables", Support.notSupported("no ACPI/SMBIOS tables are exposed"),
                (c, res, acpi, smbios, a3, a4, a5, a6, a7) -> rootThenUnsupported(c, res));
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

    static long rootThenUnsupported(SyscallContext c, long resource) {
        ResourceChecks.require(c, resource, ResourceKind.ROOT);
        throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
    }

    static long framebufferSetRange(SyscallContext c, long resource, long vmo) {
        ResourceChecks.require(c, resource, ResourceKind.ROOT);
        if ((int) vmo == 0) return ZxStatus.OK; // clears the (never set) framebuffer
        c.get(vmo, Vmo.class, Rights.NONE);
        throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
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
