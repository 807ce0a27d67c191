package dev.zjvm.syscall.handler;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.ipc.FutexKey;
import dev.zjvm.object.ipc.FutexTable;
import dev.zjvm.object.ipc.Timer;
import dev.zjvm.object.signal.Signals;
import dev.zjvm.object.task.Job;
import dev.zjvm.object.task.Process;
import dev.zjvm.object.task.Task;
import dev.zjvm.object.task.Thread;
import dev.zjvm.object.task.ThreadState;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.testing.ErrorChecks;
import dev.zjvm.syscall.testing.SyscallHarness;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TimerFutexSyscallsTest {
    private final SyscallHarness h = new SyscallHarness();

    private int timer() {
        long out = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("timer_create", Timer.SLACK_LATE, 0, out));
        return h.u32(out);
    }

    @Test
    void timerSetCancel() {
        int t = timer();
        Timer timer = h.object(t, Timer.class);
        assertEquals(ZxStatus.OK, h.status("timer_set", t, 0, 0));
        assertEquals(Signals.SIGNALED, timer.signals());
        assertEquals(ZxStatus.OK, h.status("timer_set", t, h.deadlineIn(3_600_000), 10));
        assertEquals(0, timer.signals());
        assertEquals(ZxStatus.OK, h.status("timer_cancel", t));
        assertEquals(0, timer.deadline());
        assertEquals(ZxStatus.ERR_OUT_OF_RANGE, h.status("timer_set", t, 0, -1));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("timer_create", 3, 0, h.alloc(4)));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("timer_create", 0, 1, h.alloc(4)));
        ErrorChecks.of(h, "timer_create").args(0, 0, 0).out(2).run();
        ErrorChecks.of(h, "timer_set").args(0, 0, 0).handle(0, this::timer, Rights.WRITE).run();
        ErrorChecks.of(h, "timer_cancel").args(0).handle(0, this::timer, Rights.WRITE).run();
    }

    @Test
    void futexArgumentErrors() {
        long w = h.alloc(8);
        h.putU32(w, 5);
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("futex_wait", w, 4, 0, Long.MAX_VALUE));
        assertEquals(ZxStatus.ERR_TIMED_OUT, h.status("futex_wait", w, 5, 0, 0));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("futex_wait", w + 2, 5, 0, 0));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("futex_wait", 0, 5, 0, 0));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("futex_wait", SyscallHarness.UNMAPPED, 5, 0, 0));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("futex_wake", w + 1, 1));
        assertEquals(ZxStatus.OK, h.status("futex_wake", w, 1));
        // Owner handle: checked only once the value matched.
        int ev = h.newEvent();
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("futex_wait", w, 4, ev, 0));
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status("futex_wait", w, 5, ev, 0));
        assertEquals(ZxStatus.ERR_BAD_HANDLE, h.status("futex_wait", w, 5, 0x12345, 0));
        int self = h.install(h.thread);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("futex_wait", w, 5, self, 0), "the caller cannot own");
        long w2 = h.alloc(8);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("futex_requeue", w, 1, 5, w, 1, 0));
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("futex_requeue", w, 1, 4, w2, 1, 0));
        assertEquals(ZxStatus.OK, h.status("futex_requeue", w, 1, 5, w2, 1, 0));
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("futex_requeue", w, 1, 4, w2, 1, ev), "value before owner");
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status("futex_requeue", w, 1, 5, w2, 1, ev));
        assertEquals(ZxStatus.ERR_BAD_HANDLE, h.status("futex_requeue", w, 1, 5, w2, 1, 0x12345));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("futex_requeue", w, 1, 5, w2 + 1, 1, 0));
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status("futex_requeue_single_owner", w, 5, w2, 1, ev));
        assertEquals(ZxStatus.OK, h.status("futex_requeue_single_owner", w, 5, w2, 1, 0));
        assertEquals(ZxStatus.OK, h.status("futex_wake_single_owner", w));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("futex_wake_single_owner", w + 3));
        // A thread that was never started cannot own a futex.
        int unstarted = h.install(h.process.createThread("unstarted"));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("futex_wait", w, 5, unstarted, 0));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("futex_get_owner", w, SyscallHarness.READ_ONLY));
        ErrorChecks.of(h, "futex_get_owner").args(w, 0).out(1).run();
    }

    @Test
    void futexWaitWokenByWakeAndOwnerReported() throws Exception {
        long w = h.alloc(8);
        SyscallContext other = h.newThreadContext("owner");
        int ownerHandle = h.install(other.thread());
        CompletableFuture<Long> waiter = h.runAsGuest("waiter", c -> h.callAs(c, "futex_wait", w, 0, ownerHandle, Long.MAX_VALUE));
        FutexTable table = FutexTable.of(h.kernel);
        FutexKey key = new FutexKey(h.process, w);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (table.waiterCount(key) == 0 && System.nanoTime() < end) java.lang.Thread.onSpinWait();
        long koid = h.alloc(8);
        assertEquals(ZxStatus.OK, h.status("futex_get_owner", w, koid));
        assertEquals(other.thread().koid(), h.u64(koid));
        assertEquals(ZxStatus.OK, h.status("futex_wake", w, 0xffffffffL));
        assertEquals(ZxStatus.OK, waiter.get(60, TimeUnit.SECONDS).intValue());
        assertEquals(ZxStatus.OK, h.status("futex_get_owner", w, koid));
        assertEquals(0, h.u64(koid));
    }

    @Test
    void blockedFutexWaitIsEndedByKill() throws Exception {
        long w = h.alloc(8);
        SyscallContext victim = h.newThreadContext("victim");
        CompletableFuture<Long> f = new CompletableFuture<>();
        java.lang.Thread jt = new java.lang.Thread(() -> {
            victim.thread().bindCurrent();
            f.complete(h.callAs(victim, "futex_wait", w, 0, 0, Long.MAX_VALUE));
        });
        jt.setDaemon(true);
        jt.start();
        SyscallHarness.awaitThreadState(victim.thread(), ThreadState.BLOCKED_FUTEX);
        victim.thread().kill();
        f.get(60, TimeUnit.SECONDS);
        assertEquals(0, FutexTable.of(h.kernel).waiterCount(new FutexKey(h.process, w)));
    }

    @Test
    void wakeHandleCloseThreadExitReleasesAJoiner() throws Exception {
        long w = h.alloc(8);
        CompletableFuture<Long> joiner = h.runAsGuest("joiner", c -> h.callAs(c, "futex_wait", w, 0, 0, Long.MAX_VALUE));
        FutexKey key = new FutexKey(h.process, w);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (FutexTable.of(h.kernel).waiterCount(key) == 0 && System.nanoTime() < end) java.lang.Thread.onSpinWait();
        SyscallContext exiting = h.newThreadContext("exiting");
        int closeMe = h.newEvent();
        CompletableFuture<Long> f = new CompletableFuture<>();
        java.lang.Thread jt = new java.lang.Thread(() -> {
            exiting.thread().bindCurrent();
            f.complete(h.callAs(exiting, "futex_wake_handle_close_thread_exit", w, 1, 7, closeMe));
        });
        jt.setDaemon(true);
        jt.start();
        f.get(60, TimeUnit.SECONDS);
        assertEquals(ZxStatus.OK, joiner.get(60, TimeUnit.SECONDS).intValue());
        assertEquals(7, h.u32(w));
        assertFalse(h.isValid(closeMe));
        assertTrue(exiting.thread().isDead() || exiting.thread().isDying());
    }

    @Test
    void aFailingStepOfWakeHandleCloseThreadExitTrapsAndWithoutAHandlerKillsTheProcess() throws Exception {
        Job job = h.job.createChild();
        Process p = job.createProcess("careless");
        Thread t = p.createThread("t");
        p.start(t, 0, 0, null, 0);
        SyscallContext c = new SyscallContext(p, t, h.memory);
        long w = h.alloc(8);
        CompletableFuture<Long> f = new CompletableFuture<>();
        java.lang.Thread jt = new java.lang.Thread(() -> {
            t.bindCurrent();
            f.complete(h.callAs(c, "futex_wake_handle_close_thread_exit", w, 1, 7, 0x1234_5673)); // no such handle
        });
        jt.setDaemon(true);
        jt.start();
        f.get(60, TimeUnit.SECONDS);
        assertEquals(7, h.u32(w), "the steps before the failing one happened");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!p.isDead() && System.nanoTime() < end) java.lang.Thread.sleep(1);
        assertTrue(p.isDead(), "an unhandled trap kills the process");
        assertEquals(Task.RETCODE_EXCEPTION_KILL, p.returnCode());
    }
}
