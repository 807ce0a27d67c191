package dev.zjvm.object.task;

import dev.zjvm.hal.host.HostCpus;
import dev.zjvm.hal.host.HostScheduling;
import dev.zjvm.hal.host.HostThreads;
import dev.zjvm.object.Kernel;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.exception.ChannelType;
import dev.zjvm.object.exception.ExceptionReport;
import dev.zjvm.object.signal.Signals;

/**
 * {@code zx_thread}: one guest thread, executed by one Java thread (its runner).
 *
 * <p>States follow {@link ThreadState}: NEW → RUNNING (BLOCKED_* while inside a blocking call,
 * SUSPENDED while stopped by a suspend token) → DYING (kill requested, runner not yet out of the
 * kernel) → DEAD. A kill wakes a blocked runner with {@link ZxStatus#ERR_INTERNAL_INTR_KILLED};
 * the runner then leaves the syscall and calls {@link #exit()}. A thread with no runner (never
 * bound) dies at once when killed and is suspended at once when suspended.
 *
 * <p>Suspension acts at the syscall boundary: the runner calls {@link #returnToUser()} before
 * every entry into guest code and parks there while suspended. A suspend request interrupts a
 * blocking wait with {@link ZxStatus#ERR_INTERNAL_INTR_RETRY} (the vDSO repeats the call after the
 * resume); waits for an exception handler are not interrupted (the thread stops once the
 * exception is resolved).
 *
 * <p>As the {@link BlockingContext} of its runner, the thread makes every {@link Waiter} wait
 * killable and suspendable.
 */
public final class Thread extends Task implements BlockingContext {
    private final Process process;
    private int state = ThreadState.NEW; // guarded by lock
    private volatile boolean dying; // written under lock: kill requested or exit in progress
    private Waiter blockedOn; // guarded by lock
    private int blockedState; // guarded by lock: the BLOCKED_* state of blockedOn
    private java.lang.Thread runner; // guarded by lock
    private int hostTid; // guarded by lock: Linux TID of the runner, 0 when there is none
    private long hostTimeAtBind; // guarded by lock: the runner's CPU time when it became the runner
    private ThreadRuntime finalRuntime = ThreadRuntime.NEVER_RAN; // guarded by lock: measured as the runner left
    private ThreadSchedule schedule = ThreadSchedule.DEFAULT; // guarded by lock
    private HostScheduling.Saved hostSchedulingBefore; // guarded by lock: the runner's own, to restore
    private boolean launched; // guarded by lock: a launcher will bind a runner (it may not have yet)
    private ThreadLauncher.StartInfo startInfo;
    private volatile int suspendCount; // written under lock: live suspend tokens on this thread
    private ThreadRegisters registers; // guarded by lock
    private ExceptionReport exception; // guarded by lock: the exception being handled, or null
    private int exceptionChannel = ChannelType.NONE; // guarded by lock
    // Set through ZX_PROP_REGISTER_FS/GS by the thread itself; also applied to the registers if attached.
    private volatile long fsBase;
    private volatile long gsBase;

    Thread(Kernel kernel, Process process, byte[] name) {
        super(kernel, ChannelType.THREAD, ChannelType.NONE);
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

    @Override
    public Job job() {
        return process.job();
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
        ThreadLauncher launcher = kernel().findService(ThreadLauncher.class);
        synchronized (lock) {
            if (state != ThreadState.NEW || dying) throw new ZxException(ZxStatus.ERR_BAD_STATE);
            startInfo = info;
            launched = launcher != null;
            if (isSuspendRequested() && !launched) { // a launched runner stops itself
                state = ThreadState.SUSPENDED;
                updateSignals(0, Signals.THREAD_SUSPENDED);
            } else {
                state = ThreadState.RUNNING;
                updateSignals(0, Signals.THREAD_RUNNING);
            }
        }
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
            hostTid = HostThreads.currentTid();
            hostTimeAtBind = Math.max(0, HostThreads.cpuTimeNanos(hostTid));
            if (!schedule.equals(ThreadSchedule.DEFAULT)) applySchedule();
            return true;
        }
    }

    /** Linux TID of the host thread running this thread, or 0 if none (not started, or dead). */
    public int hostTid() {
        synchronized (lock) {
            return hostTid;
        }
    }

    /**
     * CPU time and last CPU of the runner, read from the host now (the lock keeps the runner from
     * leaving, so the TID still names it); after death, what was measured as it left.
     */
    public ThreadRuntime runtime() {
        synchronized (lock) {
            return hostTid != 0 ? measure() : finalRuntime;
        }
    }

    /** Caller holds the lock and the runner's TID is set. */
    private ThreadRuntime measure() {
        long nanos = HostThreads.cpuTimeNanos(hostTid);
        if (nanos < 0) return finalRuntime; // the runner is gone without exit(): keep what is known
        return new ThreadRuntime(Math.max(0, nanos - hostTimeAtBind), HostThreads.lastCpu(hostTid));
    }

    /** The scheduling parameters profiles have set (the default if none). */
    public ThreadSchedule schedule() {
        synchronized (lock) {
            return schedule;
        }
    }

    /**
     * Applies a profile's parameters ({@code zx_object_set_profile}) to the host thread that runs
     * this one, now or when its runner starts.
     *
     * @throws ZxException BAD_STATE if the thread is not started, dying or dead
     */
    public void updateSchedule(java.util.function.UnaryOperator<ThreadSchedule> change) {
        synchronized (lock) {
            if (state == ThreadState.NEW || dying || state == ThreadState.DEAD) throw new ZxException(ZxStatus.ERR_BAD_STATE);
            schedule = change.apply(schedule);
            if (hostTid != 0) applySchedule();
        }
    }

    /**
     * Caller holds the lock and the runner's TID is set (the lock keeps it from exiting). The
     * runner's own settings are saved first and put back when it leaves, so a Java thread that
     * ran a guest thread goes back to the JVM unchanged. If Linux refuses a deadline (admission
     * control, a restricted affinity), the thread gets the best fair share instead.
     */
    private void applySchedule() {
        if (hostSchedulingBefore == null) {
            hostSchedulingBefore = HostScheduling.save(hostTid);
            if (hostSchedulingBefore == null) return; // the host shows nothing to restore: change nothing
        }
        int[] cpus = schedule.hostCpus(HostCpus.guestCpus());
        if (HostScheduling.apply(hostTid, schedule.hostPolicy(), cpus) || schedule.deadline() == null) return;
        HostScheduling.apply(hostTid, HostScheduling.Policy.fair(HostScheduling.NICE_MIN), cpus);
    }

    /** True when the calling Java thread is this thread's runner. */
    public boolean isCurrent() {
        synchronized (lock) {
            return runner == java.lang.Thread.currentThread();
        }
    }

    /**
     * Attaches the register view of the runner ({@code zx_thread_read_state}/{@code write_state}
     * use it while the thread is stopped). Called by the runner after {@link #bindCurrent()}.
     */
    public void attachRegisters(ThreadRegisters regs) {
        synchronized (lock) {
            registers = regs;
        }
    }

    // ---- the syscall boundary ----

    /**
     * Called by the runner before every entry into guest code (first run, after each syscall,
     * after an exception): parks while the thread is suspended, and ends the thread if it was
     * killed.
     *
     * @return true to run the guest, false if the thread is now dead (the runner must stop)
     */
    public boolean returnToUser() {
        synchronized (lock) {
            // Only the runner parks; anyone else (a kernel-internal caller) just learns the state.
            boolean mayPark = runner == java.lang.Thread.currentThread();
            while (mayPark && isSuspendRequested() && !dying) {
                if (state != ThreadState.SUSPENDED) {
                    state = ThreadState.SUSPENDED;
                    updateSignals(Signals.THREAD_RUNNING, Signals.THREAD_SUSPENDED);
                }
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    // Kernel shutdown: treat as a kill, as Waiter does; keep the flag for the runner.
                    java.lang.Thread.currentThread().interrupt();
                    break;
                }
            }
            if (!dying && !java.lang.Thread.currentThread().isInterrupted()) {
                if (state == ThreadState.SUSPENDED) {
                    if (registers != null) registers.stopEnded();
                    state = ThreadState.RUNNING;
                    updateSignals(Signals.THREAD_SUSPENDED, Signals.THREAD_RUNNING);
                }
                return true;
            }
        }
        exit();
        return false;
    }

    /**
     * Lock-free check for the syscall path: true when the runner must go through
     * {@link #returnToUser()} before resuming the guest (killed, or suspended).
     */
    public boolean mustStop() {
        return dying || suspendCount > 0 || process.suspendCount() > 0;
    }

    // ---- suspension ----

    /** Suspend requested by a token on this thread or on its process. Caller holds the lock. */
    private boolean isSuspendRequested() {
        return suspendCount > 0 || process.suspendCount() > 0;
    }

    @Override
    public SuspendToken suspend() {
        synchronized (lock) {
            if (dying || state == ThreadState.DEAD) throw new ZxException(ZxStatus.ERR_BAD_STATE);
            suspendCount++;
        }
        SuspendToken token = new SuspendToken(kernel(), this);
        suspensionChanged();
        return token;
    }

    @Override
    void resume() {
        synchronized (lock) {
            if (suspendCount > 0) suspendCount--;
        }
        suspensionChanged();
    }

    /**
     * The thread's or the process's suspend count changed: interrupt a wait, stop a runnerless
     * thread at once, or let a parked runner go.
     */
    void suspensionChanged() {
        synchronized (lock) {
            if (dying || state == ThreadState.DEAD || state == ThreadState.NEW) return;
            boolean suspend = isSuspendRequested();
            if (runner == null && !launched) {
                // Nothing executes this thread: it is "at the boundary" all the time.
                if (suspend && state == ThreadState.RUNNING) {
                    state = ThreadState.SUSPENDED;
                    updateSignals(Signals.THREAD_RUNNING, Signals.THREAD_SUSPENDED);
                } else if (!suspend && state == ThreadState.SUSPENDED) {
                    state = ThreadState.RUNNING;
                    updateSignals(Signals.THREAD_SUSPENDED, Signals.THREAD_RUNNING);
                }
                return;
            }
            if (suspend && registers != null) registers.stopRequested();
            if (suspend && blockedOn != null && blockedState != ThreadState.BLOCKED_EXCEPTION) {
                blockedOn.wake(ZxStatus.ERR_INTERNAL_INTR_RETRY);
            }
            lock.notifyAll();
        }
    }

    // ---- kill and exit ----

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
                lock.notifyAll(); // a runner parked in returnToUser
            }
        }
        if (exitNow) exit();
    }

    /**
     * {@code zx_thread_exit}, or the runner leaving after a kill: the thread becomes DEAD and
     * asserts ZX_THREAD_TERMINATED. Idempotent. Called by the runner (or by {@link #kill} when
     * there is none). When called by the runner, a process debugger first gets
     * ZX_EXCP_THREAD_EXITING.
     */
    public void exit() {
        boolean byRunner;
        synchronized (lock) {
            if (state == ThreadState.DEAD) return;
            dying = true;
            byRunner = runner == java.lang.Thread.currentThread();
            if (byRunner) state = ThreadState.DYING;
        }
        if (byRunner) dev.zjvm.object.exception.Exceptions.threadExiting(this);
        synchronized (lock) {
            if (state == ThreadState.DEAD) return;
            state = ThreadState.DEAD;
            if (byRunner) finalRuntime = measure(); // the TID may be reused once the runner is gone
            if (byRunner && hostSchedulingBefore != null) HostScheduling.restore(hostTid, hostSchedulingBefore);
            hostSchedulingBefore = null;
            hostTid = 0;
            runner = null;
            registers = null;
            updateSignals(Signals.THREAD_RUNNING | Signals.THREAD_SUSPENDED, Signals.TASK_TERMINATED);
        }
        shutdownExceptionates();
        process.threadExited(this);
    }

    // ---- blocking ----

    @Override
    public int enterBlocking(Waiter waiter, int blockedState) {
        synchronized (lock) {
            if (dying) return ZxStatus.ERR_INTERNAL_INTR_KILLED;
            boolean exceptionWait = blockedState == ThreadState.BLOCKED_EXCEPTION;
            if (!exceptionWait && runner != null && isSuspendRequested()) return ZxStatus.ERR_INTERNAL_INTR_RETRY;
            blockedOn = waiter;
            this.blockedState = blockedState;
            if (state == ThreadState.RUNNING || exceptionWait) state = blockedState;
            return ZxStatus.OK;
        }
    }

    @Override
    public void exitBlocking(Waiter waiter) {
        synchronized (lock) {
            if (blockedOn == waiter) blockedOn = null;
            // Between two handlers' turns the thread stays in the exception.
            boolean inException = exception != null && state == ThreadState.BLOCKED_EXCEPTION;
            if (ThreadState.isBlocked(state) && !inException) state = ThreadState.RUNNING;
        }
    }

    // ---- exceptions ----

    /**
     * Marks the thread as in an exception (or out of it with null): register access is allowed
     * meanwhile and {@code ZX_INFO_THREAD_EXCEPTION_REPORT} reports it. Used by the exception code.
     */
    public void setException(ExceptionReport report) {
        synchronized (lock) {
            exception = report;
            // Set before the first message goes out, so a handler never sees the thread RUNNING.
            if (report != null && state == ThreadState.RUNNING) state = ThreadState.BLOCKED_EXCEPTION;
            if (report == null) {
                exceptionChannel = ChannelType.NONE;
                if (state == ThreadState.BLOCKED_EXCEPTION) state = ThreadState.RUNNING;
            }
        }
    }

    /** Records which channel type the exception is waiting on (ZX_INFO_THREAD). */
    public void setExceptionChannel(int channelType) {
        synchronized (lock) {
            exceptionChannel = channelType;
        }
    }

    /** The exception being handled, or null. */
    public ExceptionReport exceptionReport() {
        synchronized (lock) {
            return exception;
        }
    }

    /** {@code zx_info_thread_t.wait_exception_channel_type}. */
    public int waitExceptionChannelType() {
        synchronized (lock) {
            return exceptionChannel;
        }
    }

    // ---- registers ----

    /** Caller holds the lock: registers may be touched only while the runner is stopped. */
    private ThreadRegisters stoppedRegisters() {
        boolean stopped = state == ThreadState.SUSPENDED || (exception != null && !dying);
        if (!stopped) throw new ZxException(ZxStatus.ERR_BAD_STATE);
        if (registers == null) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
        return registers;
    }

    /**
     * {@code zx_thread_read_state} of the general registers.
     *
     * @throws ZxException BAD_STATE unless suspended or in an exception, NOT_SUPPORTED without a register view
     */
    public GeneralRegs readGeneralRegs() {
        synchronized (lock) {
            return stoppedRegisters().readGeneral();
        }
    }

    /**
     * {@code zx_thread_write_state} of the general registers: rip, fs and gs base must be
     * canonical; only the user-changeable rflags bits are taken.
     *
     * @throws ZxException INVALID_ARGS for bad values, BAD_STATE, NOT_SUPPORTED
     */
    public void writeGeneralRegs(GeneralRegs regs) {
        if (!GeneralRegs.isCanonical(regs.rip()) || !GeneralRegs.isCanonical(regs.fsBase())
                || !GeneralRegs.isCanonical(regs.gsBase())) {
            throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        }
        synchronized (lock) {
            ThreadRegisters r = stoppedRegisters();
            long old = r.readGeneral().rflags();
            long flags = (old & ~GeneralRegs.USER_FLAGS) | (regs.rflags() & GeneralRegs.USER_FLAGS);
            r.writeGeneral(regs.withRflags(flags));
        }
    }

    /** x86-64 FS base last set through {@code ZX_PROP_REGISTER_FS}. */
    public long fsBase() {
        return fsBase;
    }

    /** Records an FS base; {@link #setOwnSegmentBase} also loads it into the runner's registers. */
    public void setFsBase(long value) {
        fsBase = value;
    }

    /** x86-64 GS base last set through {@code ZX_PROP_REGISTER_GS}. */
    public long gsBase() {
        return gsBase;
    }

    public void setGsBase(long value) {
        gsBase = value;
    }

    /**
     * {@code ZX_PROP_REGISTER_FS}/{@code _GS} on the calling thread (inside one of its syscalls):
     * records the value and, when the runner attached its registers, loads it for the return to
     * the guest (a runner that owns gs may ignore a GS value).
     *
     * @throws ZxException INVALID_ARGS for a non-canonical address
     */
    public void setOwnSegmentBase(boolean fs, long value) {
        if (!GeneralRegs.isCanonical(value)) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        synchronized (lock) {
            if (registers != null && runner == java.lang.Thread.currentThread()) {
                if (fs) registers.setFsBase(value);
                else if (!registers.setGsBase(value)) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
            }
            if (fs) fsBase = value;
            else gsBase = value;
        }
    }

    /** An extended register kind, or null if the runner does not keep it. @throws ZxException BAD_STATE */
    public byte[] readExtendedRegs(int kind) {
        synchronized (lock) {
            return stoppedRegisters().readExtended(kind);
        }
    }

    /** @return false if the runner does not support the kind. @throws ZxException BAD_STATE */
    public boolean writeExtendedRegs(int kind, byte[] state) {
        synchronized (lock) {
            return stoppedRegisters().writeExtended(kind, state);
        }
    }
}
