package dev.zjvm.object.exception;

/** Exception types ({@code zx_excp_type_t}, constants.md §14). */
public final class ExceptionType {
    public static final int GENERAL = 0x008;
    public static final int FATAL_PAGE_FAULT = 0x108;
    public static final int UNDEFINED_INSTRUCTION = 0x208;
    public static final int SW_BREAKPOINT = 0x308;
    public static final int HW_BREAKPOINT = 0x408;
    public static final int UNALIGNED_ACCESS = 0x508;
    /** Flag of the synthetic (kernel-generated) types. */
    public static final int SYNTH = 0x8000;
    public static final int THREAD_STARTING = 0x8008;
    public static final int THREAD_EXITING = 0x8108;
    public static final int POLICY_ERROR = 0x8208;
    public static final int PROCESS_STARTING = 0x8308;

    private ExceptionType() {}

    /** {@code ZX_EXCP_IS_ARCH}. */
    public static boolean isArch(int type) {
        return (type & SYNTH) == 0;
    }
}
