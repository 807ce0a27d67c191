package dev.zjvm.syscall.abi;

import java.util.Locale;

/** Attributes of a syscall entry; meanings are documented in the header of syscalls.def. */
public enum SyscallAttribute {
    /** Implemented inside the vDSO; no kernel entry of its own (composites excepted). */
    VDSOCALL,
    /** Kernel entry called only by the vDSO's own code; never exported. */
    INTERNAL,
    /** Syscall test-suite entry. */
    TEST,
    /** Made unavailable in the vdso/test1 variant. */
    TESTCAT1,
    /** Made unavailable in the vdso/test2 variant. */
    TESTCAT2,
    /** May block; the vDSO retries it on ZX_ERR_INTERNAL_INTR_RETRY. */
    BLOCKING,
    /** Never returns to the caller. */
    NORETURN,
    /** Result depends only on boot-time constants. */
    CONST,
    /** Multi-step vDSO call forwarded by zCore's libos vDSO as one kernel call (200/201). */
    COMPOSITE,
    /** Exported by the vDSO but not a fidl syscall. */
    EXTRA;

    static SyscallAttribute parse(String word) {
        try {
            return valueOf(word.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown attribute '" + word + "'", e);
        }
    }

    /** The spelling used in syscalls.def. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
