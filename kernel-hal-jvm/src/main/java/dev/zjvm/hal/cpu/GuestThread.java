package dev.zjvm.hal.cpu;

import dev.zjvm.hal.signal.SignalShim;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One guest thread on one Java platform thread: runs its {@link UserContext} in a loop, handing each
 * syscall and trap to the {@link SyscallHandler}. Ends when the handler calls {@link #exit()}, after
 * {@link #kill()} at the next syscall boundary, on a trap the handler does not resume, or when the
 * handler throws.
 */
public final class GuestThread {
    private static final Logger LOG = LoggerFactory.getLogger(GuestThread.class);

    public enum ExitReason { EXITED, KILLED, TRAP, FAILED }

    private final UserContext context;
    private final SyscallHandler handler;
    private final SignalShim shim;
    private final Thread thread;
    private final CountDownLatch done = new CountDownLatch(1);
    private boolean exitRequested;                 // only touched on the guest's own thread
    private volatile boolean killRequested;
    private volatile ExitReason exitReason;
    private volatile Trap lastTrap;
    private volatile Throwable failure;

    private GuestThread(String name, UserContext context, SyscallHandler handler, SignalShim shim) {
        this.context = context;
        this.handler = handler;
        this.shim = shim;
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::loop);
    }

    static GuestThread start(String name, UserContext context, SyscallHandler handler, SignalShim shim) {
        GuestThread t = new GuestThread(name, context, handler, shim);
        t.thread.start();
        return t;
    }

    public UserContext context() { return context; }

    public String name() { return thread.getName(); }

    /** From the handler, on this guest thread: end the thread when the handler returns. */
    public void exit() {
        if (Thread.currentThread() != thread) throw new IllegalStateException("exit() must be called by the guest thread's handler");
        exitRequested = true;
    }

    /**
     * From any thread: end the guest thread at its next syscall boundary, and interrupt its Java thread
     * so a handler blocked in an interruptible wait returns. A guest that computes without syscalls
     * keeps running until its next syscall.
     */
    public void kill() {
        killRequested = true;
        thread.interrupt();
    }

    public boolean isKillRequested() { return killRequested; }

    /** Waits for the thread to end; true if it did within the timeout. */
    public boolean join(Duration timeout) throws InterruptedException {
        return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** null while running. */
    public ExitReason exitReason() { return exitReason; }

    /** The trap that ended the thread (or the last one resumed). */
    public Trap lastTrap() { return lastTrap; }

    /** What the handler threw, if the thread ended with {@link ExitReason#FAILED}. */
    public Throwable failure() { return failure; }

    private void loop() {
        ExitReason reason = ExitReason.FAILED;
        try {
            reason = runLoop();
        } catch (Throwable t) {
            failure = t;
            LOG.warn("guest thread {} failed", thread.getName(), t);
        } finally {
            try {
                context.releaseDebugRegisters();       // before the signal stack goes
                ThreadBinding.releaseCurrentThread(shim);
            } catch (RuntimeException e) {
                LOG.warn("guest thread {}: releasing its signal stack failed", thread.getName(), e);
            }
            exitReason = reason;
            done.countDown();
        }
    }

    private ExitReason runLoop() {
        UserContext ctx = context;
        if (!handler.onStart(this)) return ExitReason.EXITED;
        for (;;) {
            if (killRequested) return ExitReason.KILLED;
            RunResult r = ctx.run();
            if (r instanceof SyscallExit call) {
                long value = handler.onSyscall(this, call);
                if (exitRequested) return ExitReason.EXITED;
                ctx.setSyscallResult(value);
                Trap step = ctx.takeSyscallStep();       // a single step that ended in this call
                if (step != null) {
                    lastTrap = step;
                    if (handler.onTrap(this, step) != SyscallHandler.TrapAction.RESUME) return ExitReason.TRAP;
                    if (exitRequested) return ExitReason.EXITED;
                    ctx.requestExactResume();
                }
            } else if (r instanceof Trap trap) {
                lastTrap = trap;
                if (handler.onTrap(this, trap) != SyscallHandler.TrapAction.RESUME) return ExitReason.TRAP;
                if (exitRequested) return ExitReason.EXITED;
                ctx.requestExactResume();
            }
        }
    }
}
