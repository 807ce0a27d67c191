package dev.zjvm.syscall.handler;

import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.dev.Resource;
import dev.zjvm.object.dev.ResourceKind;
import dev.zjvm.syscall.dispatch.SyscallContext;

/**
 * The 2020 kernel's resource validation (syscalls.md conventions): a handle that is not a resource,
 * or a resource of another kind than asked (ROOT satisfies every kind), is WRONG_TYPE; no right is
 * required; a ranged resource must cover the requested range (ACCESS_DENIED otherwise).
 */
final class ResourceChecks {
    private ResourceChecks() {}

    static Resource require(SyscallContext c, long handle, ResourceKind kind) {
        Resource r = c.get(handle, Resource.class, Rights.NONE);
        if (!r.grants(kind)) throw new ZxException(ZxStatus.ERR_WRONG_TYPE, "resource of kind " + r.kind());
        return r;
    }

    static Resource require(SyscallContext c, long handle, ResourceKind kind, long base, long size) {
        Resource r = require(c, handle, kind);
        if (!r.grants(kind, base, size)) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED, "range not covered");
        return r;
    }
}
