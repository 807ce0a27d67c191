package dev.zjvm.object.task;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.signal.Signals;

/**
 * {@code zx_thread}: one guest thread, executed by one Java thread (its runner).
 *
 * <p>States follow {@link ThreadState}: NEW → RUNNING (BLOCKED_* while inside a blocking call) →
 * DYING (kill requested, runner not yet out of the kernel) → DEAD. A kill wakes a blocked
 * runner with {@link ZxStatus#ERR_INTERNAL_INTR_KILLED}; the runner then leaves the syscall and
 * calls {@link #exit()}. A thread with no runner (never bound) dies at once when killed.
 *
 * <p>As the {@link BlockingContext} of its runner, the thread makes every {@link Waiter} wait
 * killable.
 */
public final class Thread extends Task implements BlockingContext {
    private final Process process;
    private int state = ThreadState.NEW; // guarded by lock
    private volatile boolean dying; // written under lock: kill requested or exit in progress
    private Waiter blockedOn; // guarded by lock
    private java.lang.Thread runner; // guarded by lock
    private ThreadLauncher.StartInfo startInfo;
    // Set through ZX_PROP_REGISTER_FS/GS by the thread itself; the runner loads them into the CPU.
    private volatile long fsBase;
    private volatile long gsBase;

    Thread(Kernel kernel, Process process, byte[] name) {
        super(kernel);
        this.process = process;
        setName(name);
    }

    @Override
    public ObjectType type() {
        return ObjectType.THREAD;
    }

    @Override
    public long relatedKoid() {
        return process.koid();
    }

    public Process process() {
        return process;
    }

    /** The current {@link ThreadState} value. */
    public int state() {
        synchronized (lock) {
            return state;
        }
    }

    /** Registers of the start call, null before start. */
    public ThreadLauncher.StartInfo startInfo() {
        synchronized (lock) {
            return startInfo;
        }
    }

    /** x86-64 FS base the guest asked for ({@code ZX_PROP_REGISTER_FS}); the runner applies it. */
    public long fsBase() {
        return fsBase;
    }

    public void setFsBase(long value) {
        fsBase = value;
    }

    /** x86-64 GS base ({@code ZX_PROP_REGISTER_GS}). */
    public long gsBase() {
        return gsBase;
    }

    public void setGsBase(long value) {
        gsBase = value;
    }

    /** True once a kill was requested (or exit began): the runner must leave at the syscall boundary. */
    public boolean isDying() {
        return dying; // volatile: checked after every syscall, so no lock
    }

    @Override
    public boolean isDead() {
        return state() == ThreadState.DEAD;
    }

    /**
     * {@code zx_thread_start} (and the first thread of {@code zx_process_start}).
     *
     * @throws ZxException BAD_STATE if already started or the process is not running
     */
    public void start(long entry, long stack, long arg1, long arg2) {
        if (!process.isRunning()) throw new ZxException(ZxStatus.ERR_BAD_STATE);
        ThreadLauncher.StartInfo info = new ThreadLauncher.StartInfo(entry, stack, arg1, arg2);
        synchronized (lock) {
            if (state != ThreadState.NEW || dying) throw new ZxException(ZxStatus.ERR_BAD_STATE);
            state = ThreadState.RUNNING;
            startInfo = info;
            updateSignals(0, Signals.THREAD_RUNNING);
        }
        ThreadLauncher launcher = kernel().findService(ThreadLauncher.class);
        if (launcher != null) launcher.launch(this, info);
    }

    /**
     * Makes the calling Java thread the runner of this guest thread (launchers and test harnesses).
     *
     * @return false if the thread is dying or dead: run nothing
     */
    public boolean bindCurrent() {
        synchronized (lock) {
            if (dying || state == ThreadState.DEAD) return false;
            runner = java.lang.Thread.currentThread();
            return true;
        }
    }

    @Override
    public void kill() {
        boolean exitNow;
        synchronized (lock) {
            if (dying || state == ThreadState.DEAD) return;
            dying = true;
            exitNow = runner == null;
            if (!exitNow) {
                state = ThreadState.DYING;
                if (blockedOn != null) blockedOn.wake(ZxStatus.ERR_INTERNAL_INTR_KILLED);
            }
        }
        if (exitNow) exit();
    }

    /**
     * {@code zx_thread_exit}, or the runner leaving after a kill: the thread becomes DEAD and
     * asserts ZX_THREAD_TERMINATED. Idempotent. Called by the runner (or by {@link #kill} when
     * there is none).
     */
    public void exit() {
        synchronized (lock) {
            if (state == ThreadState.DEAD) return;
            dying = true;
            state = ThreadState.DEAD;
            runner = null;
            updateSignals(Signals.THREAD_RUNNING | Signals.THREAD_SUSPENDED, Signals.TASK_TERMINATED);
        }
        process.threadExited(this);
    }

    @Override
    public int enterBlocking(Waiter waiter, int blockedState) {
        synchronized (lock) {
            if (dying) return ZxStatus.ERR_INTERNAL_INTR_KILLED;
            blockedOn = waiter;
            if (state == ThreadState.RUNNING) state = blockedState;
            return ZxStatus.OK;
        }
    }

    @Override
    public void exitBlocking(Waiter waiter) {
        synchronized (lock) {
            if (blockedOn == waiter) blockedOn = null;
            if (ThreadState.isBlocked(state)) state = ThreadState.RUNNING;
        }
    }
}
