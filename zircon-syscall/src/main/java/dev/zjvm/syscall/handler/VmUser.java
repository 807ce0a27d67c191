package dev.zjvm.syscall.handler;

import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.user.VmarUserMemory;

/** User-buffer checks shared by the VM handlers. */
final class VmUser {
    /** Bytes moved per step between a VMO and user memory (bounds the kernel's temporary buffer). */
    static final int CHUNK = 64 * 1024;

    private VmUser() {}

    /**
     * Fails with Zircon's soft-fault status (NOT_FOUND, ACCESS_DENIED) when the user range is not
     * accessible with {@code perm}; a user memory that cannot tell (tests) lets the copy itself
     * fail with INVALID_ARGS instead.
     */
    static void requireAccessible(SyscallContext c, long ptr, long len, int perm) {
        if (!(c.memory() instanceof VmarUserMemory m)) return;
        int fault = m.probe(ptr, len, perm);
        if (fault != ZxStatus.OK) throw new ZxException(fault, "user buffer");
    }
}
