package dev.zjvm.hal.cpu;

/**
 * Byte layout of the native context block of one guest thread (one 4 KiB slot of the
 * {@link ContextArena}). Shared by the trampoline and the signal shim; kernels use {@link UserContext}.
 *
 * <p>While a guest runs (and afterwards, until another context runs on the thread) the thread's gs
 * base points at this block, so the trampoline addresses it as {@code gs:[offset]} without needing a
 * free register. The exception is a guest with its own gs base ({@link #G_GS} non-zero, FSGSBASE
 * mode only): gs is then the guest's while it runs, and the entry and the signal shim find the block
 * through the thread's signal-stack record ({@link #BOUND_REC}). General-register slots are indexed
 * by the x86 register number (rax=0 ... r15=15).
 */
public final class ContextLayout {
    private ContextLayout() {}

    public static final int SELF = 0x00;          // the block's own address (fallback mode: gs:[SELF])
    public static final int MAGIC = 0x08;         // MAGIC_VALUE while allocated; the shim checks it
    /** Host register save slot (only rbx, rbp, rsp, r12-r15 are used). */
    public static int hostReg(int reg) { return 0x10 + 8 * reg; }
    public static final int H_FS = 0x90;          // host fs base (glibc TCB), written by every run()
    public static final int H_MXCSR = 0xA0;       // u32
    public static final int H_FCW = 0xA4;         // u16
    public static final int TRAP_EXIT = 0xA8;     // where the shim makes sigreturn land after a guest fault
    public static final int MX_TMP = 0xB8;        // scratch for building an MXCSR value
    /** Guest register slot. */
    public static int guestReg(int reg) { return 0xC0 + 8 * reg; }
    public static final int G_RIP = 0x140;
    public static final int G_FS = 0x148;
    public static final int G_RFLAGS = 0x150;     // captured at a trap (a syscall does not save rflags)
    public static final int G_MXCSR = 0x158;      // u32
    public static final int G_FCW = 0x15C;        // u16
    /** 1 from just before the jump into the guest until the syscall entry stops touching guest memory. */
    public static final int IN_GUEST = 0x160;
    /** fs base (= OS-thread identity) of the thread this context was last bound on; run() asks Java to bind otherwise. */
    public static final int BOUND_FS = 0x168;
    /** Set by Java before run() for an exact resume after a trap; run() clears it. */
    public static final int RESUME = 0x170;
    public static final int TRAP_SIGNO = 0x178;   // signal number of the last trap
    public static final int TRAP_CODE = 0x180;    // siginfo.si_code (sign-extended)
    public static final int TRAP_ADDR = 0x188;    // siginfo.si_addr
    public static final int TRAP_ERR = 0x190;     // sigcontext.err (x86 error code)
    public static final int TRAP_TRAPNO = 0x198;  // sigcontext.trapno (x86 vector)
    public static final int TRAP_COUNT = 0x1A0;   // traps taken on this context (diagnostics)
    public static final int XSTATE_SIZE = 0x1A8;  // bytes of the XSAVE image in XAREA (0: none)
    public static final int XFEATURES = 0x1B0;    // feature bitmap for xrstor
    /** [ARGCOPY_LO, ARGCOPY_HI): the entry's loads of syscall args 7 and 8 from the guest stack. A fault
     *  there (the guest stack ends right above the return address) resumes at ARGCOPY_RESUME, args 0. */
    public static final int ARGCOPY_LO = 0x1B8;
    public static final int ARGCOPY_HI = 0x1C0;
    public static final int ARGCOPY_RESUME = 0x1C8;
    public static final int ARG6 = 0x1D0;         // syscall arg 6 (7th), copied from the guest stack
    public static final int ARG7 = 0x1D8;         // syscall arg 7 (8th)
    /** The guest's own gs base; 0 (the usual case) leaves gs pointing at this block while the guest runs. */
    public static final int G_GS = 0x1E0;
    /** Holds {@link #GS_TAG_VALUE}: the entry's first instruction tells this block from a guest's gs with it. */
    public static final int GS_TAG = 0x1E8;
    /** Signal-stack record of the thread this context was last bound on (set with BOUND_FS). */
    public static final int BOUND_REC = 0x1F0;
    /** Where the entry continues when its gs-tag probe faults (the guest's gs points at nothing). */
    public static final int GSPROBE_RESUME = 0x1F8;
    /** iretq frame run() builds to enter a guest that has its own gs: rip, cs, rflags, rsp, ss. */
    public static final int IRET_FRAME = 0x200;
    /** Address of the entry's gs-tag probe instruction (the shim compares a faulting rip with it). */
    public static final int GSPROBE_AT = 0x228;
    /**
     * Set by Java (1) while a stop is pending: the entry then saves the guest's XSAVE state into
     * XAREA at every syscall and marks it (2), so a debugger sees the vector state of the stop.
     */
    public static final int CAPTURE_XSTATE = 0x230;
    /** siginfo.si_perf_data of the last trap (meaningful for SIGTRAP / TRAP_PERF: a hardware breakpoint). */
    public static final int TRAP_PERF_DATA = 0x238;
    /** XSAVE components the entry captures: x87, SSE, AVX, MPX, AVX-512 (all within 2688 bytes). */
    public static final int CAPTURE_FEATURES = 0xFF;
    public static final int CAPTURE_SIZE = 2688;
    /** The syscall entry's address: a single step (TF) that lands there is finished after the call. */
    public static final int ENTRY_AT = 0x240;
    /** Set (1) by the shim when a single step ended in the syscall entry; Java reports it after the call. */
    public static final int STEP_AT_SYSCALL = 0x248;
    public static final int XAREA = 0x280;        // the guest's XSAVE image at a trap (64-byte aligned)
    public static final int XAREA_MAX = 0x1000 - XAREA;
    public static final int SIZE = 0x1000;

    /** run() results besides syscall numbers (which are >= 0). */
    public static final long RUN_TRAP = -2, RUN_NEED_BIND = -3;
    public static final int RESUME_FLAGS = 1, RESUME_XSTATE = 2;
    /** With RESUME_FLAGS: enter with rflags.RF set (iretq), past an instruction breakpoint that just fired. */
    public static final int RESUME_RF = 4;
    /** Enter with rflags.TF set (iretq): single-step the guest (ZX_THREAD_STATE_SINGLE_STEP). */
    public static final int RESUME_STEP = 8;
    public static final long MAGIC_VALUE = 0x4354_5845_4e49_4c5aL; // "ZLINEXTC"
    /** Sign-extended imm32 of the entry's {@code cmp qword gs:[GS_TAG], imm32}. */
    public static final int GS_TAG_VALUE = 0x9A5C_3E17;
}
