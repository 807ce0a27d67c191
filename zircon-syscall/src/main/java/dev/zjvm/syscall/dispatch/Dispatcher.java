package dev.zjvm.syscall.dispatch;

import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.task.Thread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes syscall numbers to handlers. Numbers outside the ABI table give BAD_SYSCALL; numbers in
 * the table without a handler give NOT_SUPPORTED. No Java exception escapes: a
 * {@link ZxException} becomes its status, anything else is logged and becomes INTERNAL.
 *
 * <p>If the calling thread has been killed (before the call, or during it), the dispatcher makes it
 * exit ({@link Thread#exit()}) instead of running the call, or after it: the runner must then stop
 * executing guest code (check {@code ctx.thread().isDead()}).
 *
 * <p>The hot path is two array loads and an interface call: no allocation, no boxing.
 */
public final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final SyscallHandler[] handlers;
    private final String[] names;
    private volatile SyscallTracer tracer;

    /**
     * @throws IllegalArgumentException if a registered name has no number in {@code numbering}
     */
    public Dispatcher(SyscallNumbering numbering, SyscallRegistry registry) {
        int n = numbering.limit();
        handlers = new SyscallHandler[n];
        names = new String[n];
        java.util.Map<String, Integer> numbers = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) {
            names[i] = numbering.nameOf(i);
            if (names[i] != null) numbers.put(names[i], i);
        }
        for (SyscallRegistry.Entry e : registry.entries().values()) {
            Integer nr = numbers.get(e.name());
            if (nr == null) throw new IllegalArgumentException("no syscall number for " + e.name());
            handlers[nr] = e.handler();
        }
    }

    /** The project's ABI table with every standard handler family. */
    public static Dispatcher standard() {
        return new Dispatcher(SyscallNumbering.of(dev.zjvm.syscall.abi.SyscallTable.standard()), SyscallRegistry.standard());
    }

    /** Installs (or with null removes) the trace listener. */
    public void setTracer(SyscallTracer tracer) {
        this.tracer = tracer;
    }

    /** Name of a syscall number, or null. */
    public String nameOf(int number) {
        return number >= 0 && number < names.length ? names[number] : null;
    }

    /** Runs syscall {@code number} for {@code ctx}; returns the value for the guest's result register. */
    public long dispatch(SyscallContext ctx, int number, long a0, long a1, long a2, long a3, long a4, long a5, long a6,
            long a7) {
        Thread self = ctx.thread();
        // Killed or suspended while running guest code: the syscall boundary is where it dies (the
        // call is not run) or stops until resumed.
        if (self != null && self.mustStop() && !self.returnToUser()) return ZxStatus.ERR_INTERNAL_INTR_KILLED;
        long result;
        if (number < 0 || number >= handlers.length || names[number] == null) {
            result = ZxStatus.ERR_BAD_SYSCALL;
        } else {
            SyscallHandler h = handlers[number];
            if (h == null) {
                result = ZxStatus.ERR_NOT_SUPPORTED;
            } else {
                try {
                    result = h.invoke(ctx, a0, a1, a2, a3, a4, a5, a6, a7);
                } catch (ZxException e) {
                    result = e.status();
                    // Job policy ZX_POL_BAD_HANDLE may raise an exception or kill (default: nothing).
                    if (result == ZxStatus.ERR_BAD_HANDLE) ctx.process().onBadHandle(ctx.thread());
                } catch (Throwable t) {
                    LOG.error("syscall {} ({}) failed inside the kernel", names[number], number, t);
                    result = ZxStatus.ERR_INTERNAL;
                }
            }
        }
        SyscallTracer tr = tracer;
        if (tr != null) {
            try {
                tr.onSyscall(ctx, number, nameOf(number), a0, a1, a2, a3, a4, a5, a6, a7, result);
            } catch (Throwable t) {
                LOG.warn("syscall tracer failed", t);
            }
        }
        // Killed: the thread exits here. Suspended: the runner parks here until resumed (a wait the
        // suspension interrupted returns INTR_RETRY, which the vDSO repeats after the resume).
        if (self != null && self.mustStop()) self.returnToUser();
        return result;
    }
}
