package dev.zjvm.hal.signal;

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
import java.util.List;

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
    private static final long KIND_ASYNC = HandlerCode.KIND_ASYNC, KIND_FAULT = HandlerCode.KIND_FAULT;
    private static final int D_OLD = HandlerCode.D_OLD, D_KIND = HandlerCode.D_KIND, D_CHAINED = HandlerCode.D_CHAINED,
            D_FORWARDED = HandlerCode.D_FORWARDED, D_TRAPPED = HandlerCode.D_TRAPPED, D_ARGFIX = HandlerCode.D_ARGFIX,
            D_PERF_IGNORED = HandlerCode.D_PERF_IGNORED;
    /** Emit fs/gs accesses as arch_prctl system calls even on a host with FSGSBASE (tests of the fallback). */
    /** Record field the trampoline writes the ctx of a guest with its own gs base into (see ContextLayout). */
    public static final int RECORD_GUEST_CTX = AltStackArena.REC_GUEST_CTX;
    /** Size of our alternate signal stacks: a thread's record lies this far above its ss_sp. */
    public static final int ALT_STACK_SIZE = AltStackArena.STACK_SIZE;
    public static final String ARCH_PRCTL_PROPERTY = "dev.zjvm.hal.signal.archPrctlHandler";

    private static final Object LOCK = new Object();
    private static volatile SignalShim instance;

    private final AltStackArena altStacks = new AltStackArena();
    private final boolean fsgsbase;
    private final long handler, data;
    private final List<String> installLog = new ArrayList<>();

    private SignalShim() {
        fsgsbase = CpuFeatures.fsgsbase() && !Boolean.getBoolean(ARCH_PRCTL_PROPERTY);
        HandlerCode code = new HandlerCode(fsgsbase, altStacks, ContextArena.global());
        handler = code.handler;
        data = code.data;
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

    /** The calling thread's record (after {@link #prepareCurrentThread}), or 0. */
    public long currentThreadRecord() { return altStacks.currentRecord(); }

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
    /** SIGTRAPs of guest hardware breakpoints that hit outside guest code and were ignored. */
    public long ignoredBreakpointTraps() { return counter(D_PERF_IGNORED, SIGTRAP); }
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
}
