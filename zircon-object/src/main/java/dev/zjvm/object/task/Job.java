package dev.zjvm.object.task;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.exception.ChannelType;
import dev.zjvm.object.signal.Signals;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code zx_job}: a node of the task tree holding child jobs and processes.
 *
 * <p>Life cycle: RUNNING until killed; a killed job refuses new children, kills its subtree and
 * becomes DEAD (ZX_JOB_TERMINATED) once the last child is gone. A non-root job that has no
 * handles and no children is gone as well (Zircon removes such a job from its parent).
 *
 * <p>Locking: a job never calls into a child while holding its own lock; children report back
 * through {@link #childTerminated} without holding theirs.
 */
public final class Job extends Task {
    /** Maximum depth below the root job ({@code kMaxJobHeight}). */
    public static final int MAX_HEIGHT = 32;

    private enum State { RUNNING, KILLING, DEAD }

    private final Job parent;
    private final int depth;
    private final List<Job> jobs = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private State state = State.RUNNING;
    private long returnCode;
    private JobPolicy policy; // guarded by lock
    private boolean killOnOom; // guarded by lock

    private Job(Kernel kernel, Job parent) {
        super(kernel, ChannelType.JOB, ChannelType.JOB_DEBUGGER);
        this.parent = parent;
        this.depth = parent == null ? 0 : parent.depth + 1;
        this.policy = parent == null ? JobPolicy.ROOT : parent.policy();
        updateSignals(0, Signals.JOB_NO_JOBS | Signals.JOB_NO_PROCESSES);
    }

    /** The root job; created once by the boot code (it has no parent and never goes away on its own). */
    public static Job createRoot(Kernel kernel) {
        Job root = new Job(kernel, null);
        root.setName("root");
        return root;
    }

    @Override
    public ObjectType type() {
        return ObjectType.JOB;
    }

    @Override
    public long relatedKoid() {
        return parent == null ? 0 : parent.koid();
    }

    /** Parent job, null for the root. */
    public Job parent() {
        return parent;
    }

    @Override
    public Job job() {
        return parent;
    }

    /** The effective policy. */
    public JobPolicy policy() {
        synchronized (lock) {
            return policy;
        }
    }

    /**
     * {@code zx_job_set_policy}: replaces the policy by {@code change.apply(current)}.
     *
     * @throws ZxException BAD_STATE if the job has child jobs or processes, or what the change throws
     */
    public void updatePolicy(java.util.function.UnaryOperator<JobPolicy> change) {
        synchronized (lock) {
            if (!jobs.isEmpty() || !processes.isEmpty()) throw new ZxException(ZxStatus.ERR_BAD_STATE);
            policy = change.apply(policy);
        }
    }

    /** ZX_PROP_JOB_KILL_ON_OOM (recorded; nothing runs out of memory that way here). */
    public boolean killOnOom() {
        synchronized (lock) {
            return killOnOom;
        }
    }

    public void setKillOnOom(boolean value) {
        synchronized (lock) {
            killOnOom = value;
        }
    }

    /** True if this job is {@code task}'s job or one of its ancestors. */
    public boolean isAncestorOf(Task task) {
        for (Job j = task.job(); j != null; j = j.parent) if (j == this) return true;
        return false;
    }

    /** Distance from the root job (root = 0). */
    public int depth() {
        return depth;
    }

    /**
     * {@code zx_job_create}.
     *
     * @throws ZxException OUT_OF_RANGE at maximum depth, BAD_STATE if this job is killed or dead
     */
    public Job createChild() {
        if (depth >= MAX_HEIGHT) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE);
        Job child = new Job(kernel(), this);
        synchronized (lock) {
            if (state != State.RUNNING) throw new ZxException(ZxStatus.ERR_BAD_STATE);
            child.policy = policy; // under our lock: set_policy cannot slip in between
            jobs.add(child);
            updateSignals(Signals.JOB_NO_JOBS, 0);
        }
        return child;
    }

    /**
     * Creates a process in this job ({@code zx_process_create} minus the handles).
     *
     * @throws ZxException BAD_STATE if this job is killed or dead
     */
    public Process createProcess(byte[] name) {
        Process p = new Process(kernel(), this, name);
        synchronized (lock) {
            if (state != State.RUNNING) throw new ZxException(ZxStatus.ERR_BAD_STATE);
            processes.add(p);
            updateSignals(Signals.JOB_NO_PROCESSES, 0);
        }
        p.attachAddressSpace();
        return p;
    }

    public Process createProcess(String name) {
        return createProcess(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Live child jobs (snapshot). */
    public List<Job> childJobs() {
        synchronized (lock) {
            return List.copyOf(jobs);
        }
    }

    /** Live child processes (snapshot). */
    public List<Process> processes() {
        synchronized (lock) {
            return List.copyOf(processes);
        }
    }

    /** {@code zx_object_get_child}: a direct child job or process by koid, or null. */
    public Task child(long koid) {
        synchronized (lock) {
            for (Job j : jobs) if (j.koid() == koid) return j;
            for (Process p : processes) if (p.koid() == koid) return p;
        }
        return null;
    }

    public long returnCode() {
        synchronized (lock) {
            return returnCode;
        }
    }

    /** True once killed (no new children accepted). */
    public boolean isKilled() {
        synchronized (lock) {
            return state != State.RUNNING;
        }
    }

    @Override
    public boolean isDead() {
        synchronized (lock) {
            return state == State.DEAD;
        }
    }

    @Override
    public void kill() {
        kill(RETCODE_SYSCALL_KILL);
    }

    /** Kills the job with a given return code (a critical process's death, an OOM kill...). */
    public void kill(long code) {
        List<Task> children;
        synchronized (lock) {
            if (state != State.RUNNING) return;
            state = State.KILLING;
            returnCode = code;
            children = new ArrayList<>(jobs);
            children.addAll(processes);
        }
        for (Task t : children) t.kill();
        maybeTerminate();
    }

    /** A child job or process is dead. */
    void childTerminated(Task child) {
        boolean orphaned;
        synchronized (lock) {
            if (child instanceof Job j) {
                jobs.remove(j);
                if (jobs.isEmpty()) updateSignals(0, Signals.JOB_NO_JOBS);
            } else if (child instanceof Process p) {
                processes.remove(p);
                if (processes.isEmpty()) updateSignals(0, Signals.JOB_NO_PROCESSES);
            }
            orphaned = state == State.RUNNING && parent != null && jobs.isEmpty() && processes.isEmpty();
        }
        if (orphaned && handleCount() == 0) kill();
        else maybeTerminate();
    }

    @Override
    protected void onZeroHandles() {
        boolean empty;
        synchronized (lock) {
            empty = jobs.isEmpty() && processes.isEmpty();
        }
        if (empty && parent != null) kill();
    }

    private void maybeTerminate() {
        synchronized (lock) {
            if (state != State.KILLING || !jobs.isEmpty() || !processes.isEmpty()) return;
            state = State.DEAD;
            updateSignals(0, Signals.TASK_TERMINATED);
        }
        shutdownExceptionates();
        if (parent != null) parent.childTerminated(this);
    }
}
