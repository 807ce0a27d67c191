package dev.zjvm.hal.signal;

import dev.zjvm.hal.cpu.Asm;
import dev.zjvm.hal.cpu.ContextArena;
import dev.zjvm.hal.cpu.HostThreadState;
import dev.zjvm.hal.host.CpuFeatures;
import dev.zjvm.hal.host.HostMemory;
import dev.zjvm.hal.host.Libc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.zjvm.hal.cpu.Asm.*;
import static dev.zjvm.hal.cpu.ContextLayout.*;
import static dev.zjvm.hal.signal.AltStackArena.*;
import static dev.zjvm.hal.signal.LinuxSignals.*;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The signal shim: one machine-code signal handler, emitted here and installed with sigaction() in
 * front of the JVM's handlers. Signal dispositions are per process, so this is the one legitimately
 * process-wide object of the HAL: {@link #install()} creates it once, under a lock, for every kernel.
 *
 * <p>Why: HotSpot's handlers read their thread-local data through fs. A signal that arrives while a
 * guest runs with its own fs base (a guest fault, HotSpot's SIGUSR2, a profiler) would make them fault
 * again, and the kernel kills the process without a word. For each signal the handler decides:
 * <ol>
 *   <li><b>guest fault</b> (a synchronous fault signal raised by the kernel, in guest code of a valid
 *       context that this very thread entered, not inside another handler): record the trap and the
 *       guest registers in the context, switch fs to the host's and rewrite the ucontext so sigreturn
 *       lands in the trampoline's trap_exit on the host stack; run() returns a trap to Java. A fault of
 *       the entry's copy of syscall args 7/8 (guest stack ends above the return address) just skips it.</li>
 *   <li><b>guest fs installed</b> (an asynchronous signal while a guest computes): switch fs to the
 *       thread's host fs, call the JVM's handler, switch back, return.</li>
 *   <li><b>anything else</b>: tail-jump to the JVM's handler with the original arguments and stack, so
 *       implicit null checks, safepoint polls, stack banging and crash reports work unchanged.</li>
 * </ol>
 * Per-thread facts come from the kernel: each thread that runs guests has one of our alternate stacks,
 * with a record above it holding its host fs base (see {@link AltStackArena}).
 *
 * <p>Known limits (signals spike §6): handlers installed after the shim are not wrapped (so guest
 * threads keep SIGPROF blocked); glibc's SIGSETXID cannot be wrapped (no setuid-family calls while
 * guests run); a malicious guest can still wrgsbase or make raw system calls.
 */
public final class SignalShim {
    private static final Logger LOG = LoggerFactory.getLogger(SignalShim.class);

    /** Signals a guest instruction can raise synchronously. */
    static final int[] FAULT_SIGNALS = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP};
    /** HotSpot's suspend/resume signal: thread-directed, may arrive while a guest computes. */
    static final int[] ASYNC_SIGNALS = {SIGUSR2};
    private static final long KIND_ASYNC = 1, KIND_FAULT = 2;
    // data page: five tables of NSIG qwords
    private static final int D_OLD = 0, D_KIND = NSIG * 8, D_CHAINED = 2 * NSIG * 8, D_FORWARDED = 3 * NSIG * 8,
            D_TRAPPED = 4 * NSIG * 8, D_ARGFIX = 5 * NSIG * 8;
    /** Emit fs/gs accesses as arch_prctl system calls even on a host with FSGSBASE (tests of the fallback). */
    public static final String ARCH_PRCTL_PROPERTY = "dev.zjvm.hal.signal.archPrctlHandler";

    private static final Object LOCK = new Object();
    private static volatile SignalShim instance;

    private final AltStackArena altStacks = new AltStackArena();
    private final boolean fsgsbase;
    private final long handler, data;
    private final List<String> installLog = new ArrayList<>();

    private SignalShim() {
        fsgsbase = CpuFeatures.fsgsbase() && !Boolean.getBoolean(ARCH_PRCTL_PROPERTY);
        long[] addrs = generate();
        handler = addrs[0];
        data = addrs[1];
    }

    /**
     * Installs the shim (once per JVM; later calls return the same instance). Must happen before any
     * guest runs: a guest fault without it kills the JVM silently.
     */
    public static SignalShim install() {
        SignalShim s = instance;
        if (s != null) return s;
        synchronized (LOCK) {
            if (instance == null) {
                SignalShim shim = new SignalShim();
                for (int sig : FAULT_SIGNALS) shim.wrap(sig, KIND_FAULT);
                for (int sig : ASYNC_SIGNALS) shim.wrap(sig, KIND_ASYNC);
                instance = shim;
            }
            return instance;
        }
    }

    /** Whether fs/gs are accessed with FSGSBASE instructions (false: arch_prctl system calls). */
    public boolean usesFsgsbase() { return fsgsbase; }

    // ------------------------------------------------------------------ threads
    /**
     * Prepares the calling OS thread to run guests: gives it one of our alternate signal stacks (if it
     * has none), blocks the signals guest threads must not take (process-directed ones, which then go
     * to other threads, and SIGPROF, whose handler may be installed unwrapped later), and records its
     * signal mask. Returns the thread's host fs base, which the caller stores as the context's BOUND_FS.
     */
    public long prepareCurrentThread() {
        long fs = HostThreadState.fsBase();
        long rec = altStacks.currentRecord();
        if (rec == 0 || HostMemory.getLong(rec + REC_HOST_FS) != fs) rec = altStacks.attachCurrentThread(fs);
        blockGuestThreadSignals();
        HostMemory.putLong(rec + REC_BASEMASK, currentSigmask());
        return fs;
    }

    /** Frees the calling thread's alternate stack. The thread must not run guests afterwards without preparing again. */
    public void releaseCurrentThread() { altStacks.detachCurrentThread(); }

    /** Signals blocked on guest threads: everything a process or a timer may direct at any thread. */
    static long guestThreadBlockedMask() {
        long m = 0;
        for (int s : new int[] {SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGPIPE, SIGALRM, SIGTERM, SIGSTKFLT, SIGCHLD,
                SIGCONT, SIGTSTP, SIGTTIN, SIGTTOU, SIGURG, SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF, SIGWINCH, SIGIO, SIGPWR})
            m |= 1L << (s - 1);
        // real-time signals, except SIGRTMAX-2 (the JDK's NIO interrupt signal; its handler is empty)
        for (int s = 34; s <= SIGRTMAX; s++) if (s != SIGRTMAX - 2) m |= 1L << (s - 1);
        return m;
    }

    private static void blockGuestThreadSignals() {
        try (Arena ar = Arena.ofConfined()) {
            MemorySegment set = ar.allocate(128, 8);
            set.set(JAVA_LONG, 0, guestThreadBlockedMask());
            check(Libc.pthreadSigmask(SIG_BLOCK, set.address(), 0), "pthread_sigmask");
        }
    }

    /** The calling thread's blocked-signal mask for signals 1-64. */
    public static long currentSigmask() {
        try (Arena ar = Arena.ofConfined()) {
            MemorySegment set = ar.allocate(128, 8);
            check(Libc.pthreadSigmask(SIG_BLOCK, 0, set.address()), "pthread_sigmask");
            return set.get(JAVA_LONG, 0);
        }
    }

    // ------------------------------------------------------------------ counters
    /** Signals passed unchanged to the previous handler. */
    public long chained(int sig) { return counter(D_CHAINED, sig); }
    /** Signals that arrived with a guest fs installed and were passed to the previous handler on the host fs. */
    public long forwarded(int sig) { return counter(D_FORWARDED, sig); }
    /** Guest faults turned into traps. */
    public long trapped(int sig) { return counter(D_TRAPPED, sig); }
    /** Faults of the syscall entry's copy of args 7/8 that were skipped. */
    public long argCopyFaults() { return counter(D_ARGFIX, 0); }

    private long counter(int table, int sig) {
        if (sig < 0 || sig >= NSIG) throw new IllegalArgumentException("signal " + sig);
        return HostMemory.getLong(data + table + 8L * sig);
    }

    /** Whether sig is currently handled by this shim. */
    public boolean wraps(int sig) { return currentHandler(sig) == handler; }

    public synchronized List<String> installLog() { return List.copyOf(installLog); }

    // ------------------------------------------------------------------ installing
    /**
     * Puts the shim in front of whatever handles sig now. The previous handler is stored in the data page
     * before our sigaction goes live (a signal in between must find it) and re-checked afterwards.
     */
    private void wrap(int sig, long kind) {
        try (Arena ar = Arena.ofConfined()) {
            MemorySegment cur = ar.allocate(SIGACTION_SIZE, 8), act = ar.allocate(SIGACTION_SIZE, 8),
                    old = ar.allocate(SIGACTION_SIZE, 8);
            for (int attempt = 0; ; attempt++) {
                check(Libc.sigaction(sig, 0, cur.address()), "sigaction query");
                long prev = cur.get(JAVA_LONG, SA_HANDLER);
                if (prev == handler) return;
                int flags = cur.get(JAVA_INT, SA_FLAGS);
                HostMemory.putLong(data + D_OLD + 8L * sig, prev);
                HostMemory.putLong(data + D_KIND + 8L * sig, kind);
                MemorySegment.copy(cur, 0, act, 0, SIGACTION_SIZE);
                act.set(JAVA_LONG, SA_HANDLER, handler);
                int newFlags = (flags | SA_SIGINFO | SA_ONSTACK) & ~SA_RESTORER;   // glibc adds its restorer
                if (prev == 0 || prev == 1) {
                    // SIG_DFL / SIG_IGN have no mask: block all but the fault signals, as HotSpot does
                    act.asSlice(SA_MASK, 128).fill((byte) 0xFF);
                    for (int f : FAULT_SIGNALS) clearSigBit(act, f);
                    newFlags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
                }
                act.set(JAVA_INT, SA_FLAGS, newFlags);
                check(Libc.sigaction(sig, act.address(), old.address()), "sigaction install");
                if (old.get(JAVA_LONG, SA_HANDLER) == prev) {
                    String line = String.format("wrapped %s (previous handler 0x%x, flags 0x%x)", name(sig), prev, flags);
                    synchronized (this) { installLog.add(line); }
                    LOG.debug(line);
                    return;
                }
                check(Libc.sigaction(sig, old.address(), 0), "sigaction restore");   // raced: put theirs back, retry
                if (attempt > 3) throw new IllegalStateException("the handler of " + name(sig) + " keeps changing");
            }
        }
    }

    private static long currentHandler(int sig) {
        try (Arena ar = Arena.ofConfined()) {
            MemorySegment cur = ar.allocate(SIGACTION_SIZE, 8);
            check(Libc.sigaction(sig, 0, cur.address()), "sigaction query");
            return cur.get(JAVA_LONG, SA_HANDLER);
        }
    }

    private static void clearSigBit(MemorySegment act, int sig) {
        long off = SA_MASK + (sig - 1) / 8;
        act.set(JAVA_BYTE, off, (byte) (act.get(JAVA_BYTE, off) & ~(1 << ((sig - 1) % 8))));
    }

    static void check(int rc, String what) {
        if (rc != 0) throw new IllegalStateException(what + " failed: " + rc);
    }

    // ------------------------------------------------------------------ code generation
    /** dst := fs base of the interrupted code. Clobbers rax, rcx, r11 in the fallback. */
    private void readFs(Asm a, int dst) {
        if (fsgsbase) { a.rdfsbase(dst); return; }
        archPrctlGet(a, ARCH_GET_FS, dst);
    }

    private void readGs(Asm a, int dst) {
        if (fsgsbase) { a.rdgsbase(dst); return; }
        archPrctlGet(a, ARCH_GET_GS, dst);
    }

    /** arch_prctl(code, &slot) keeping rdi/rsi/rdx (the handler's arguments); dst must not be rcx/r11/rdi/rsi/rdx. */
    private static void archPrctlGet(Asm a, int code, int dst) {
        a.push(RDI); a.push(RSI); a.push(RDX);         // the previous handler needs them unchanged
        a.push(RAX);                                   // result slot at [rsp]
        a.movRR(RSI, RSP);                             // &slot
        a.movImm32(RDI, code);
        a.movImm32(RAX, SYS_ARCH_PRCTL);
        a.syscall();                                   // clobbers rax, rcx, r11
        a.pop(dst);
        a.pop(RDX); a.pop(RSI); a.pop(RDI);
    }

    /** fs base := src, keeping rdi/rsi/rdx. Clobbers rax, rcx, r11 in the fallback. */
    private void writeFs(Asm a, int src) {
        if (fsgsbase) { a.wrfsbase(src); return; }
        a.push(RDI); a.push(RSI); a.push(RDX);
        a.movRR(RSI, src);                             // new fs base
        a.movImm32(RDI, ARCH_SET_FS);
        a.movImm32(RAX, SYS_ARCH_PRCTL);
        a.syscall();
        a.pop(RDX); a.pop(RSI); a.pop(RDI);
    }

    /** Emits the handler (RX page) followed by its data page (RW); returns {handler, data}. */
    private long[] generate() {
        ContextArena contexts = ContextArena.global();
        Asm a = new Asm();
        a.label("handler");
        // rdi = sig, rsi = siginfo*, rdx = ucontext*; rdi/rsi/rdx/rsp must reach the previous handler
        // unchanged, so only rax, rcx, r8-r11 are used before the decision.

        // ---- A. this OS thread's record, from the kernel's copy of its sigaltstack settings
        a.testMem32Imm(RDX, UC_SS_FLAGS, SS_DISABLE);  // no alternate stack: the thread never ran a guest
        a.jcc(CC_NE, "chain");
        a.movLoad(R8, RDX, UC_SS_SP);                  // r8 = ss_sp
        a.movImm64(R9, altStacks.low); a.cmpRR(R8, R9); a.jcc(CC_B, "chain");       // inside our arena?
        a.movImm64(R9, altStacks.high()); a.cmpRR(R8, R9); a.jcc(CC_AE, "chain");
        a.cmpMemImm32(RDX, UC_SS_SIZE, STACK_SIZE); a.jcc(CC_NE, "chain");          // our size?
        a.addImm(R8, STACK_SIZE);                      // r8 = thread record
        a.movImm64(R9, REC_MAGIC_VALUE); a.cmpMemReg(R8, REC_MAGIC, R9); a.jcc(CC_NE, "chain");
        readFs(a, R10);                                // r10 = fs base at the interruption
        a.movLoad(R11, R8, REC_HOST_FS);               // r11 = this thread's host fs base

        // ---- B. a guest fault? synchronous fault signal + valid ctx in gs + in guest + this thread
        a.leaRip(RAX, "d_kind"); a.movLoadIdx8(RAX, RAX, RDI);
        a.cmpImm(RAX, (int) KIND_FAULT); a.jcc(CC_NE, "not_guest");
        a.cmpMem32Imm8(RSI, SI_CODE, 0); a.jcc(CC_LE, "not_guest");   // si_code <= 0: sent by kill/tgkill/sigqueue
        // Not inside another handler that interrupted the guest: guest code never runs on the alternate
        // stack nor with a mask other than the thread's base mask (signals spike, pitfall 1).
        a.testMem32Imm(RDX, UC_SS_FLAGS, SS_ONSTACK); a.jcc(CC_NE, "not_guest");
        a.movLoad(RCX, RDX, UC_SIGMASK); a.cmpMemReg(R8, REC_BASEMASK, RCX); a.jcc(CC_NE, "not_guest");
        readGs(a, RAX);                                // rax = candidate ctx
        a.movLoad(R11, R8, REC_HOST_FS);               // (reloaded: the fallback's syscall clobbers r11)
        a.movImm64(RCX, contexts.low()); a.cmpRR(RAX, RCX); a.jcc(CC_B, "not_guest");   // in the ctx arena,
        a.movImm64(RCX, contexts.high()); a.cmpRR(RAX, RCX); a.jcc(CC_AE, "not_guest");
        a.testImm32(RAX, SIZE - 1); a.jcc(CC_NE, "not_guest");                          // slot-aligned,
        a.movImm64(RCX, MAGIC_VALUE); a.cmpMemReg(RAX, MAGIC, RCX); a.jcc(CC_NE, "not_guest");  // allocated,
        a.cmpMemImm32(RAX, IN_GUEST, 0); a.jcc(CC_E, "not_guest");                      // running a guest,
        // entered by this very thread (IN_GUEST is read first; the entering thread wrote H_FS before it)
        a.cmpMemReg(RAX, H_FS, R11); a.jcc(CC_NE, "not_guest");
        // the syscall entry's copy of args 7/8 may touch past the end of the guest stack: skip it
        a.movLoad(RCX, RDX, greg(REG_RIP));
        a.cmpMemReg(RAX, ARGCOPY_LO, RCX); a.jcc(CC_A, "guest_trap");     // lo > rip
        a.cmpMemReg(RAX, ARGCOPY_HI, RCX); a.jcc(CC_BE, "guest_trap");    // hi <= rip
        a.movLoad(RCX, RAX, ARGCOPY_RESUME); a.movStore(RDX, greg(REG_RIP), RCX);
        a.leaRip(RCX, "d_argfix"); a.xor32(RAX, RAX); a.lockIncIdx8(RCX, RAX);
        a.ret();                                       // sigreturn: continue the entry, args stay 0

        a.label("not_guest");
        a.cmpRR(R10, R11);                             // a guest fs installed?
        a.jcc(CC_NE, "foreign_fs");
        a.incMem(R8, REC_CHAINED);

        // ---- C. host fs: tail-jump to the previous handler, arguments and stack untouched
        a.label("chain");
        a.leaRip(RAX, "d_chained"); a.lockIncIdx8(RAX, RDI);
        a.leaRip(RAX, "d_old"); a.movLoadIdx8(RAX, RAX, RDI);
        a.cmpImm(RAX, 1);
        a.jcc(CC_BE, "dfl_or_ign");
        a.jmpR(RAX);

        // ---- D. a guest's fs is installed: run the previous handler on the host fs
        a.label("foreign_fs");
        a.incMem(R8, REC_FORWARDED);
        a.leaRip(RAX, "d_forwarded"); a.lockIncIdx8(RAX, RDI);
        a.leaRip(RAX, "d_old"); a.movLoadIdx8(RAX, RAX, RDI);
        a.cmpImm(RAX, 1);
        a.jcc(CC_BE, "dfl_or_ign");                    // neither needs TLS
        a.push(RBX); a.push(R12); a.push(R13);         // rsp == 0 (mod 16) for the call
        a.movRR(R12, RAX);                             // r12 = previous handler
        // the kernel clears DF/TF for a handler but not AC, which a guest can set: clear it for the JVM
        a.pushfq(); a.pop(RAX); a.andImm64(RAX, ~0x40000); a.push(RAX); a.popfq();
        a.movRR(RBX, R10);                             // rbx = the interrupted (guest) fs
        writeFs(a, R11);                               // host fs
        a.callR(R12);                                  // previous(sig, info, uc)
        writeFs(a, RBX);                               // guest fs again
        a.pop(R13); a.pop(R12); a.pop(RBX);
        a.ret();

        // ---- E. SIG_IGN: return. SIG_DFL: restore the default action and re-raise; the signal stays
        //         pending (blocked while we run) and takes effect right after sigreturn.
        a.label("dfl_or_ign");
        a.jcc(CC_E, "ret");                            // flags still from cmp rax,1: SIG_IGN
        a.subImm(RSP, 40);
        for (int off = 0; off < 32; off += 8) a.movStoreImm(RSP, off, 0);  // kernel sigaction {SIG_DFL}
        a.movRR(R9, RDI);
        a.movImm32(RAX, SYS_RT_SIGACTION); a.movRR(RSI, RSP); a.xor32(RDX, RDX); a.movImm32(R10, 8);
        a.syscall();
        a.movImm32(RAX, SYS_GETPID); a.syscall(); a.movRR(R8, RAX);
        a.movImm32(RAX, SYS_GETTID); a.syscall(); a.movRR(RSI, RAX);
        a.movRR(RDI, R8); a.movRR(RDX, R9); a.movImm32(RAX, SYS_TGKILL);
        a.syscall();
        a.addImm(RSP, 40);
        a.label("ret");
        a.ret();

        // ---- F. guest fault: rax = ctx, r8 = record, r10 = guest fs, r11 = host fs
        a.label("guest_trap");
        a.movStore(RAX, G_FS, R10);                    // the guest's fs base
        a.movStore(RAX, TRAP_SIGNO, RDI);
        a.movsxdLoad(RCX, RSI, SI_CODE); a.movStore(RAX, TRAP_CODE, RCX);
        a.movLoad(RCX, RSI, SI_ADDR); a.movStore(RAX, TRAP_ADDR, RCX);
        for (int r = 0; r < 16; r++) { a.movLoad(RCX, RDX, gregOfRegister(r)); a.movStore(RAX, guestReg(r), RCX); }
        a.movLoad(RCX, RDX, greg(REG_RIP)); a.movStore(RAX, G_RIP, RCX);
        a.movLoad(RCX, RDX, greg(REG_EFL)); a.movStore(RAX, G_RFLAGS, RCX);
        a.movLoad(RCX, RDX, greg(REG_ERR)); a.movStore(RAX, TRAP_ERR, RCX);
        a.movLoad(RCX, RDX, greg(REG_TRAPNO)); a.movStore(RAX, TRAP_TRAPNO, RCX);
        a.movStoreImm(RAX, IN_GUEST, 0);
        a.incMem(RAX, TRAP_COUNT);
        a.incMem(R8, REC_TRAPS);
        a.leaRip(RCX, "d_trapped"); a.lockIncIdx8(RCX, RDI);
        // the guest's complete FP/vector state as the kernel saved it (XSAVE standard format), so that
        // Java can resume the guest exactly (run() with RESUME_XSTATE does xrstor)
        a.movStoreImm(RAX, XSTATE_SIZE, 0);
        a.movLoad(RSI, RDX, UC_FPREGS);
        a.test(RSI, RSI); a.jcc(CC_E, "no_xstate");
        a.cmpMem32Imm32(RSI, FPX_MAGIC1, FP_XSTATE_MAGIC1); a.jcc(CC_NE, "no_xstate");
        a.movLoad32(RCX, RSI, FPX_XSTATE_SIZE);
        a.cmpImm(RCX, XAREA_MAX); a.jcc(CC_A, "no_xstate");
        a.movLoad(R9, RSI, FPX_XFEATURES); a.movStore(RAX, XFEATURES, R9);
        a.movStore(RAX, XSTATE_SIZE, RCX);
        a.leaR(RDI, RAX, XAREA);
        a.cld();                                       // (the kernel cleared DF already; be explicit)
        a.repMovsb();                                  // rdi, rsi, rcx consumed
        a.label("no_xstate");
        // leave the guest: host TLS from here on, and sigreturn resumes in trap_exit on the host stack
        a.movRR(R9, RAX);                              // r9 = ctx (survives the fallback's syscall)
        writeFs(a, R11);
        a.movLoad(RCX, R9, TRAP_EXIT); a.movStore(RDX, greg(REG_RIP), RCX);
        a.movLoad(RCX, R9, hostReg(RSP)); a.movStore(RDX, greg(REG_RSP), RCX);
        a.movStoreImm(RDX, greg(REG_EFL), 0x202);      // drops TF/DF/AC the guest may have set
        a.ret();

        // ---- data page (RW): previous handlers, kinds, counters
        int codeEnd = a.pos();
        a.padTo((codeEnd + PAGE - 1) & ~(PAGE - 1));
        int dataOff = a.pos();
        a.label("d_old");
        a.padTo(dataOff + D_KIND); a.label("d_kind");
        a.padTo(dataOff + D_CHAINED); a.label("d_chained");
        a.padTo(dataOff + D_FORWARDED); a.label("d_forwarded");
        a.padTo(dataOff + D_TRAPPED); a.label("d_trapped");
        a.padTo(dataOff + D_ARGFIX); a.label("d_argfix");
        a.padTo(dataOff + PAGE);
        byte[] code = a.finish();
        Arrays.fill(code, dataOff, code.length, (byte) 0);   // padTo filled the data page with int3
        long mem = HostMemory.map(code.length, Libc.PROT_READ | Libc.PROT_WRITE);
        MemorySegment.copy(code, 0, Libc.EVERYTHING, JAVA_BYTE, mem, code.length);
        HostMemory.protect(mem, dataOff, Libc.PROT_READ | Libc.PROT_EXEC);   // W^X: code RX, data RW
        return new long[] {mem + a.offsetOf("handler"), mem + dataOff};
    }
}
