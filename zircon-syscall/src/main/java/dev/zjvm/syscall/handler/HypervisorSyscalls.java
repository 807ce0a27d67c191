package dev.zjvm.syscall.handler;

import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.dev.ResourceKind;
import dev.zjvm.syscall.dispatch.Support;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;

/**
 * guest_create, guest_set_trap, vcpu_*. No hypervisor: guest_create checks its options and the
 * HYPERVISOR resource, then answers NOT_SUPPORTED; no guest or VCPU object can exist, so their
 * handles are BAD_HANDLE or WRONG_TYPE.
 */
public final class HypervisorSyscalls implements SyscallFamily {
    private static final Support NO_GUESTS = Support.notSupported("no hypervisor, so no guest objects: handles are WRONG_TYPE");
    private static final Support NO_VCPUS = Support.notSupported("no hypervisor, so no VCPU objects: handles are WRONG_TYPE");

    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("guest_create", Support.notSupported("no virtualization hardware for a library OS"),
                (c, res, options, guest, vmar, a4, a5, a6, a7) -> guestCreate(c, res, options));
        r.register("guest_set_trap", NO_GUESTS, (c, g, kind, addr, size, port, key, a6, a7) -> {
            throw AbsentObjects.reject(c, g, "guest");
        });
        r.register("vcpu_create", NO_GUESTS, (c, g, options, entry, out, a4, a5, a6, a7) -> {
            throw AbsentObjects.reject(c, g, "guest");
        });
        for (String name : new String[] {"vcpu_resume", "vcpu_interrupt", "vcpu_read_state", "vcpu_write_state"}) {
            r.register(name, NO_VCPUS, (c, v, a1, a2, a3, a4, a5, a6, a7) -> {
                throw AbsentObjects.reject(c, v, "VCPU");
            });
        }
    }

    static long guestCreate(SyscallContext c, long resource, long options) {
        if ((int) options != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        ResourceChecks.require(c, resource, ResourceKind.HYPERVISOR);
        throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
    }
}
