package dev.zjvm.object.task;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.exception.ChannelType;
import dev.zjvm.object.exception.ExceptionReport;
import dev.zjvm.object.exception.ExceptionType;
import dev.zjvm.object.exception.Exceptions;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.handle.HandleTable;
import dev.zjvm.object.signal.Signals;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code zx_process}: a handle table, an address space and threads.
 *
 * <p>Life cycle: NEW (created, no thread started) → RUNNING ({@link #start}) → DYING (exit or
 * kill requested; threads are being killed) → DEAD (all threads dead: handles closed, address
 * space destroyed, ZX_PROCESS_TERMINATED asserted, removed from the job). A process whose last
 * thread exits on its own ends with return code 0; a NEW process whose last handle is closed is
 * killed.
 */
public final class Process extends Task {
    /** Process states (not ABI values; {@code zx_info_process_t} reports started/exited flags). */
    public enum State { NEW, RUNNING, DYING, DEAD }

    private final Job job;
    private final HandleTable handles;
    private final List<Thread> threads = new ArrayList<>();
    private State state = State.NEW;
    private long returnCode;
    private volatile ProcessAddressSpace addressSpace;
    private volatile int suspendCount; // written under lock
    private Thread firstThread; // guarded by lock
    private Job criticalTo; // guarded by lock
    private boolean criticalOnNonzeroOnly; // guarded by lock
    private long debugAddress; // guarded by lock: ZX_PROP_PROCESS_DEBUG_ADDR
    private long breakOnLoad; // guarded by lock: ZX_PROP_PROCESS_BREAK_ON_LOAD
    private long vdsoBase; // guarded by lock: ZX_PROP_PROCESS_VDSO_BASE_ADDRESS

    Process(Kernel kernel, Job job, byte[] name) {
        super(kernel, ChannelType.PROCESS, ChannelType.DEBUGGER);
        this.job = job;
        this.handles = new HandleTable(kernel.randomLong());
        setName(name);
    }

    /**
     * Gives this process its address space: from the installed factory, else from the VM code's
     * default (every process has a root VMAR, as in Zircon).
     */
    void attachAddressSpace() {
        ProcessAddressSpace.Factory f = kernel().findService(ProcessAddressSpace.Factory.class);
        if (f == null) f = kernel().service(DefaultAddressSpaces.class, DefaultAddressSpaces::load).factory();
        addressSpace = f.create(this);
    }

    @Override
    public ObjectType type() {
        return ObjectType.PROCESS;
    }

    @Override
    public long relatedKoid() {
        return job.koid();
    }

    @Override
    public Job job() {
        return job;
    }

    public HandleTable handleTable() {
        return handles;
    }

    /** The address space (null only before the process is fully created). */
    public ProcessAddressSpace addressSpace() {
        return addressSpace;
    }

    public State state() {
        synchronized (lock) {
            return state;
        }
    }

    public long returnCode() {
        synchronized (lock) {
            return returnCode;
        }
    }

    @Override
    public boolean isDead() {
        return state() == State.DEAD;
    }

    /** Live threads (snapshot). */
    public List<Thread> threads() {
        synchronized (lock) {
            return List.copyOf(threads);
        }
    }

    /** A live thread of this process by koid, or null ({@code zx_object_get_child}). */
    public Thread thread(long koid) {
        synchronized (lock) {
            for (Thread t : threads) if (t.koid() == koid) return t;
        }
        return null;
    }

    /**
     * {@code zx_thread_create}.
     *
     * @throws ZxException BAD_STATE if the process is dying or dead
     */
    public Thread createThread(byte[] name) {
        Thread t = new Thread(kernel(), this, name);
        synchronized (lock) {
            if (state == State.DYING || state == State.DEAD) throw new ZxException(ZxStatus.ERR_BAD_STATE);
            threads.add(t);
        }
        return t;
    }

    public Thread createThread(String name) {
        return createThread(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * {@code zx_process_start}: installs {@code arg1} (may be null) in this process's table, starts
     * the first thread with arg1's new value and {@code arg2}.
     *
     * @return the value of arg1 in this process (0 if none)
     * @throws ZxException ACCESS_DENIED if the thread belongs to another process, BAD_STATE if the
     *     process or the thread was already started (arg1 is destroyed on every error)
     */
    public int start(Thread thread, long entry, long stack, Handle arg1, long arg2) {
        try {
            if (thread.process() != this) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED);
            synchronized (lock) {
                if (state != State.NEW) throw new ZxException(ZxStatus.ERR_BAD_STATE);
                if (thread.state() != ThreadState.NEW) throw new ZxException(ZxStatus.ERR_BAD_STATE);
                state = State.RUNNING;
                firstThread = thread;
            }
        } catch (ZxException e) {
            if (arg1 != null) arg1.destroy();
            throw e;
        }
        int value = arg1 == null ? 0 : handles.add(arg1);
        thread.start(entry, stack, Integer.toUnsignedLong(value), arg2);
        return value;
    }

    /** The thread started by {@link #start}, or null. */
    public Thread firstThread() {
        synchronized (lock) {
            return firstThread;
        }
    }

    /** True once {@link #start} succeeded ({@code zx_info_process_t.started}). */
    public boolean isStarted() {
        synchronized (lock) {
            return firstThread != null;
        }
    }

    // ---- suspension ----

    /** Live suspend tokens on the process (every thread counts them as its own). */
    int suspendCount() {
        return suspendCount;
    }

    @Override
    public SuspendToken suspend() {
        List<Thread> victims;
        synchronized (lock) {
            if (state == State.DYING || state == State.DEAD) throw new ZxException(ZxStatus.ERR_BAD_STATE);
            suspendCount++;
            victims = new ArrayList<>(threads);
        }
        SuspendToken token = new SuspendToken(kernel(), this);
        for (Thread t : victims) t.suspensionChanged();
        return token;
    }

    @Override
    void resume() {
        List<Thread> victims;
        synchronized (lock) {
            if (suspendCount > 0) suspendCount--;
            victims = new ArrayList<>(threads);
        }
        for (Thread t : victims) t.suspensionChanged();
    }

    // ---- properties ----

    /** {@code ZX_PROP_PROCESS_DEBUG_ADDR} (the dynamic linker's debug structure). */
    public long debugAddress() {
        synchronized (lock) {
            return debugAddress;
        }
    }

    public void setDebugAddress(long value) {
        synchronized (lock) {
            debugAddress = value;
        }
    }

    public long breakOnLoad() {
        synchronized (lock) {
            return breakOnLoad;
        }
    }

    public void setBreakOnLoad(long value) {
        synchronized (lock) {
            breakOnLoad = value;
        }
    }

    /** Where the vDSO is mapped (recorded by whoever maps it; 0 if none). */
    public long vdsoBase() {
        synchronized (lock) {
            return vdsoBase;
        }
    }

    public void setVdsoBase(long value) {
        synchronized (lock) {
            vdsoBase = value;
        }
    }

    // ---- job policy ----

    /**
     * Applies the job policy for {@code condition} on behalf of {@code caller} (a thread of this
     * process, or null for kernel-internal callers): ALLOW passes; ALLOW_EXCEPTION raises
     * ZX_EXCP_POLICY_ERROR then passes; DENY fails; DENY_EXCEPTION raises then fails; KILL kills
     * the process and fails.
     *
     * @throws ZxException ACCESS_DENIED when the action denies
     */
    public void enforcePolicy(int condition, Thread caller) {
        int action = job.policy().action(condition);
        switch (action) {
            case JobPolicy.ALLOW -> { }
            case JobPolicy.DENY -> throw new ZxException(ZxStatus.ERR_ACCESS_DENIED);
            case JobPolicy.ALLOW_EXCEPTION, JobPolicy.DENY_EXCEPTION -> {
                if (caller != null && caller.isCurrent()) {
                    Exceptions.raise(caller, new ExceptionReport(ExceptionType.POLICY_ERROR, 0, condition, 0));
                }
                if (action == JobPolicy.DENY_EXCEPTION) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED);
            }
            default -> {
                exit(RETCODE_POLICY_KILL);
                throw new ZxException(ZxStatus.ERR_ACCESS_DENIED);
            }
        }
    }

    /**
     * A syscall of {@code caller} used a handle value that is not in this process's table: applies
     * the ZX_POL_BAD_HANDLE action (exception and/or kill). The call still fails with BAD_HANDLE.
     */
    public void onBadHandle(Thread caller) {
        try {
            enforcePolicy(JobPolicy.BAD_HANDLE, caller);
        } catch (ZxException ignored) {
            // DENY adds nothing to the BAD_HANDLE the caller gets anyway
        }
    }

    // ---- critical ----

    /**
     * {@code zx_job_set_critical}: when this process dies (with a non-zero code if
     * {@code nonzeroOnly}), {@code job} is killed.
     *
     * @throws ZxException INVALID_ARGS if {@code job} is not this process's job or an ancestor,
     *     ALREADY_BOUND if the process is already critical
     */
    public void setCriticalTo(Job target, boolean nonzeroOnly) {
        if (!target.isAncestorOf(this)) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        synchronized (lock) {
            if (criticalTo != null) throw new ZxException(ZxStatus.ERR_ALREADY_BOUND);
            criticalTo = target;
            criticalOnNonzeroOnly = nonzeroOnly;
        }
    }

    /** True while a process debugger channel is bound ({@code zx_info_process_t.debugger_attached}). */
    public boolean isDebuggerAttached() {
        return debugExceptionate().isBound();
    }

    /** True while {@code zx_thread_start} may start threads. */
    boolean isRunning() {
        synchronized (lock) {
            return state == State.RUNNING;
        }
    }

    /**
     * {@code zx_process_exit}: records the return code and kills every thread; the process is
     * dead once they are. A second exit or kill keeps the first return code.
     */
    public void exit(long code) {
        List<Thread> victims;
        synchronized (lock) {
            if (state == State.DYING || state == State.DEAD) return;
            state = State.DYING;
            returnCode = code;
            victims = new ArrayList<>(threads);
        }
        for (Thread t : victims) t.kill();
        maybeFinish();
    }

    @Override
    public void kill() {
        exit(RETCODE_SYSCALL_KILL);
    }

    /** A thread is dead. */
    void threadExited(Thread t) {
        synchronized (lock) {
            threads.remove(t);
            if (!threads.isEmpty()) return;
            if (state == State.RUNNING) {
                state = State.DYING; // last thread left on its own: return code stays 0
            }
        }
        maybeFinish();
    }

    @Override
    protected void onZeroHandles() {
        if (state() == State.NEW) kill();
    }

    private void maybeFinish() {
        synchronized (lock) {
            if (state != State.DYING || !threads.isEmpty()) return;
            state = State.DEAD;
        }
        // Outside the lock: closing handles runs other objects' code (peer closed, child kills).
        handles.closeAll();
        ProcessAddressSpace as = addressSpace;
        if (as != null) as.destroy();
        shutdownExceptionates();
        updateSignals(0, Signals.TASK_TERMINATED);
        Job critical;
        long code;
        synchronized (lock) {
            critical = criticalTo;
            code = returnCode;
            if (critical != null && criticalOnNonzeroOnly && code == 0) critical = null;
        }
        job.childTerminated(this);
        if (critical != null) critical.kill(RETCODE_CRITICAL_PROCESS_KILL);
    }
}
