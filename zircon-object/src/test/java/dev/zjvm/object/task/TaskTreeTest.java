package dev.zjvm.object.task;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.ipc.Event;
import dev.zjvm.object.signal.ObjectWait;
import dev.zjvm.object.signal.Signals;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TaskTreeTest {
    private final Kernel kernel = Kernel.forTesting(3);
    private final Job root = Job.createRoot(kernel);

    /** Runs {@code t} as the runner of a guest thread: waits on an event until killed, then exits. */
    private static CompletableFuture<Integer> blockedRunner(Thread t, Event e) {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        Handle h = Handle.createDefault(e);
        java.lang.Thread jt = new java.lang.Thread(() -> {
            try {
                assertTrue(t.bindCurrent());
                int status = ObjectWait.waitOne(h, Signals.SIGNALED, Waiter.INFINITE, t).status();
                if (t.isDying()) t.exit(); // the syscall boundary
                f.complete(status);
            } catch (Throwable x) {
                f.completeExceptionally(x);
            }
        });
        jt.setDaemon(true);
        jt.start();
        return f;
    }

    private static void awaitState(Thread t, int state) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (t.state() != state) {
            if (System.nanoTime() > end) fail("thread never reached state " + state + ", is " + t.state());
            java.lang.Thread.sleep(1);
        }
    }

    @Test
    void jobDepthIsLimited() {
        Job j = root;
        for (int i = 0; i < Job.MAX_HEIGHT; i++) j = j.createChild();
        assertEquals(Job.MAX_HEIGHT, j.depth());
        Job deepest = j;
        assertEquals(ZxStatus.ERR_OUT_OF_RANGE, assertThrows(ZxException.class, deepest::createChild).status());
    }

    @Test
    void killedJobRefusesChildren() {
        Job j = root.createChild();
        Handle keep = Handle.createDefault(j);
        j.kill();
        assertTrue(j.isDead());
        assertEquals(ZxStatus.ERR_BAD_STATE, assertThrows(ZxException.class, j::createChild).status());
        assertEquals(ZxStatus.ERR_BAD_STATE, assertThrows(ZxException.class, () -> j.createProcess("p")).status());
        assertEquals(Task.RETCODE_SYSCALL_KILL, j.returnCode());
        assertEquals(Signals.TASK_TERMINATED, j.signals() & Signals.TASK_TERMINATED);
        keep.destroy();
    }

    @Test
    void jobKillKillsSubtreeAndWakesBlockedThreads() throws Exception {
        Job j1 = root.createChild();
        Job j2 = j1.createChild();
        Handle h1 = Handle.createDefault(j1);
        Handle h2 = Handle.createDefault(j2);
        List<Process> procs = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<CompletableFuture<Integer>> runs = new ArrayList<>();
        List<Event> held = new ArrayList<>();
        for (Job j : List.of(j1, j2)) {
            Process p = j.createProcess("p");
            Handle.createDefault(p); // keep it from dying as an unstarted process with no handles
            Thread first = p.createThread("t0");
            p.start(first, 0x1000, 0x2000, null, 0);
            Thread second = p.createThread("t1");
            second.start(0, 0, 0, 0);
            Event inTable = new Event(kernel);
            p.handleTable().add(Handle.createDefault(inTable));
            held.add(inTable);
            for (Thread t : List.of(first, second)) {
                runs.add(blockedRunner(t, new Event(kernel)));
                threads.add(t);
            }
            procs.add(p);
        }
        for (Thread t : threads) awaitState(t, ThreadState.BLOCKED_WAIT_ONE);
        assertEquals(0, j1.signals() & Signals.JOB_NO_JOBS);

        j1.kill();
        for (CompletableFuture<Integer> r : runs) assertEquals(ZxStatus.ERR_INTERNAL_INTR_KILLED, r.get(30, TimeUnit.SECONDS));
        for (Thread t : threads) {
            assertEquals(ThreadState.DEAD, t.state());
            assertEquals(Signals.TASK_TERMINATED, t.signals() & (Signals.TASK_TERMINATED | Signals.THREAD_RUNNING));
        }
        for (Process p : procs) {
            assertTrue(p.isDead());
            assertEquals(Task.RETCODE_SYSCALL_KILL, p.returnCode());
            assertEquals(0, p.handleTable().count());
        }
        for (Event e : held) assertEquals(0, e.handleCount());
        assertTrue(j2.isDead());
        assertTrue(j1.isDead());
        assertEquals(List.of(), root.childJobs());
        assertNotEquals(0, root.signals() & Signals.JOB_NO_JOBS);
        h1.destroy();
        h2.destroy();
    }

    @Test
    void killingAThreadBeforeItBlocksStillEndsTheWait() {
        Process p = root.createProcess("p");
        Handle ph = Handle.createDefault(p);
        Thread t = p.createThread("t");
        p.start(t, 0, 0, null, 0);
        assertTrue(t.bindCurrent());
        t.kill();
        assertEquals(ThreadState.DYING, t.state());
        int status = ObjectWait.waitOne(Handle.createDefault(new Event(kernel)), Signals.SIGNALED, Waiter.INFINITE, t)
                .status();
        assertEquals(ZxStatus.ERR_INTERNAL_INTR_KILLED, status);
        t.exit();
        assertTrue(p.isDead());
        ph.destroy();
    }

    @Test
    void lastThreadExitEndsProcessWithZeroAndExitKeepsCode() {
        Process p = root.createProcess("p");
        Handle ph = Handle.createDefault(p);
        Thread t = p.createThread("t");
        p.start(t, 0, 0, null, 0);
        assertTrue(t.bindCurrent());
        t.exit();
        assertTrue(p.isDead());
        assertEquals(0, p.returnCode());
        assertEquals(ZxStatus.ERR_BAD_STATE, assertThrows(ZxException.class, () -> p.createThread("late")).status());

        Process q = root.createProcess("q");
        Handle qh = Handle.createDefault(q);
        Thread u = q.createThread("u");
        q.start(u, 0, 0, null, 0);
        assertTrue(u.bindCurrent());
        q.exit(42);
        assertFalse(q.isDead()); // the runner has not left the kernel yet
        assertTrue(u.isDying());
        q.kill();
        u.exit();
        assertTrue(q.isDead());
        assertEquals(42, q.returnCode());
        ph.destroy();
        qh.destroy();
    }

    @Test
    void processStartRules() {
        Process p = root.createProcess("p");
        Handle ph = Handle.createDefault(p);
        Process other = root.createProcess("o");
        Handle oh = Handle.createDefault(other);
        Thread foreign = other.createThread("f");
        Thread t = p.createThread("t");
        assertEquals(ZxStatus.ERR_BAD_STATE, assertThrows(ZxException.class, () -> t.start(0, 0, 0, 0)).status());
        Event e = new Event(kernel);
        Handle arg = Handle.createDefault(e);
        assertEquals(ZxStatus.ERR_ACCESS_DENIED,
                assertThrows(ZxException.class, () -> p.start(foreign, 0, 0, arg, 0)).status());
        assertTrue(arg.isDestroyed());
        Handle arg2 = Handle.createDefault(e);
        int v = p.start(t, 0x10, 0x20, arg2, 7);
        assertSame(e, p.handleTable().get(v, Event.class, 0));
        assertEquals(new ThreadLauncher.StartInfo(0x10, 0x20, Integer.toUnsignedLong(v), 7), t.startInfo());
        assertEquals(Signals.THREAD_RUNNING, t.signals() & Signals.THREAD_RUNNING);
        assertEquals(ZxStatus.ERR_BAD_STATE, assertThrows(ZxException.class, () -> p.start(t, 0, 0, null, 0)).status());
        assertEquals(ZxStatus.ERR_BAD_STATE, assertThrows(ZxException.class, () -> t.start(0, 0, 0, 0)).status());
        p.kill(); // no runner: dies at once
        assertTrue(p.isDead());
        assertEquals(0, e.handleCount());
        ph.destroy();
        oh.destroy();
    }

    @Test
    void unstartedProcessDiesWithItsLastHandleAndEmptyJobWithItsLast() {
        Job j = root.createChild();
        Handle jh = Handle.createDefault(j);
        Process p = j.createProcess("p");
        Handle ph = Handle.createDefault(p);
        ph.destroy();
        assertTrue(p.isDead());
        assertFalse(j.isDead());
        jh.destroy();
        assertTrue(j.isDead());
        assertEquals(List.of(), root.childJobs());
    }

    @Test
    void launcherIsCalledOnStart() {
        List<Thread> launched = new ArrayList<>();
        kernel.installService(ThreadLauncher.class, (t, info) -> launched.add(t));
        Process p = root.createProcess("p");
        Handle ph = Handle.createDefault(p);
        Thread t = p.createThread("t");
        p.start(t, 0, 0, null, 0);
        assertEquals(List.of(t), launched);
        ph.destroy();
    }
}
