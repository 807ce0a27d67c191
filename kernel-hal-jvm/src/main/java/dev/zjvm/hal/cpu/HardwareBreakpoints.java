package dev.zjvm.hal.cpu;

import dev.zjvm.hal.host.HostCallException;
import dev.zjvm.hal.host.HostSyscall;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A guest's x86 debug registers DR0-3 + DR7 armed as Linux per-thread hardware breakpoints
 * (perf_event_open, PERF_TYPE_BREAKPOINT, {@code sigtrap}): a process cannot ptrace itself, but the
 * kernel then sends the thread that hits one a synchronous SIGTRAP (si_code TRAP_PERF, si_perf_data =
 * {@link #SIG_DATA_TAG} | slot), which the signal shim turns into a hardware-breakpoint trap while
 * guest code runs and ignores otherwise (Java code touching a watched address on the same thread).
 *
 * <p>The events count user mode only (kernel accesses, e.g. a read() into a watched buffer, do not
 * fire) and follow one host thread: the one the context is bound to. Thread-safe (a debugger writes
 * while the runner is stopped; the runner re-arms when its context moves to another thread).
 */
public final class HardwareBreakpoints {
    /** si_perf_data of our events: this tag, plus the slot (0-3) in the low 2 bits. */
    public static final long SIG_DATA_TAG = 0x7A6A_766D_4452_0000L;   // "zjvmDR"
    static final long SYS_PERF_EVENT_OPEN = 298;
    private static final int PERF_TYPE_BREAKPOINT = 5, ATTR_SIZE = 128;        // PERF_ATTR_SIZE_VER7 (sig_data)
    private static final int HW_BREAKPOINT_W = 2, HW_BREAKPOINT_RW = 3, HW_BREAKPOINT_X = 4;
    private static final long EXCLUDE_KERNEL = 1L << 5, EXCLUDE_HV = 1L << 6, REMOVE_ON_EXEC = 1L << 36,
            SIGTRAP = 1L << 37;
    private static final long PERF_FLAG_FD_CLOEXEC = 8;
    // perf_event_attr offsets
    private static final int A_TYPE = 0, A_SIZE = 4, A_PERIOD = 16, A_FLAGS = 40, A_BP_TYPE = 52, A_BP_ADDR = 56,
            A_BP_LEN = 64, A_SIG_DATA = 120;

    private final long[] addresses = new long[4];
    private long dr7;
    private final int[] fds = {-1, -1, -1, -1};
    private int armedTid;   // 0: nothing armed

    /** One breakpoint as perf describes it. */
    record Slot(int index, int type, long address, int length) {}

    /**
     * The breakpoints DR7 enables: L or G bit per slot; RW 00 = execute (length sizeof(long), as perf
     * wants), 01 = write, 11 = read/write, 10 (I/O) is not a user-mode condition and is skipped; LEN
     * 00/01/11/10 = 1/2/4/8 bytes, the address aligned down as the CPU ignores its low bits.
     */
    static java.util.List<Slot> decode(long[] dr, long dr7) {
        java.util.List<Slot> slots = new java.util.ArrayList<>(4);
        for (int i = 0; i < 4; i++) {
            if (((dr7 >>> (2 * i)) & 3) == 0) continue;
            int rw = (int) (dr7 >>> (16 + 4 * i)) & 3, len = (int) (dr7 >>> (18 + 4 * i)) & 3;
            int bytes = switch (len) { case 0 -> 1; case 1 -> 2; case 3 -> 4; default -> 8; };
            switch (rw) {
                case 0 -> slots.add(new Slot(i, HW_BREAKPOINT_X, dr[i], 8));
                case 1 -> slots.add(new Slot(i, HW_BREAKPOINT_W, dr[i] & -bytes, bytes));
                case 3 -> slots.add(new Slot(i, HW_BREAKPOINT_RW, dr[i] & -bytes, bytes));
                default -> { }
            }
        }
        return slots;
    }

    /**
     * Replaces the breakpoints with dr[0..3] / dr7, armed on host thread tid (0: the context is not
     * bound yet; armed at {@link #follow}). On failure (HostCallException: EACCES/EPERM when perf
     * breakpoints are not allowed, ENOSPC when the CPU's 4 are taken) the previous ones stay.
     */
    synchronized void set(long[] dr, long newDr7, int tid) {
        if (tid != 0) {
            closeAll();
            try {
                open(dr, newDr7, tid);
            } catch (HostCallException e) {
                closeAll();
                try { open(addresses, dr7, tid); } catch (HostCallException again) { closeAll(); }
                throw e;
            }
        }
        System.arraycopy(dr, 0, addresses, 0, 4);
        dr7 = newDr7;
    }

    /** The context runs on host thread tid now: move the breakpoints there (best effort). */
    synchronized void follow(int tid) {
        if (tid == armedTid || decode(addresses, dr7).isEmpty()) return;
        closeAll();
        try {
            open(addresses, dr7, tid);
        } catch (HostCallException e) {
            closeAll();   // they were armed before on another thread: the host stopped allowing it
        }
    }

    /** Closes the events (thread end, context close). The values stay for a later {@link #follow}. */
    synchronized void disarm() { closeAll(); }

    /** Whether the breakpoints are armed on some host thread (tests, diagnostics). */
    synchronized boolean armed() { return armedTid != 0; }

    private void open(long[] dr, long newDr7, int tid) {
        try (Arena ar = Arena.ofConfined()) {
            MemorySegment attr = ar.allocate(ATTR_SIZE, 8);
            for (Slot s : decode(dr, newDr7)) {
                attr.fill((byte) 0);
                attr.set(JAVA_INT, A_TYPE, PERF_TYPE_BREAKPOINT);
                attr.set(JAVA_INT, A_SIZE, ATTR_SIZE);
                attr.set(JAVA_LONG, A_PERIOD, 1);
                attr.set(JAVA_LONG, A_FLAGS, EXCLUDE_KERNEL | EXCLUDE_HV | REMOVE_ON_EXEC | SIGTRAP);
                attr.set(JAVA_INT, A_BP_TYPE, s.type());
                attr.set(JAVA_LONG, A_BP_ADDR, s.address());
                attr.set(JAVA_LONG, A_BP_LEN, s.length());
                attr.set(JAVA_LONG, A_SIG_DATA, SIG_DATA_TAG | s.index());
                long fd = HostSyscall.call(SYS_PERF_EVENT_OPEN, attr.address(), tid, -1, -1, PERF_FLAG_FD_CLOEXEC, 0);
                HostSyscall.check("perf_event_open(breakpoint)", fd);
                fds[s.index()] = (int) fd;
                armedTid = tid;
            }
        }
    }

    private void closeAll() {
        for (int i = 0; i < 4; i++) {
            if (fds[i] >= 0) HostSyscall.call(HostSyscall.CLOSE, fds[i]);
            fds[i] = -1;
        }
        armedTid = 0;
    }

    /**
     * Whether this host lets a thread watch itself with a perf hardware breakpoint that signals
     * (perf_event_paranoid, seccomp, a kernel before 5.13 or without breakpoint support say no).
     */
    public static boolean availableOnThisHost() {
        HardwareBreakpoints probe = new HardwareBreakpoints();
        long[] dr = {0x1000, 0, 0, 0};   // any user address: never touched (below mmap_min_addr)
        try {
            probe.set(dr, 1 | (1L << 16), dev.zjvm.hal.host.HostThreads.currentTid());   // write watchpoint, 1 byte
            return true;
        } catch (HostCallException e) {
            return false;
        } finally {
            probe.disarm();
        }
    }
}
