package dev.zjvm.hal.cpu;

import dev.zjvm.hal.signal.SignalShim;

/**
 * The native-execution part of the HAL for one kernel: makes guest contexts, starts guest threads and
 * tells the loader where the syscall entry is. Holds no process-wide mutable state; two kernels in one
 * JVM each have their own (they share only the immutable trampoline code, the context arena and the
 * signal shim, which are process-wide by nature).
 */
public final class GuestCpu {
    private final FsGsMode mode;
    private final SignalShim shim;
    private final long syscallEntry;

    private GuestCpu(FsGsMode mode) {
        if (!mode.supported()) throw new UnsupportedOperationException(mode + " is not supported on this host");
        this.mode = mode;
        this.shim = SignalShim.install();          // before any guest can run: a fault without it kills the JVM
        this.syscallEntry = Trampoline.of(mode).symbol("entry");
    }

    /** FSGSBASE if the host allows it, else the arch_prctl fallback (see {@link FsGsMode}). */
    public static GuestCpu create() { return new GuestCpu(FsGsMode.detect()); }

    /** A specific mode (tests and benchmarks use the fallback on hosts that have FSGSBASE). */
    public static GuestCpu create(FsGsMode mode) { return new GuestCpu(mode); }

    public FsGsMode mode() { return mode; }

    /** The address the loader writes into the vDSO's {@code zcore_syscall_entry} slot(s). */
    public long syscallEntryAddress() { return syscallEntry; }

    /**
     * A new guest context: all registers 0, fs base 0, MXCSR 0x1F80, x87 control word 0x037F. The caller
     * sets rip, rsp (the guest's own stack) and the entry arguments before the first run.
     */
    public UserContext newContext() { return new UserContext(mode, shim); }

    /** Starts a Java platform thread that runs the context until the guest thread ends. */
    public GuestThread start(String name, UserContext context, SyscallHandler handler) {
        if (context.mode() != mode) throw new IllegalArgumentException("context belongs to a " + context.mode() + " cpu");
        return GuestThread.start(name, context, handler, shim);
    }

    /** The process-wide signal shim (counters, diagnostics). */
    public SignalShim signalShim() { return shim; }
}
