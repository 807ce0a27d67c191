package dev.zjvm.hal.signal;

/** x86-64 Linux / glibc signal numbers and the struct offsets the shim reads. */
public final class LinuxSignals {
    private LinuxSignals() {}

    public static final int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7,
            SIGFPE = 8, SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13, SIGALRM = 14,
            SIGTERM = 15, SIGSTKFLT = 16, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGTTIN = 21,
            SIGTTOU = 22, SIGURG = 23, SIGXCPU = 24, SIGXFSZ = 25, SIGVTALRM = 26, SIGPROF = 27, SIGWINCH = 28,
            SIGIO = 29, SIGPWR = 30, SIGSYS = 31, SIGRTMIN_KERNEL = 32, SIGRTMAX = 64;
    public static final int NSIG = 65;

    // struct sigaction (glibc): handler @0, sa_mask @8 (128 bytes), sa_flags @136, sa_restorer @144
    static final int SA_HANDLER = 0, SA_MASK = 8, SA_FLAGS = 136, SIGACTION_SIZE = 152;
    static final int SA_SIGINFO = 4, SA_ONSTACK = 0x0800_0000, SA_RESTART = 0x1000_0000, SA_RESTORER = 0x0400_0000;
    static final int SS_ONSTACK = 1, SS_DISABLE = 2;
    static final int SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
    // siginfo_t
    static final int SI_CODE = 8, SI_ADDR = 16;
    /** siginfo of a perf event's SIGTRAP (si_code TRAP_PERF): si_perf_data, si_perf_flags (Linux 5.13+). */
    static final int SI_PERF_DATA = 24, SI_PERF_FLAGS = 36, TRAP_PERF = 6;
    /** si_code of a SIGTRAP after a single step (rflags.TF). */
    static final int TRAP_TRACE = 2;
    // ucontext_t: uc_stack {ss_sp @16, ss_flags @24, ss_size @32}, uc_mcontext.gregs @40, fpregs @224, uc_sigmask @296
    static final int UC_SS_SP = 16, UC_SS_FLAGS = 24, UC_SS_SIZE = 32, UC_GREGS = 40, UC_FPREGS = 40 + 23 * 8,
            UC_SIGMASK = 40 + 256;
    static final int REG_RSP = 15, REG_RIP = 16, REG_EFL = 17, REG_ERR = 19, REG_TRAPNO = 20;
    /** gregs[] index of x86 register number r (rax=0 ... r15=15). */
    private static final int[] GREG_OF = {13, 14, 12, 11, 15, 10, 9, 8, 0, 1, 2, 3, 4, 5, 6, 7};
    static int gregOfRegister(int reg) { return UC_GREGS + 8 * GREG_OF[reg]; }
    static int greg(int idx) { return UC_GREGS + 8 * idx; }
    // fxsave area sw_reserved (struct _fpx_sw_bytes) @464: magic1 u32, extended_size u32, xfeatures u64 @472, xstate_size u32 @480
    static final int FPX_MAGIC1 = 464, FPX_XFEATURES = 472, FPX_XSTATE_SIZE = 480;
    static final int FP_XSTATE_MAGIC1 = 0x46505853;
    static final int SYS_RT_SIGACTION = 13, SYS_GETPID = 39, SYS_GETTID = 186, SYS_TGKILL = 234, SYS_ARCH_PRCTL = 158;
    static final int ARCH_SET_GS = 0x1001, ARCH_SET_FS = 0x1002, ARCH_GET_FS = 0x1003, ARCH_GET_GS = 0x1004;

    /** "SIGSEGV" etc. */
    public static String name(int sig) {
        return switch (sig) {
            case SIGHUP -> "SIGHUP"; case SIGINT -> "SIGINT"; case SIGQUIT -> "SIGQUIT"; case SIGILL -> "SIGILL";
            case SIGTRAP -> "SIGTRAP"; case SIGABRT -> "SIGABRT"; case SIGBUS -> "SIGBUS"; case SIGFPE -> "SIGFPE";
            case SIGKILL -> "SIGKILL"; case SIGUSR1 -> "SIGUSR1"; case SIGSEGV -> "SIGSEGV"; case SIGUSR2 -> "SIGUSR2";
            case SIGPIPE -> "SIGPIPE"; case SIGALRM -> "SIGALRM"; case SIGTERM -> "SIGTERM"; case SIGCHLD -> "SIGCHLD";
            case SIGXFSZ -> "SIGXFSZ"; case SIGPROF -> "SIGPROF"; case SIGSYS -> "SIGSYS";
            default -> "SIG" + sig;
        };
    }
}
