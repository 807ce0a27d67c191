package dev.zjvm.object.task;

/**
 * Access to a guest thread's saved registers, attached by whoever runs the thread (the launcher
 * adapts the HAL's {@code UserContext}; tests use a plain implementation). The kernel only calls
 * it while the thread is stopped (suspended or in an exception), so the runner is not using the
 * context meanwhile.
 *
 * <p>A write must make the next resume of the guest use exactly the written values (for the HAL:
 * {@code UserContext.requestExactResume()}).
 */
public interface ThreadRegisters {
    /** The general registers as the guest will see them on resume. */
    GeneralRegs readGeneral();

    /** Replaces the general registers (already validated by the kernel). */
    void writeGeneral(GeneralRegs regs);

    /**
     * {@code ZX_PROP_REGISTER_FS} set by the thread itself during a syscall: must take effect when
     * the syscall returns (not an exact resume of the saved state).
     */
    default void setFsBase(long value) {
        writeGeneral(readGeneral().withFsBase(value));
    }

    /**
     * {@code ZX_PROP_REGISTER_GS} likewise; false when the runner cannot give the guest a gs base
     * (then NOT_SUPPORTED).
     */
    default boolean setGsBase(long value) {
        writeGeneral(readGeneral().withGsBase(value));
        return true;
    }

    /**
     * Other register kinds ({@code ZX_THREAD_STATE_FP_REGS}, {@code _VECTOR_REGS},
     * {@code _DEBUG_REGS}) in their ABI layout, or null when the runner does not keep them
     * (the syscall then reports NOT_SUPPORTED).
     */
    default byte[] readExtended(int kind) {
        return null;
    }

    /** Writes an extended kind; false when not supported. */
    default boolean writeExtended(int kind, byte[] state) {
        return false;
    }

    /**
     * A suspension was requested (called from any thread, the runner may be in guest code): keep
     * what the next stop needs to report (the HAL: vector state at the next syscall entry).
     */
    default void stopRequested() {}

    /** The runner leaves a suspension and is about to resume the guest (called by the runner). */
    default void stopEnded() {}
}
