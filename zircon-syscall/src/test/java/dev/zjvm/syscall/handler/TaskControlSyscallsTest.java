package dev.zjvm.syscall.handler;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.ObjectType;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.exception.ExceptionObject;
import dev.zjvm.object.exception.ExceptionReport;
import dev.zjvm.object.exception.ExceptionType;
import dev.zjvm.object.exception.Exceptions;
import dev.zjvm.object.exception.Resolution;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.ipc.Channel;
import dev.zjvm.object.ipc.ChannelRead;
import dev.zjvm.object.signal.Signals;
import dev.zjvm.object.task.Job;
import dev.zjvm.object.task.JobPolicy;
import dev.zjvm.object.task.Process;
import dev.zjvm.object.task.Task;
import dev.zjvm.object.task.Thread;
import dev.zjvm.object.task.ThreadState;
import dev.zjvm.object.task.Waiter;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.testing.ErrorChecks;
import dev.zjvm.syscall.testing.SyscallHarness;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TaskControlSyscallsTest {
    private final SyscallHarness h = new SyscallHarness();

    /** A started, runnerless thread of the harness process; returns its handle value. */
    private int otherThread() {
        Thread t = h.process.createThread("other");
        t.start(0, 0, 0, 0);
        return h.install(t);
    }

    /** A fresh unstarted process in the harness job. */
    private int newProcess() {
        return h.install(h.job.createProcess("p"));
    }

    private int newJob() {
        return h.install(h.job.createChild());
    }

    // ---- task_kill ----

    @Test
    void killThreadProcessAndJob() {
        int t = otherThread();
        assertEquals(ZxStatus.OK, h.status("task_kill", t));
        assertTrue(h.object(t, Thread.class).isDead());
        int p = newProcess();
        assertEquals(ZxStatus.OK, h.status("task_kill", p));
        assertEquals(Task.RETCODE_SYSCALL_KILL, h.object(p, Process.class).returnCode());
        int j = newJob();
        assertEquals(ZxStatus.OK, h.status("task_kill", j));
        assertTrue(h.object(j, Job.class).isDead());
        ErrorChecks.of(h, "task_kill").handle(0, this::newProcess, Rights.DESTROY).run();
    }

    @Test
    void killingAJobWakesEveryBlockedThreadBelowItAndTheyDie() throws Exception {
        Job j = h.job.createChild();
        int jh = h.install(j);
        Job inner = j.createChild();
        h.install(inner);
        List<CompletableFuture<Long>> waits = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (Job parent : List.of(j, inner)) {
            Process p = parent.createProcess("victim");
            h.install(p);
            Thread first = p.createThread("t0");
            p.start(first, 0, 0, null, 0);
            int event = p.handleTable().add(Handle.createDefault(new dev.zjvm.object.ipc.Event(h.kernel)));
            SyscallContext ctx = new SyscallContext(p, first, h.memory);
            long observed = h.alloc(4);
            CompletableFuture<Long> f = new CompletableFuture<>();
            java.lang.Thread jt = new java.lang.Thread(() -> {
                assertTrue(first.bindCurrent());
                f.complete(h.callAs(ctx, "object_wait_one", event, Signals.SIGNALED, Waiter.INFINITE, observed));
            });
            jt.setDaemon(true);
            jt.start();
            waits.add(f);
            threads.add(first);
        }
        for (Thread t : threads) SyscallHarness.awaitThreadState(t, ThreadState.BLOCKED_WAIT_ONE);
        assertEquals(ZxStatus.OK, h.status("task_kill", jh));
        for (CompletableFuture<Long> f : waits) {
            assertEquals(ZxStatus.ERR_INTERNAL_INTR_KILLED, (int) (long) f.get(30, TimeUnit.SECONDS));
        }
        for (Thread t : threads) assertEquals(ThreadState.DEAD, t.state());
        assertTrue(inner.isDead());
        assertTrue(j.isDead());
        assertEquals(Task.RETCODE_SYSCALL_KILL, j.returnCode());
        assertNotEquals(0, j.signals() & Signals.TASK_TERMINATED);
        // A killed job refuses children.
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("job_create", jh, 0, h.alloc(4)));
    }

    // ---- task_suspend ----

    @Test
    void suspendReturnsATokenAndClosingItResumes() {
        int t = otherThread();
        long out = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("task_suspend", t, out));
        int token = h.u32(out);
        assertEquals(ObjectType.SUSPEND_TOKEN, h.object(token, dev.zjvm.object.KernelObject.class).type());
        assertEquals(ThreadState.SUSPENDED, h.object(t, Thread.class).state());
        assertEquals(ZxStatus.OK, h.status("handle_close", token));
        assertEquals(ThreadState.RUNNING, h.object(t, Thread.class).state());
        // A failed copy-out leaves nothing suspended.
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("task_suspend_token", t, SyscallHarness.READ_ONLY));
        assertEquals(ThreadState.RUNNING, h.object(t, Thread.class).state());
    }

    @Test
    void suspendErrors() {
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, h.status("task_suspend", h.install(h.thread), h.alloc(4)));
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, h.status("task_suspend", h.install(h.process), h.alloc(4)));
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status("task_suspend", newJob(), h.alloc(4)));
        int dead = otherThread();
        h.call("task_kill", dead);
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("task_suspend", dead, h.alloc(4)));
        ErrorChecks.of(h, "task_suspend").handle(0, this::otherThread, Rights.WRITE).out(1).run();
        ErrorChecks.of(h, "task_suspend_token").handle(0, this::otherThread, Rights.WRITE).out(1).run();
    }

    // ---- exception channels ----

    @Test
    void createExceptionChannelRulesAndErrors() {
        int p = newProcess();
        long out = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("task_create_exception_channel", p, 0, out));
        int ch = h.u32(out);
        assertEquals(Rights.TRANSFER | Rights.WAIT | Rights.READ, h.rights(ch));
        assertEquals(ZxStatus.ERR_ALREADY_BOUND, h.status("task_create_exception_channel", p, 0, out));
        assertEquals(ZxStatus.OK, h.status("task_create_exception_channel", p, 1, out)); // debugger is separate
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("task_create_exception_channel", p, 2, out));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("task_create_exception_channel", otherThread(), 1, out));
        h.call("handle_close", ch);
        assertEquals(ZxStatus.OK, h.status("task_create_exception_channel", p, 0, out)); // unbound by the close
        int dead = otherThread();
        h.call("task_kill", dead);
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("task_create_exception_channel", dead, 0, out));
        int channelRights = Rights.INSPECT | Rights.DUPLICATE | Rights.TRANSFER | Rights.MANAGE_THREAD;
        ErrorChecks.of(h, "task_create_exception_channel").handle(0, this::otherThread, channelRights).out(2).run();
        ErrorChecks.of(h, "task_create_exception_channel").handle(0, this::newProcess, channelRights | Rights.ENUMERATE)
                .out(2).run();
        ErrorChecks.of(h, "task_create_exception_channel").handle(0, this::newJob, channelRights | Rights.ENUMERATE)
                .out(2).run();
    }

    @Test
    void exceptionDeliveredThroughAChannelIsHandledWithSyscalls() throws Exception {
        long out = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("task_create_exception_channel", h.install(h.process), 0, out));
        Channel ch = h.object(h.u32(out), Channel.class);
        ExceptionReport fault = new ExceptionReport(ExceptionType.FATAL_PAGE_FAULT, 14, 4, 0x1234);
        CompletableFuture<Resolution> run = h.runAsGuest("faulter", c -> Exceptions.raise(c.thread(), fault));

        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ch.queuedMessages() == 0) {
            assertTrue(System.nanoTime() < end, "no exception message");
            java.lang.Thread.sleep(1);
        }
        ChannelRead r = ch.read(0, 64, 1);
        ByteBuffer info = ByteBuffer.wrap(r.message().data()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(h.process.koid(), info.getLong(0));
        assertEquals(ExceptionType.FATAL_PAGE_FAULT, info.getInt(16));
        int ex = h.process.handleTable().add(r.message().handles().get(0));

        // Thread info and the exception report while the thread waits.
        long tOut = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("exception_get_thread", ex, tOut));
        int th = h.u32(tOut);
        assertEquals(info.getLong(8), h.object(th, Thread.class).koid());
        assertEquals(ObjectType.THREAD.defaultRights(), h.rights(th));
        long buf = h.alloc(72);
        assertEquals(ZxStatus.OK, h.status("object_get_info", th, TaskInfo.THREAD, buf, 72, 0, 0));
        assertEquals(ThreadState.BLOCKED_EXCEPTION, h.u32(buf));
        assertEquals(3 /* PROCESS */, h.u32(buf + 4));
        assertEquals(ZxStatus.OK, h.status("object_get_info", th, TaskInfo.THREAD_EXCEPTION_REPORT, buf, 32, 0, 0));
        assertEquals(32, h.u32(buf));
        assertEquals(ExceptionType.FATAL_PAGE_FAULT, h.u32(buf + 4));
        assertEquals(14, h.u64(buf + 8));
        assertEquals(4, h.u64(buf + 16));
        assertEquals(0x1234, h.u64(buf + 24));

        assertEquals(ZxStatus.OK, h.status("exception_get_process", ex, tOut));
        assertSame(h.process, h.object(h.u32(tOut), Process.class));

        long state = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("object_get_property", ex, ObjectInfoSyscalls.PROP_EXCEPTION_STATE, state, 4));
        assertEquals(ExceptionObject.STATE_TRY_NEXT, h.u32(state));
        h.putU32(state, 7);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("object_set_property", ex, ObjectInfoSyscalls.PROP_EXCEPTION_STATE, state, 4));
        assertEquals(ZxStatus.ERR_BUFFER_TOO_SMALL, h.status("object_set_property", ex, ObjectInfoSyscalls.PROP_EXCEPTION_STATE, state, 3));
        h.putU32(state, ExceptionObject.STATE_HANDLED);
        assertEquals(ZxStatus.OK, h.status("object_set_property", ex, ObjectInfoSyscalls.PROP_EXCEPTION_STATE, state, 4));
        assertFalse(run.isDone());
        assertEquals(ZxStatus.OK, h.status("handle_close", ex));
        assertEquals(Resolution.RESUME, run.get(30, TimeUnit.SECONDS));
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("object_get_info", th, TaskInfo.THREAD_EXCEPTION_REPORT, buf, 32, 0, 0));
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status("exception_get_thread", th, tOut));
    }

    @Test
    void exceptionFromAThreadChannelHidesTheProcess() throws Exception {
        CompletableFuture<Thread> started = new CompletableFuture<>();
        CompletableFuture<Resolution> go = new CompletableFuture<>();
        long out = h.alloc(4);
        CompletableFuture<Resolution> run = h.runAsGuest("faulter", c -> {
            started.complete(c.thread());
            try {
                go.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return Exceptions.raise(c.thread(), ExceptionReport.synthetic(ExceptionType.POLICY_ERROR));
        });
        int th = h.install(started.get(30, TimeUnit.SECONDS), Rights.INSPECT | Rights.DUPLICATE | Rights.TRANSFER
                | Rights.MANAGE_THREAD | Rights.READ);
        assertEquals(ZxStatus.OK, h.status("task_create_exception_channel", th, 0, out));
        Channel ch = h.object(h.u32(out), Channel.class);
        go.complete(null);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ch.queuedMessages() == 0) {
            assertTrue(System.nanoTime() < end, "no exception message");
            java.lang.Thread.sleep(1);
        }
        int ex = h.process.handleTable().add(ch.read(0, 64, 1).message().handles().get(0));
        assertEquals(ZxStatus.ERR_ACCESS_DENIED, h.status("exception_get_process", ex, out));
        assertEquals(ZxStatus.OK, h.status("exception_get_thread", ex, out));
        assertEquals(h.rights(th), h.rights(h.u32(out))); // the channel creator's rights
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("exception_get_thread", ex, SyscallHarness.READ_ONLY));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("exception_get_thread", ex, 0));
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status("exception_get_thread", th, out));
        int closed = h.install(h.thread);
        h.call("handle_close", closed);
        assertEquals(ZxStatus.ERR_BAD_HANDLE, h.status("exception_get_thread", closed, out));
        // TRY_NEXT with no other handler: the process is killed.
        h.call("handle_close", ex);
        assertEquals(Resolution.KILL, run.get(30, TimeUnit.SECONDS));
        assertEquals(Task.RETCODE_EXCEPTION_KILL, h.process.returnCode());
    }

    // ---- jobs ----

    private long policyV1(int... condAction) {
        long p = h.alloc(condAction.length * 4);
        for (int i = 0; i < condAction.length; i++) h.putU32(p + 4L * i, condAction[i]);
        return p;
    }

    @Test
    void setPolicyAndItsEffectOnTheCallersJob() {
        int j = newJob();
        long pol = policyV1(JobPolicy.NEW_PROCESS, JobPolicy.DENY, JobPolicy.NEW_CHANNEL, JobPolicy.DENY);
        assertEquals(ZxStatus.OK, h.status("job_set_policy", j, 0, 0, pol, 2));
        Job job = h.object(j, Job.class);
        assertEquals(JobPolicy.DENY, job.policy().action(JobPolicy.NEW_PROCESS));
        // A process in that job is denied new processes and exception channels.
        Process p = job.createProcess("restricted");
        h.install(p);
        Thread t = p.createThread("t");
        p.start(t, 0, 0, null, 0);
        SyscallContext c = new SyscallContext(p, t, h.memory);
        int pj = p.handleTable().add(Handle.createDefault(job));
        int self = p.handleTable().add(Handle.createDefault(p));
        assertEquals(ZxStatus.ERR_ACCESS_DENIED, (int) h.callAs(c, "process_create", pj, h.string("x"), 1, 0,
                h.alloc(4), h.alloc(4)));
        assertEquals(List.of(p), job.processes());
        assertEquals(ZxStatus.ERR_ACCESS_DENIED, (int) h.callAs(c, "task_create_exception_channel", self, 0, h.alloc(4)));
        // The job has a child now: no more changes.
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("job_set_policy", j, 0, 0, pol, 2));
        // A child job inherits the policy.
        long out = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("job_create", j, 0, out));
        assertEquals(JobPolicy.DENY, h.object(h.u32(out), Job.class).policy().action(JobPolicy.NEW_CHANNEL));
    }

    @Test
    void setPolicyValidation() {
        long pol = policyV1(JobPolicy.NEW_VMO, JobPolicy.DENY);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("job_set_policy", newJob(), 2, 0, pol, 1));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("job_set_policy", newJob(), 0, 0, pol, 0));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("job_set_policy", newJob(), 0, 7, pol, 1));
        assertEquals(ZxStatus.ERR_OUT_OF_RANGE, h.status("job_set_policy", newJob(), 0, 0, pol, 16));
        assertEquals(ZxStatus.ERR_OUT_OF_RANGE, h.status("job_set_policy", newJob(), 0, 0, policyV1(15, 0), 1));
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, h.status("job_set_policy", newJob(), 0, 0, policyV1(4, 5), 1));
        // v2 with an overridable entry, then absolute conflict below a locked one.
        int j = newJob();
        long v2 = policyV1(JobPolicy.NEW_EVENT, JobPolicy.DENY, JobPolicy.OVERRIDE_ALLOW);
        assertEquals(ZxStatus.OK, h.status("job_set_policy", j, 1, 0x0100_0000, v2, 1));
        assertEquals(ZxStatus.OK, h.status("job_set_policy", j, 1, 0, policyV1(JobPolicy.NEW_EVENT, JobPolicy.KILL), 1));
        assertEquals(ZxStatus.ERR_ALREADY_EXISTS,
                h.status("job_set_policy", j, 1, 0, policyV1(JobPolicy.NEW_EVENT, JobPolicy.ALLOW), 1));
        // Timer slack: one record, relative only.
        long slack = h.alloc(16);
        h.putU64(slack, 5000);
        h.putU32(slack + 8, JobPolicy.SLACK_LATE);
        int js = newJob();
        assertEquals(ZxStatus.OK, h.status("job_set_policy", js, 0, 1, slack, 1));
        assertEquals(5000, h.object(js, Job.class).policy().minSlack());
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("job_set_policy", js, 1, 1, slack, 1));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("job_set_policy", js, 0, 1, slack, 2));
        h.putU32(slack + 8, 9);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("job_set_policy", js, 0, 1, slack, 1));
        ErrorChecks.of(h, "job_set_policy").args(0, 0, 0, pol, 1).handle(0, this::newJob, Rights.SET_POLICY).in(3).run();
    }

    @Test
    void setCritical() {
        int j = newJob();
        Job job = h.object(j, Job.class);
        int p = h.install(job.createProcess("critical"));
        int bystander = h.install(job.createProcess("bystander"));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("job_set_critical", j, 2, p));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("job_set_critical", newJob(), 0, p)); // not an ancestor
        assertEquals(ZxStatus.OK, h.status("job_set_critical", j, 0, p));
        assertEquals(ZxStatus.ERR_ALREADY_BOUND, h.status("job_set_critical", j, 0, p));
        assertEquals(ZxStatus.OK, h.status("task_kill", p));
        assertTrue(job.isDead());
        assertEquals(Task.RETCODE_CRITICAL_PROCESS_KILL, job.returnCode());
        assertTrue(h.object(bystander, Process.class).isDead());
        Job j2 = h.job.createChild();
        h.install(j2);
        ErrorChecks.of(h, "job_set_critical").args(0, 0, 0)
                .handle(0, () -> h.install(j2), Rights.DESTROY)
                .handle(2, () -> h.install(j2.createProcess("c")), Rights.WAIT).run();
    }

    @Test
    void jobAndProcessCreateChecks() {
        ErrorChecks.of(h, "job_create").args(0, 0, 0).handle(0, this::newJob, Rights.NONE).out(2).run();
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("job_create", newJob(), 1, h.alloc(4)));
        long po = h.alloc(4);
        long vo = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("process_create", newJob(), h.string("proc"), 4, 0, po, vo));
        assertEquals("proc", h.object(h.u32(po), Process.class).name());
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("process_create", newJob(), h.string("proc"), 4, 1, po, vo));
        long tOut = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("thread_create", h.u32(po), h.string("thr"), 3, 0, tOut));
        assertEquals("thr", h.object(h.u32(tOut), Thread.class).name());
        ErrorChecks.of(h, "thread_create").args(0, h.string("t"), 1, 0, 0)
                .handle(0, this::newProcess, Rights.MANAGE_THREAD).in(1).out(4).run();
    }

    @Test
    void badHandlePolicyKillsTheCaller() {
        Job job = h.job.createChild();
        h.install(job);
        job.updatePolicy(p -> p.withBasic(false, List.of(new JobPolicy.Entry(JobPolicy.BAD_HANDLE, JobPolicy.KILL,
                JobPolicy.OVERRIDE_DENY))));
        Process p = job.createProcess("careless");
        h.install(p);
        Thread t = p.createThread("t");
        p.start(t, 0, 0, null, 0);
        SyscallContext c = new SyscallContext(p, t, h.memory);
        int ok = p.handleTable().add(Handle.createDefault(new dev.zjvm.object.ipc.Event(h.kernel)));
        assertEquals(ZxStatus.OK, (int) h.callAs(c, "object_signal", ok, 0, Signals.USER_0));
        assertFalse(p.isDead());
        p.handleTable().close(ok);
        assertEquals(ZxStatus.ERR_BAD_HANDLE, (int) h.callAs(c, "object_signal", ok, 0, Signals.USER_0));
        assertTrue(p.isDead());
        assertEquals(Task.RETCODE_POLICY_KILL, p.returnCode());
        // The default policy only reports the error.
        int stale = h.newEvent();
        h.call("handle_close", stale);
        assertEquals(ZxStatus.ERR_BAD_HANDLE, h.status("object_signal", stale, 0, Signals.USER_0));
        assertFalse(h.process.isDead());
    }

    @Test
    void suspendedBlockedThreadGetsRetryAndParksAtTheBoundaryUntilResumed() throws Exception {
        int event = h.newEvent();
        CompletableFuture<Thread> self = new CompletableFuture<>();
        CompletableFuture<Long> first = new CompletableFuture<>();
        CompletableFuture<Long> second = h.runAsGuest("sleeper", c -> {
            self.complete(c.thread());
            // As the vDSO does: INTR_RETRY means "make the same call again".
            long r = h.callAs(c, "object_wait_one", event, Signals.SIGNALED, Waiter.INFINITE, 0);
            first.complete(r);
            return h.callAs(c, "object_wait_one", event, Signals.SIGNALED, Waiter.INFINITE, 0);
        });
        Thread t = self.get(30, TimeUnit.SECONDS);
        SyscallHarness.awaitThreadState(t, ThreadState.BLOCKED_WAIT_ONE);
        long tok = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("task_suspend", h.install(t), tok));
        SyscallHarness.awaitThreadState(t, ThreadState.SUSPENDED);
        assertNotEquals(0, t.signals() & Signals.THREAD_SUSPENDED);
        assertFalse(first.isDone()); // parked inside the dispatcher, before returning to the guest
        h.call("handle_close", h.u32(tok));
        assertEquals(ZxStatus.ERR_INTERNAL_INTR_RETRY, (int) (long) first.get(30, TimeUnit.SECONDS));
        SyscallHarness.awaitThreadState(t, ThreadState.BLOCKED_WAIT_ONE);
        assertEquals(ZxStatus.OK, h.status("object_signal", event, 0, Signals.SIGNALED));
        assertEquals(ZxStatus.OK, (int) (long) second.get(30, TimeUnit.SECONDS));
    }

    @Test
    void killingASuspendedThreadEndsIt() throws Exception {
        int event = h.newEvent();
        CompletableFuture<Thread> self = new CompletableFuture<>();
        CompletableFuture<Long> run = h.runAsGuest("sleeper", c -> {
            self.complete(c.thread());
            return h.callAs(c, "object_wait_one", event, Signals.SIGNALED, Waiter.INFINITE, 0);
        });
        Thread t = self.get(30, TimeUnit.SECONDS);
        SyscallHarness.awaitThreadState(t, ThreadState.BLOCKED_WAIT_ONE);
        int th = h.install(t);
        assertEquals(ZxStatus.OK, h.status("task_suspend", th, h.alloc(4)));
        SyscallHarness.awaitThreadState(t, ThreadState.SUSPENDED);
        assertEquals(ZxStatus.OK, h.status("task_kill", th));
        run.get(30, TimeUnit.SECONDS);
        assertEquals(ThreadState.DEAD, t.state());
        assertNotEquals(0, t.signals() & Signals.TASK_TERMINATED);
    }
}
