package dev.zjvm.object.task;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.ipc.Event;
import dev.zjvm.object.signal.ObjectWait;
import dev.zjvm.object.signal.Signals;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SuspendTest {
    private final Kernel kernel = Kernel.forTesting(5);
    private final Job root = Job.createRoot(kernel);
    private final Process process = root.createProcess("p");
    private final Handle processHandle = Handle.createDefault(process);

    @AfterEach
    void tearDown() {
        process.kill();
        processHandle.destroy();
    }

    private Thread started(String name) {
        Thread t = process.createThread(name);
        if (process.firstThread() == null) process.start(t, 0x1000, 0x2000, null, 0);
        else t.start(0x1000, 0x2000, 0, 0);
        return t;
    }

    @Test
    void runnerlessThreadSuspendsAtOnceAndResumesWhenTheTokenCloses() {
        Thread t = started("t");
        assertEquals(ThreadState.RUNNING, t.state());
        Handle token = Handle.createDefault(t.suspend());
        assertEquals(ThreadState.SUSPENDED, t.state());
        assertEquals(Signals.THREAD_SUSPENDED, t.signals() & (Signals.THREAD_SUSPENDED | Signals.THREAD_RUNNING));
        token.destroy();
        assertEquals(ThreadState.RUNNING, t.state());
        assertEquals(Signals.THREAD_RUNNING, t.signals() & (Signals.THREAD_SUSPENDED | Signals.THREAD_RUNNING));
    }

    @Test
    void twoTokensNeedBothClosed() {
        Thread t = started("t");
        Handle a = Handle.createDefault(t.suspend());
        Handle b = Handle.createDefault(t.suspend());
        a.destroy();
        assertEquals(ThreadState.SUSPENDED, t.state());
        b.destroy();
        assertEquals(ThreadState.RUNNING, t.state());
    }

    @Test
    void suspendingADeadThreadIsBadState() {
        Thread t = started("t");
        t.kill();
        assertEquals(ZxStatus.ERR_BAD_STATE, assertThrows(ZxException.class, t::suspend).status());
    }

    @Test
    void newThreadSuspendedBeforeStartStartsSuspended() {
        Thread first = started("first");
        Thread t = process.createThread("t");
        Handle token = Handle.createDefault(t.suspend());
        assertEquals(ThreadState.NEW, t.state());
        t.start(0, 0, 0, 0);
        assertEquals(ThreadState.SUSPENDED, t.state());
        token.destroy();
        assertEquals(ThreadState.RUNNING, t.state());
        assertNotNull(first);
    }

    @Test
    void blockedWaitIsInterruptedWithRetryAndTheRunnerParksUntilResume() throws Exception {
        Thread t = started("t");
        Runner r = new Runner(t);
        Handle event = Handle.createDefault(new Event(kernel));
        CompletableFuture<Object> wait =
                r.submit(th -> ObjectWait.waitOne(event, Signals.SIGNALED, Waiter.INFINITE, th).status());
        Runner.awaitState(t, ThreadState.BLOCKED_WAIT_ONE);
        Handle token = Handle.createDefault(t.suspend());
        assertEquals(ZxStatus.ERR_INTERNAL_INTR_RETRY, wait.get(30, TimeUnit.SECONDS));
        Runner.awaitState(t, ThreadState.SUSPENDED);
        assertNotEquals(0, t.signals() & Signals.THREAD_SUSPENDED);

        // Registers are accessible only while stopped.
        GeneralRegs regs = t.readGeneralRegs();
        assertEquals(0x1000, regs.rip());
        t.writeGeneralRegs(regs.withFsBase(0x1234).withRflags(0xffff_ffffL));
        assertEquals(0x1234, r.regs.readGeneral().fsBase());
        // Only user flags change: IF (0x200) kept, reserved bits not taken.
        assertEquals(0x202 | GeneralRegs.USER_FLAGS, r.regs.readGeneral().rflags());
        assertEquals(ZxStatus.ERR_INVALID_ARGS, assertThrows(ZxException.class,
                () -> t.writeGeneralRegs(regs.withGsBase(0x8000_0000_0000_0000L))).status());

        token.destroy();
        Runner.awaitState(t, ThreadState.RUNNING);
        assertEquals(ZxStatus.ERR_BAD_STATE, assertThrows(ZxException.class, t::readGeneralRegs).status());
        // The retried call blocks again as usual.
        CompletableFuture<Object> again =
                r.submit(th -> ObjectWait.waitOne(event, Signals.SIGNALED, Waiter.INFINITE, th).status());
        Runner.awaitState(t, ThreadState.BLOCKED_WAIT_ONE);
        ((Event) event.object()).userSignal(0, Signals.SIGNALED);
        assertEquals(ZxStatus.OK, again.get(30, TimeUnit.SECONDS));
        t.kill();
        r.done.get(30, TimeUnit.SECONDS);
        assertEquals(ThreadState.DEAD, t.state());
        event.destroy();
    }

    @Test
    void processSuspendStopsEveryThreadAndKillEndsSuspendedRunners() throws Exception {
        Thread a = started("a");
        Thread b = started("b");
        Runner ra = new Runner(a);
        Runner rb = new Runner(b);
        Handle token = Handle.createDefault(process.suspend());
        Runner.awaitState(a, ThreadState.SUSPENDED);
        Runner.awaitState(b, ThreadState.SUSPENDED);
        // A thread created and started while the process is suspended starts suspended.
        Thread c = started("c");
        assertEquals(ThreadState.SUSPENDED, c.state());
        process.kill();
        ra.done.get(30, TimeUnit.SECONDS);
        rb.done.get(30, TimeUnit.SECONDS);
        assertTrue(process.isDead());
        assertEquals(ZxStatus.ERR_BAD_STATE, assertThrows(ZxException.class, process::suspend).status());
        token.destroy();
    }

    @Test
    void processResumeReleasesThreads() throws Exception {
        Thread a = started("a");
        Runner ra = new Runner(a);
        Handle token = Handle.createDefault(process.suspend());
        Runner.awaitState(a, ThreadState.SUSPENDED);
        token.destroy();
        Runner.awaitState(a, ThreadState.RUNNING);
        assertEquals("ok", ra.submit(th -> "ok").get(30, TimeUnit.SECONDS));
    }

    @Test
    void jobsCannotBeSuspended() {
        assertEquals(ZxStatus.ERR_WRONG_TYPE, assertThrows(ZxException.class, root::suspend).status());
    }

    @Test
    void aLaunchedThreadIsSuspendedOnlyOnceItsRunnerStops() throws Exception {
        Kernel k = Kernel.forTesting(6);
        java.util.concurrent.CompletableFuture<Thread> launched = new java.util.concurrent.CompletableFuture<>();
        k.installService(ThreadLauncher.class, (t, start) -> launched.complete(t)); // binds later
        Process p = Job.createRoot(k).createProcess("p");
        Handle ph = Handle.createDefault(p);
        Thread t = p.createThread("t");
        Handle token = Handle.createDefault(t.suspend());
        p.start(t, 0, 0, null, 0);
        assertSame(t, launched.get(30, TimeUnit.SECONDS));
        // Registers are not attached yet: the thread must not look stopped.
        assertEquals(ThreadState.RUNNING, t.state());
        assertEquals(ZxStatus.ERR_BAD_STATE, assertThrows(ZxException.class, t::readGeneralRegs).status());
        Runner r = new Runner(t);
        Runner.awaitState(t, ThreadState.SUSPENDED);
        assertEquals(0x1000, t.readGeneralRegs().rip());
        token.destroy();
        Runner.awaitState(t, ThreadState.RUNNING);
        p.kill();
        r.done.get(30, TimeUnit.SECONDS);
        ph.destroy();
    }
}
