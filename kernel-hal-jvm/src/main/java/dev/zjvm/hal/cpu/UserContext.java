package dev.zjvm.hal.cpu;

import dev.zjvm.hal.host.HostMemory;
import dev.zjvm.hal.signal.SignalShim;

import java.lang.foreign.MemorySegment;

import static dev.zjvm.hal.cpu.ContextLayout.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The native state of one guest thread (one slot of the {@link ContextArena}) and the way to run it.
 *
 * <p>Not thread-safe: one thread at a time runs a context and reads/writes its registers (a
 * {@link GuestThread} does both on its own Java thread). A context may move between threads between
 * runs; it is re-bound automatically.
 *
 * <p>gs base: with none (0, the usual case: Zircon's x86-64 userspace uses fs for TLS) the HAL points
 * gs at this block while the guest runs, which is how the syscall entry and the signal shim find it
 * without a free register. A guest gs base ({@link #setGsBase}, FSGSBASE mode only) is loaded on
 * entry to the guest instead, and the entry and the shim find the block through the thread's
 * signal-stack record; the fast path pays one compare-and-branch in run() and one in the entry.
 */
public final class UserContext implements AutoCloseable {
    /** The MXCSR and x87 control word a fresh thread starts with (all exceptions masked, round to nearest). */
    public static final int DEFAULT_MXCSR = 0x1F80, DEFAULT_X87_CW = 0x037F;
    private static final int TRAP_PERF = 6;
    private static final long RFLAGS_RF = 0x10000, RFLAGS_TF = 0x100;
    private static final int SIGTRAP = 5, TRAP_TRACE = 2;
    /** DR6.BS: the #DB was a single step. */
    public static final long DR6_BS = 0x4000;
    private static final long CANONICAL_LIMIT = 0x0000_8000_0000_0000L;
    /** Registers of syscall arguments 0..5 (System V order, as the vDSO stubs receive them). */
    private static final int[] SYSCALL_ARG_REGS = {Asm.RDI, Asm.RSI, Asm.RDX, Asm.RCX, Asm.R8, Asm.R9};

    private final FsGsMode mode;
    private final SignalShim shim;
    private final long address;
    private final MemorySegment block;
    private Thread boundThread;
    private boolean closed;
    private final HardwareBreakpoints breakpoints = new HardwareBreakpoints();
    private volatile int boundTid;           // host TID of boundThread (read by a debugger's thread)
    private long rfResumeRip = -1;           // rip of the instruction breakpoint the last trap reported
    private boolean stepping;                // TF in G_RFLAGS: every run enters through iretq with TF

    UserContext(FsGsMode mode, SignalShim shim) {
        this.mode = mode;
        this.shim = shim;
        this.address = ContextArena.global().allocate();
        this.block = HostMemory.segment(address, SIZE);
        Trampoline.of(mode).initContext(address);
        setMxcsr(DEFAULT_MXCSR);
        setX87ControlWord(DEFAULT_X87_CW);
    }

    public FsGsMode mode() { return mode; }

    /** Address of the native block (diagnostics only). */
    public long address() { return address; }

    // ------------------------------------------------------------------ registers
    public long register(Register r) { return block.get(JAVA_LONG, guestReg(r.number())); }

    public void setRegister(Register r, long value) { block.set(JAVA_LONG, guestReg(r.number()), value); }

    public long rip() { return block.get(JAVA_LONG, G_RIP); }

    public void setRip(long rip) { block.set(JAVA_LONG, G_RIP, rip); }

    public long rsp() { return register(Register.RSP); }

    public void setRsp(long rsp) { setRegister(Register.RSP, rsp); }

    /** rflags as captured at the last trap (a syscall does not capture them: the ABI does not preserve them). */
    public long rflags() { return block.get(JAVA_LONG, G_RFLAGS); }

    /** rflags for the next exact resume (only the arithmetic flags and DF are applied). */
    /** rflags; TF (0x100) single-steps the guest from its next run on, until cleared. */
    public void setRflags(long rflags) {
        block.set(JAVA_LONG, G_RFLAGS, rflags);
        stepping = (rflags & RFLAGS_TF) != 0;
    }

    /** The guest's fs base (its TLS pointer). */
    public long fsBase() { return block.get(JAVA_LONG, G_FS); }

    /** Sets the guest's fs base; it must be a canonical user address. */
    public void setFsBase(long fsBase) {
        if (fsBase < 0 || fsBase >= CANONICAL_LIMIT) throw new IllegalArgumentException(String.format("fs base 0x%x is not a user address", fsBase));
        block.set(JAVA_LONG, G_FS, fsBase);
    }

    /** The guest's own gs base, 0 if none. */
    public long gsBase() { return block.get(JAVA_LONG, G_GS); }

    /** Whether this context can give the guest its own gs base (FSGSBASE mode). */
    public boolean supportsGsBase() { return mode == FsGsMode.FSGSBASE; }

    /**
     * Sets the guest's gs base, loaded on every entry to the guest; 0 removes it.
     *
     * @throws IllegalArgumentException for a non-canonical or kernel address
     * @throws UnsupportedOperationException for a non-zero value in arch_prctl mode (there run() has
     *     no way to switch gs without a system call, and the entry could not find the context)
     */
    public void setGsBase(long gsBase) {
        if (gsBase < 0 || gsBase >= CANONICAL_LIMIT) throw new IllegalArgumentException(String.format("gs base 0x%x is not a user address", gsBase));
        if (gsBase != 0 && !supportsGsBase()) throw new UnsupportedOperationException("a guest gs base needs FSGSBASE");
        block.set(JAVA_LONG, G_GS, gsBase);
    }

    public int mxcsr() { return block.get(JAVA_INT, G_MXCSR); }

    public void setMxcsr(int mxcsr) {
        if ((mxcsr & ~0xFFFF) != 0) throw new IllegalArgumentException(String.format("reserved MXCSR bits set: 0x%x", mxcsr));
        block.set(JAVA_INT, G_MXCSR, mxcsr);
    }

    public int x87ControlWord() { return block.get(JAVA_SHORT, G_FCW) & 0xFFFF; }

    public void setX87ControlWord(int cw) { block.set(JAVA_SHORT, G_FCW, (short) cw); }

    /** Syscall argument i (0..7) of the syscall the guest is in. */
    public long syscallArg(int i) {
        if (i < 0 || i > 7) throw new IndexOutOfBoundsException("syscall argument " + i);
        if (i < 6) return block.get(JAVA_LONG, guestReg(SYSCALL_ARG_REGS[i]));
        return block.get(JAVA_LONG, i == 6 ? ARG6 : ARG7);
    }

    /** The value the guest's syscall returns (rax) when it next runs. */
    public void setSyscallResult(long value) { block.set(JAVA_LONG, guestReg(Asm.RAX), value); }

    public GeneralRegisters generalRegisters() {
        long[] r = new long[16];
        for (int i = 0; i < 16; i++) r[i] = block.get(JAVA_LONG, guestReg(i));
        return GeneralRegisters.of(r, rip(), rflags(), fsBase(), gsBase());
    }

    /** Writes all registers (fs and gs base canonical; gs base 0 in arch_prctl mode). */
    public void setGeneralRegisters(GeneralRegisters regs) {
        setGsBase(regs.gsBase());
        setFsBase(regs.fsBase());
        for (Register r : Register.values()) setRegister(r, regs.get(r));
        setRip(regs.rip());
        setRflags(regs.rflags());
    }

    /**
     * Makes the next run() restore, besides the registers, the rflags and the FP/vector state captured
     * at the last trap: the guest continues exactly where it faulted (after Java fixed the cause).
     */
    /**
     * Asks the syscall entry to keep the guest's vector state (XSAVE into the context) at every
     * syscall from now on, or stops it. Turning it on forgets an earlier capture.
     */
    public void setCaptureXstate(boolean on) { block.set(JAVA_LONG, CAPTURE_XSTATE, on ? 1 : 0); }

    /** Whether the last syscall entry kept the guest's vector state (see {@link #setCaptureXstate}). */
    public boolean xstateCapturedAtEntry() { return block.get(JAVA_LONG, CAPTURE_XSTATE) == 2; }

    /**
     * The guest's vector state as the last trap or captured syscall entry left it, or null if the
     * context holds none.
     */
    public XState xstate() {
        long size = block.get(JAVA_LONG, XSTATE_SIZE);
        if (size <= 0 || size > XAREA_MAX) return null;
        byte[] img = new byte[(int) size];
        MemorySegment.copy(block, java.lang.foreign.ValueLayout.JAVA_BYTE, XAREA, img, 0, img.length);
        return XState.of(img, HostThreadState.xcr0());
    }

    /**
     * Makes the next run() load {@code x} (xrstor) before entering the guest, and keeps the control
     * words in step with it.
     */
    public void resumeWithXstate(XState x) {
        byte[] img = x.image();
        if (img.length > XAREA_MAX) throw new IllegalArgumentException("XSAVE image too large: " + img.length);
        MemorySegment.copy(img, 0, block, java.lang.foreign.ValueLayout.JAVA_BYTE, XAREA, img.length);
        block.set(JAVA_LONG, XSTATE_SIZE, img.length);
        long features = block.get(JAVA_LONG, XFEATURES);
        block.set(JAVA_LONG, XFEATURES, (features == 0 ? CAPTURE_FEATURES : features) & HostThreadState.xcr0());
        block.set(JAVA_INT, G_MXCSR, x.mxcsr());
        block.set(JAVA_SHORT, G_FCW, (short) x.x87ControlWord());
        block.set(JAVA_LONG, RESUME, block.get(JAVA_LONG, RESUME) | RESUME_XSTATE);
    }

    public void requestExactResume() {
        long flags = RESUME_FLAGS | (block.get(JAVA_LONG, XSTATE_SIZE) != 0 ? RESUME_XSTATE : 0);
        // continuing at the instruction breakpoint that stopped it: do not hit it again at once
        if (rfResumeRip != -1 && rfResumeRip == rip()) flags |= RESUME_RF;
        block.set(JAVA_LONG, RESUME, flags);
    }

    // ------------------------------------------------------------------ debug registers
    /**
     * Arms the guest's debug registers DR0-3 / DR7 (x86 encoding; the caller validated them) as host
     * hardware breakpoints on the thread this context runs on; they fire as {@link TrapKind#HW_BREAKPOINT}
     * traps. DR7 = 0 disarms. Any thread may call it while the context is not running guest code; an
     * unbound context arms at its first run. Throws {@link dev.zjvm.hal.host.HostCallException} if the
     * host refuses (then the previous ones stay armed).
     */
    public void setDebugRegisters(long[] dr0to3, long dr7) {
        if (dr0to3.length != 4) throw new IllegalArgumentException("DR0-3");
        breakpoints.set(dr0to3, dr7, boundTid);
    }

    /** Whether debug registers are armed on a host thread (diagnostics, tests). */
    public boolean debugRegistersArmed() { return breakpoints.armed(); }

    /** The host thread stops running this context (it ends): close its breakpoints. */
    void releaseDebugRegisters() {
        breakpoints.disarm();
        boundTid = 0;
    }

    // ------------------------------------------------------------------ running
    /**
     * Runs the guest on the calling thread until it makes a syscall or faults. A syscall returns with
     * the guest positioned after its call; set the result and call run() again to continue it.
     */
    public RunResult run() {
        long n = enter();
        if (n >= 0) {
            MemorySegment b = block;
            return new SyscallExit(n, b.get(JAVA_LONG, guestReg(Asm.RDI)), b.get(JAVA_LONG, guestReg(Asm.RSI)),
                    b.get(JAVA_LONG, guestReg(Asm.RDX)), b.get(JAVA_LONG, guestReg(Asm.RCX)),
                    b.get(JAVA_LONG, guestReg(Asm.R8)), b.get(JAVA_LONG, guestReg(Asm.R9)),
                    b.get(JAVA_LONG, ARG6), b.get(JAVA_LONG, ARG7));
        }
        if (n == RUN_TRAP) return readTrap();
        throw new IllegalStateException("trampoline returned " + n);
    }

    /** run() without building a result: the syscall number (>= 0) or RUN_TRAP. */
    long enter() {
        if (closed) throw new IllegalStateException("context is closed");
        if (boundThread != Thread.currentThread()) bind();   // a new thread may reuse a dead one's TCB
        if (stepping) block.set(JAVA_LONG, RESUME, block.get(JAVA_LONG, RESUME) | RESUME_STEP);
        try {
            for (;;) {
                long n = mode == FsGsMode.FSGSBASE
                        ? (long) Trampoline.Fsgsbase.RUN.invokeExact(address)
                        : (long) Trampoline.ArchPrctl.RUN.invokeExact(address);
                if (n != RUN_NEED_BIND) return n;
                bind();
            }
        } catch (Throwable t) {
            throw dev.zjvm.hal.host.Libc.rethrow(t);
        }
    }

    private void bind() {
        ThreadBinding.bind(address, mode, shim);
        if (boundThread != Thread.currentThread()) {
            int tid = dev.zjvm.hal.host.HostThreads.currentTid();
            boundTid = tid;
            breakpoints.follow(tid);                 // debug registers belong to the guest thread
        }
        boundThread = Thread.currentThread();
    }

    private Trap readTrap() {
        int vector = (int) block.get(JAVA_LONG, TRAP_TRAPNO);
        int signal = (int) block.get(JAVA_LONG, TRAP_SIGNO);
        int code = (int) block.get(JAVA_LONG, TRAP_CODE);
        TrapKind kind = TrapKind.of(vector, signal, code);
        long debugStatus = 0;
        rfResumeRip = -1;
        stepping = (block.get(JAVA_LONG, G_RFLAGS) & RFLAGS_TF) != 0;
        if (kind == TrapKind.HW_BREAKPOINT && signal == SIGTRAP && code == TRAP_TRACE) debugStatus = DR6_BS;
        if (kind == TrapKind.HW_BREAKPOINT && code == TRAP_PERF) {
            vector = 1;                                // #DB; Linux reports trapno 0 for a perf SIGTRAP
            debugStatus = 1L << (block.get(JAVA_LONG, TRAP_PERF_DATA) & 3);
            // the kernel set RF for an instruction breakpoint (reported before the instruction runs)
            if ((block.get(JAVA_LONG, G_RFLAGS) & RFLAGS_RF) != 0) rfResumeRip = rip();
        }
        return new Trap(kind, block.get(JAVA_LONG, TRAP_ADDR), block.get(JAVA_LONG, TRAP_ERR),
                vector, signal, code, generalRegisters(), debugStatus);
    }

    /**
     * After a syscall: if a single step ended in it (the guest's jump into the syscall entry was the
     * stepped instruction), the step's trap, reported at the return address as a #DB with DR6.BS
     * (call it after setting the result; resume it with {@link #requestExactResume()}); else null.
     */
    public Trap takeSyscallStep() {
        if (block.get(JAVA_LONG, STEP_AT_SYSCALL) == 0) return null;
        block.set(JAVA_LONG, STEP_AT_SYSCALL, 0);
        block.set(JAVA_LONG, XSTATE_SIZE, 0);          // no XSAVE image of this stop: nothing stale to restore
        rfResumeRip = -1;
        return new Trap(TrapKind.HW_BREAKPOINT, 0, 0, 1, SIGTRAP, TRAP_TRACE, generalRegisters(), DR6_BS);
    }

    /** Frees the native block. The context must not be running. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        breakpoints.disarm();
        ContextArena.global().free(address);
    }
}
