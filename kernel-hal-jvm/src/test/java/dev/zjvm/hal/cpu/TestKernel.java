package dev.zjvm.hal.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongUnaryOperator;

import static dev.zjvm.hal.cpu.TestImage.*;

/**
 * The "kernel" of the test guests: one per guest thread. Besides serving the test syscalls it checks,
 * on every syscall, that the JVM thread got its own fs base, MXCSR control bits, x87 control word and
 * a clean rflags back (a leak would be recorded in {@link #hostViolations}).
 */
final class TestKernel implements SyscallHandler {
    private static final long EFLAGS_AC = 0x40000, EFLAGS_DF = 0x400;

    volatile long exitCode = -1, failCode = -1, failDetail;
    volatile long syscalls;
    final List<String> hostViolations = new ArrayList<>();
    /** SYS_BLOCK: the handler parks until blockAnswer(i) has returned a value; null = answer i + 1 at once. */
    volatile LongUnaryOperator blockAnswer;
    volatile Thread blockedThread;
    private long hostFs;
    private Object lastAllocation;

    boolean exitedCleanly() { return exitCode == 0 && failCode == -1; }

    String describe() {
        return "exit=" + exitCode + " fail=" + failCode + " detail=0x" + Long.toHexString(failDetail)
                + " syscalls=" + syscalls + " hostViolations=" + hostViolations;
    }

    @Override
    public long onSyscall(GuestThread thread, SyscallExit call) {
        long r = handle(thread.context(), call);
        if (call.number() == SYS_EXIT || call.number() == SYS_FAIL) thread.exit();
        return r;
    }

    /** Serves one syscall; for SYS_EXIT / SYS_FAIL the caller stops running the guest. */
    long handle(UserContext ctx, SyscallExit call) {
        syscalls++;
        checkHost(ctx);
        int n = (int) call.number();
        if (n >= SYS_ARGS0 && n <= SYS_ARGS0 + 8) {
            int k = n - SYS_ARGS0;
            long sum = 0;
            for (int i = 0; i < k; i++) {
                if (call.arg(i) != ARGS[i] || ctx.syscallArg(i) != ARGS[i])
                    violation("syscall with " + k + " args: arg " + i + " = 0x" + Long.toHexString(call.arg(i)));
                sum += (i + 1) * call.arg(i);
            }
            return sum;
        }
        return switch (n) {
            case SYS_NULL -> 0;
            case SYS_EXIT -> { exitCode = call.arg0(); yield 0; }
            case SYS_FAIL -> { failCode = call.arg0(); failDetail = call.arg1(); yield 0; }
            case SYS_SETFS -> { ctx.setFsBase(call.arg0()); yield 0; }
            case SYS_WORK -> {
                lastAllocation = new long[(int) (syscalls & 63) + 1];   // so that GCs meet this thread in Java
                yield 0;
            }
            case SYS_FPCHECK -> 0;                          // checkHost did the work
            case SYS_BLOCK -> block(call.arg0());
            default -> -1;
        };
    }

    private long block(long i) {
        LongUnaryOperator answer = blockAnswer;
        if (answer == null) return i + 1;
        blockedThread = Thread.currentThread();
        return answer.applyAsLong(i);
    }

    private void checkHost(UserContext ctx) {
        long fs = HostThreadState.fsBase();
        if (hostFs == 0) hostFs = fs;
        if (fs != hostFs || (ctx.fsBase() != 0 && fs == ctx.fsBase())) violation(String.format("host fs 0x%x", fs));
        int mx = HostThreadState.mxcsr() & 0xFFC0;
        if (mx != (UserContext.DEFAULT_MXCSR & 0xFFC0)) violation(String.format("host MXCSR control 0x%x", mx));
        int cw = HostThreadState.x87ControlWord();
        if (cw != UserContext.DEFAULT_X87_CW) violation(String.format("host x87 CW 0x%x", cw));
        if ((HostThreadState.rflags() & (EFLAGS_AC | EFLAGS_DF)) != 0) violation("host rflags AC/DF set");
    }

    private synchronized void violation(String what) {
        if (hostViolations.size() < 10) hostViolations.add(what);
    }

    /** A SYS_BLOCK answer that parks until {@code release} is set, then answers i + 1. */
    static LongUnaryOperator parkUntil(java.util.concurrent.atomic.AtomicBoolean release) {
        return i -> {
            while (!release.get()) LockSupport.park();
            return i + 1;
        };
    }
}
