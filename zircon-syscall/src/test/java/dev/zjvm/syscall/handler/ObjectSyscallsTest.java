package dev.zjvm.syscall.handler;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.ipc.Event;
import dev.zjvm.object.ipc.EventPair;
import dev.zjvm.object.signal.Signals;
import dev.zjvm.object.task.Job;
import dev.zjvm.object.task.Process;
import dev.zjvm.object.task.ThreadState;
import dev.zjvm.object.task.Waiter;
import dev.zjvm.syscall.testing.ErrorChecks;
import dev.zjvm.syscall.testing.SyscallHarness;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ObjectSyscallsTest {
    private final SyscallHarness h = new SyscallHarness();

    private int[] newEventPair() {
        EventPair[] p = EventPair.create(h.kernel);
        return new int[] {h.install(p[0]), h.install(p[1])};
    }

    @Test
    void signalSetsAndClearsAllowedBits() {
        int e = h.newEvent();
        assertEquals(ZxStatus.OK, h.status("object_signal", e, 0, Signals.SIGNALED | Signals.USER_0));
        assertEquals(Signals.SIGNALED | Signals.USER_0, h.object(e, Event.class).signals());
        assertEquals(ZxStatus.OK, h.status("object_signal", e, Signals.USER_0, 0));
        assertEquals(Signals.SIGNALED, h.object(e, Event.class).signals());
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("object_signal", e, 0, Signals.READABLE));
        assertEquals(Signals.SIGNALED, h.object(e, Event.class).signals());
        ErrorChecks.of(h, "object_signal").args(0, 0, Signals.USER_0).anyHandle(0, h::newEvent, Rights.SIGNAL).run();
    }

    @Test
    void signalPeer() {
        int[] p = newEventPair();
        assertEquals(ZxStatus.OK, h.status("object_signal_peer", p[0], 0, Signals.USER_0));
        assertEquals(Signals.USER_0, h.object(p[1], EventPair.class).signals());
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("object_signal_peer", p[0], 0, Signals.PEER_CLOSED));
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, h.status("object_signal_peer", h.install(new Event(h.kernel), 0x7fffffff), 0, Signals.USER_0));
        h.call("handle_close", p[1]);
        assertEquals(ZxStatus.ERR_PEER_CLOSED, h.status("object_signal_peer", p[0], 0, Signals.USER_0));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("object_signal_peer", p[0], 0, Signals.READABLE));
        assertNotEquals(0, h.object(p[0], EventPair.class).signals() & Signals.PEER_CLOSED);
        ErrorChecks.of(h, "object_signal_peer").args(0, 0, Signals.USER_0)
                .anyHandle(0, () -> newEventPair()[0], Rights.SIGNAL_PEER).run();
    }

    @Test
    void waitOneWritesObservedAndHandlesDeadlines() {
        int e = h.newEvent();
        long observed = h.alloc(4);
        assertEquals(ZxStatus.ERR_TIMED_OUT, h.status("object_wait_one", e, Signals.SIGNALED, 0, observed));
        assertEquals(0, h.u32(observed));
        h.call("object_signal", e, 0, Signals.SIGNALED);
        assertEquals(ZxStatus.OK, h.status("object_wait_one", e, Signals.SIGNALED, Waiter.INFINITE, observed));
        assertEquals(Signals.SIGNALED, h.u32(observed));
        assertEquals(ZxStatus.OK, h.status("object_wait_one", e, Signals.SIGNALED, Waiter.INFINITE, 0)); // NULL observed
        assertEquals(ZxStatus.ERR_TIMED_OUT, h.status("object_wait_one", e, Signals.USER_0, h.deadlineIn(10), observed));
        ErrorChecks.of(h, "object_wait_one").args(0, Signals.SIGNALED, 0, 0).validStatus(ZxStatus.ERR_TIMED_OUT)
                .anyHandle(0, h::newEvent, Rights.WAIT).optionalOut(3).run();
    }

    @Test
    void waitOneWokenByAnotherGuestThreadAndCanceledByClose() throws Exception {
        int e = h.newEvent();
        int dup = (int) h.alloc(4);
        h.call("handle_duplicate", e, Rights.SAME_RIGHTS, dup);
        int e2 = h.u32(dup);
        long obs1 = h.alloc(4);
        long obs2 = h.alloc(4);
        CompletableFuture<Long> w1 = h.runAsGuest("w1",
                c -> h.callAs(c, "object_wait_one", e, Signals.SIGNALED, Waiter.INFINITE, obs1));
        CompletableFuture<Long> w2 = h.runAsGuest("w2",
                c -> h.callAs(c, "object_wait_one", e2, Signals.USER_0, Waiter.INFINITE, obs2));
        for (var t : h.process.threads()) {
            if (!t.name().equals("main")) SyscallHarness.awaitThreadState(t, ThreadState.BLOCKED_WAIT_ONE);
        }
        h.call("object_signal", e, 0, Signals.SIGNALED);
        assertEquals(ZxStatus.OK, (int) (long) w1.get(30, TimeUnit.SECONDS));
        assertEquals(Signals.SIGNALED, h.u32(obs1));
        assertFalse(w2.isDone());
        h.call("handle_close", e2);
        assertEquals(ZxStatus.ERR_CANCELED, (int) (long) w2.get(30, TimeUnit.SECONDS));
        assertEquals(Signals.SIGNALED | Signals.HANDLE_CLOSED, h.u32(obs2));
    }

    @Test
    void killWakesBlockedWaiterAndThreadDies() throws Exception {
        int e = h.newEvent();
        CompletableFuture<Long> w = h.runAsGuest("victim",
                c -> h.callAs(c, "object_wait_one", e, Signals.SIGNALED, Waiter.INFINITE, 0));
        var victim = h.process.threads().stream().filter(t -> t.name().equals("victim")).findFirst().orElseThrow();
        SyscallHarness.awaitThreadState(victim, ThreadState.BLOCKED_WAIT_ONE);
        int th = h.install(victim);
        assertEquals(ZxStatus.OK, h.status("task_kill", th));
        assertEquals(ZxStatus.ERR_INTERNAL_INTR_KILLED, (int) (long) w.get(30, TimeUnit.SECONDS));
        assertEquals(ThreadState.DEAD, victim.state());
        assertNotEquals(0, victim.signals() & Signals.TASK_TERMINATED);
        assertFalse(h.process.isDead()); // the main thread still runs
    }

    @Test
    void waitMany() throws Exception {
        int a = h.newEvent();
        int b = h.newEvent();
        long items = h.alloc(24);
        h.putU32(items, a);
        h.putU32(items + 4, Signals.SIGNALED);
        h.putU32(items + 12, b);
        h.putU32(items + 16, Signals.USER_0);
        h.call("object_signal", a, 0, (Signals.USER_0 << 1));
        assertEquals(ZxStatus.ERR_TIMED_OUT, h.status("object_wait_many", items, 2, 0));
        assertEquals((Signals.USER_0 << 1), h.u32(items + 8));
        assertEquals(0, h.u32(items + 20));
        CompletableFuture<Long> w = h.runAsGuest("wm", c -> h.callAs(c, "object_wait_many", items, 2, h.deadlineIn(120_000)));
        var t = h.process.threads().stream().filter(x -> x.name().equals("wm")).findFirst().orElseThrow();
        SyscallHarness.awaitThreadState(t, ThreadState.BLOCKED_WAIT_MANY);
        h.call("object_signal", b, 0, Signals.USER_0);
        assertEquals(ZxStatus.OK, (int) (long) w.get(30, TimeUnit.SECONDS));
        assertEquals(Signals.USER_0, h.u32(items + 20));
        assertEquals(ZxStatus.ERR_OUT_OF_RANGE, h.status("object_wait_many", items, 65, 0));
        assertEquals(ZxStatus.ERR_TIMED_OUT, h.status("object_wait_many", 0, 0, h.deadlineIn(5)));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("object_wait_many", SyscallHarness.UNMAPPED, 1, 0));
        h.putU32(items + 12, 0);
        assertEquals(ZxStatus.ERR_BAD_HANDLE, h.status("object_wait_many", items, 2, 0));
        h.putU32(items + 12, h.install(new Event(h.kernel), Rights.SIGNAL));
        assertEquals(ZxStatus.ERR_ACCESS_DENIED, h.status("object_wait_many", items, 2, 0));
    }

    /** Several guest threads wait_many on overlapping events with deadlines; every wait ends correctly. */
    @Test
    void concurrentWaitManyNoMissedWakeups() throws Exception {
        int n = 4;
        int[] events = new int[n];
        for (int i = 0; i < n; i++) events[i] = h.newEvent();
        List<CompletableFuture<Long>> ws = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            long items = h.alloc(24);
            h.putU32(items, events[t]);
            h.putU32(items + 4, Signals.SIGNALED);
            h.putU32(items + 12, events[(t + 1) % n]);
            h.putU32(items + 16, Signals.SIGNALED);
            int rounds = 200;
            ws.add(h.runAsGuest("wm" + t, c -> {
                for (int r = 0; r < rounds; r++) {
                    long s = h.callAs(c, "object_wait_many", items, 2, h.deadlineIn(120_000));
                    if (s != ZxStatus.OK) return s;
                    if (((h.u32(items + 8) | h.u32(items + 20)) & Signals.SIGNALED) == 0) return -999L;
                }
                return 0L;
            }));
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(ws.toArray(CompletableFuture[]::new));
        int i = 0;
        while (!all.isDone()) {
            int e = events[i++ % n];
            h.call("object_signal", e, 0, Signals.SIGNALED);
            Thread.yield();
            h.call("object_signal", e, Signals.SIGNALED, 0);
        }
        for (CompletableFuture<Long> w : ws) assertEquals(0L, w.get());
        for (int e : events) assertEquals(0, h.object(e, Event.class).observerCount());
    }

    /** An object of a non-waitable type (no WAIT in its default rights), as ports and VMARs are. */
    private static final class NotWaitable extends dev.zjvm.object.KernelObject {
        NotWaitable(dev.zjvm.object.Kernel k) {
            super(k);
        }

        @Override
        public dev.zjvm.object.ObjectType type() {
            return dev.zjvm.object.ObjectType.PORT;
        }
    }

    @Test
    void nonWaitableObjectsAreNotSupported() {
        int v = h.install(new NotWaitable(h.kernel), 0x7fffffff);
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, h.status("object_wait_one", v, Signals.USER_0, 0, 0));
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, h.status("object_signal", v, 0, Signals.USER_0));
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, h.status("object_signal_peer", v, 0, Signals.USER_0));
        long items = h.alloc(24);
        h.putU32(items, h.newEvent());
        h.putU32(items + 12, v);
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, h.status("object_wait_many", items, 2, 0));
        int weak = h.install(new NotWaitable(h.kernel), 0x7fffffff & ~Rights.WAIT);
        assertEquals(ZxStatus.ERR_ACCESS_DENIED, h.status("object_wait_one", weak, Signals.USER_0, 0, 0));
    }

    @Test
    void getChild() {
        Job child = h.job.createChild();
        int jobHandle = h.install(h.job);
        long out = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("object_get_child", jobHandle, child.koid(), Rights.SAME_RIGHTS, out));
        assertSame(child, h.object(h.u32(out), Job.class));
        assertEquals(h.rights(jobHandle), h.rights(h.u32(out)));
        assertEquals(ZxStatus.OK, h.status("object_get_child", jobHandle, h.process.koid(), Rights.WAIT, out));
        assertSame(h.process, h.object(h.u32(out), Process.class));
        assertEquals(Rights.WAIT, h.rights(h.u32(out)));
        int procHandle = h.install(h.process);
        assertEquals(ZxStatus.OK, h.status("object_get_child", procHandle, h.thread.koid(), Rights.SAME_RIGHTS, out));
        assertEquals(ZxStatus.ERR_NOT_FOUND, h.status("object_get_child", jobHandle, 12345678, Rights.SAME_RIGHTS, out));
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status("object_get_child", h.install(new Event(h.kernel), 0x7fffffff), 1, Rights.SAME_RIGHTS, out));
        int weak = h.install(h.job, Rights.ENUMERATE);
        assertEquals(ZxStatus.ERR_ACCESS_DENIED, h.status("object_get_child", weak, child.koid(), Rights.WAIT, out));
        ErrorChecks.of(h, "object_get_child").args(0, child.koid(), Rights.SAME_RIGHTS, 0)
                .anyHandle(0, () -> h.install(h.job), Rights.ENUMERATE).out(3).run();
    }
}
