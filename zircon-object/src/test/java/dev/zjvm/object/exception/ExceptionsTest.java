package dev.zjvm.object.exception;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.ipc.Channel;
import dev.zjvm.object.ipc.ChannelRead;
import dev.zjvm.object.signal.ObjectWait;
import dev.zjvm.object.signal.Signals;
import dev.zjvm.object.task.BlockingContext;
import dev.zjvm.object.task.Job;
import dev.zjvm.object.task.Process;
import dev.zjvm.object.task.Task;
import dev.zjvm.object.task.Thread;
import dev.zjvm.object.task.ThreadState;
import dev.zjvm.object.task.Waiter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExceptionsTest {
    private static final ExceptionReport PAGE_FAULT = new ExceptionReport(ExceptionType.FATAL_PAGE_FAULT, 14, 6, 0xdead0);

    private final Kernel kernel = Kernel.forTesting(9);
    private final Job root = Job.createRoot(kernel);
    private final Job job = root.createChild();
    private final Handle jobHandle = Handle.createDefault(job);
    private final Process process = job.createProcess("p");
    private final Handle processHandle = Handle.createDefault(process);
    private final Thread thread = process.createThread("t");

    @AfterEach
    void tearDown() {
        job.kill();
        processHandle.destroy();
        jobHandle.destroy();
    }

    /** Starts the thread and runs {@code body} on a Java thread bound as its runner. */
    private <T> CompletableFuture<T> onRunner(Function<Thread, T> body) {
        process.start(thread, 0x1000, 0x2000, null, 0);
        CompletableFuture<T> f = new CompletableFuture<>();
        java.lang.Thread jt = new java.lang.Thread(() -> {
            try {
                assertTrue(thread.bindCurrent());
                f.complete(body.apply(thread));
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        jt.setDaemon(true);
        jt.start();
        return f;
    }

    private Channel bind(Task task, boolean debugger, int threadRights, int processRights) {
        return (Channel) task.exceptionate(debugger).bind(kernel, threadRights, processRights).object();
    }

    /** Waits for the next exception message; returns the exception handle, checking the info. */
    private static Handle receive(Channel ch, Process p, Thread t, int type) {
        int st = ObjectWait.waitOne(Handle.createDefault(ch), Signals.READABLE, Waiter.INFINITE, BlockingContext.NONE)
                .status();
        assertEquals(ZxStatus.OK, st);
        ChannelRead r = ch.read(0, 64, 1);
        assertEquals(ZxStatus.OK, r.status());
        ByteBuffer info = ByteBuffer.wrap(r.message().data()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(Exceptionate.INFO_SIZE, r.message().dataSize());
        assertEquals(p.koid(), info.getLong(0));
        assertEquals(t.koid(), info.getLong(8));
        assertEquals(type, info.getInt(16));
        Handle h = r.message().handles().get(0);
        assertEquals(ObjectType.EXCEPTION, h.object().type());
        assertEquals(0x80c2, h.rights());
        return h;
    }

    @Test
    void handledExceptionResumesAndGivesThreadAndProcess() throws Exception {
        Channel ch = bind(process, false, 0x1234 | Rights.READ, Rights.DESTROY);
        CompletableFuture<Resolution> run = onRunner(t -> Exceptions.raise(t, PAGE_FAULT));
        Handle ex = receive(ch, process, thread, ExceptionType.FATAL_PAGE_FAULT);
        assertEquals(ThreadState.BLOCKED_EXCEPTION, thread.state());
        assertEquals(ChannelType.PROCESS, thread.waitExceptionChannelType());
        assertEquals(PAGE_FAULT, thread.exceptionReport());
        ExceptionObject e = (ExceptionObject) ex.object();
        Handle th = e.threadHandle();
        assertSame(thread, th.object());
        assertEquals(0x1234 | Rights.READ, th.rights());
        Handle ph = e.processHandle();
        assertSame(process, ph.object());
        assertEquals(Rights.DESTROY, ph.rights());
        assertEquals(ZxStatus.ERR_INVALID_ARGS, assertThrows(ZxException.class, () -> e.setState(2)).status());
        e.setState(ExceptionObject.STATE_HANDLED);
        ex.destroy();
        assertEquals(Resolution.RESUME, run.get(30, TimeUnit.SECONDS));
        assertNull(thread.exceptionReport());
        assertEquals(ThreadState.RUNNING, thread.state());
        th.destroy();
        ph.destroy();
    }

    @Test
    void unhandledExceptionKillsTheProcess() throws Exception {
        CompletableFuture<Resolution> run = onRunner(t -> {
            Resolution r = Exceptions.raise(t, PAGE_FAULT);
            assertFalse(t.returnToUser());
            return r;
        });
        assertEquals(Resolution.KILL, run.get(30, TimeUnit.SECONDS));
        assertTrue(process.isDead());
        assertEquals(Task.RETCODE_EXCEPTION_KILL, process.returnCode());
    }

    @Test
    void searchOrderIsDebuggerThreadProcessJobParentAndTryNextMovesOn() throws Exception {
        Channel jobCh = bind(job, false, Rights.READ, Rights.READ);
        Channel rootCh = bind(root, false, Rights.READ, Rights.READ);
        Channel procCh = bind(process, false, Rights.READ, Rights.READ);
        Channel dbgCh = bind(process, true, Rights.READ, Rights.READ);
        Channel threadCh = bind(thread, false, Rights.READ, 0);
        CompletableFuture<Resolution> run = onRunner(t -> Exceptions.raise(t, PAGE_FAULT));
        List<Integer> seen = new ArrayList<>();
        Channel[] order = {dbgCh, threadCh, procCh, jobCh, rootCh};
        int[] types = {ChannelType.DEBUGGER, ChannelType.THREAD, ChannelType.PROCESS, ChannelType.JOB, ChannelType.JOB};
        for (int i = 0; i < order.length; i++) {
            Handle ex = receive(order[i], process, thread, ExceptionType.FATAL_PAGE_FAULT);
            seen.add(thread.waitExceptionChannelType());
            for (Channel other : order) if (other != order[i]) assertEquals(0, other.queuedMessages());
            if (order[i] == threadCh) {
                ExceptionObject e = (ExceptionObject) ex.object();
                assertEquals(ZxStatus.ERR_ACCESS_DENIED, assertThrows(ZxException.class, e::processHandle).status());
            }
            if (i == order.length - 1) ((ExceptionObject) ex.object()).setState(ExceptionObject.STATE_HANDLED);
            ex.destroy(); // TRY_NEXT except for the last
        }
        assertEquals(Resolution.RESUME, run.get(30, TimeUnit.SECONDS));
        assertEquals(List.of(types[0], types[1], types[2], types[3], types[4]), seen);
    }

    @Test
    void bindingRulesAlreadyBoundUnbindOnCloseAndPeerClosedOnDeath() {
        Handle user = process.exceptionate().bind(kernel, 0, 0);
        assertEquals(Exceptionate.CHANNEL_RIGHTS, user.rights());
        assertEquals(ZxStatus.ERR_ALREADY_BOUND,
                assertThrows(ZxException.class, () -> process.exceptionate().bind(kernel, 0, 0)).status());
        user.destroy();
        assertFalse(process.exceptionate().isBound());
        Handle again = process.exceptionate().bind(kernel, 0, 0);
        assertTrue(process.isDebuggerAttached() == false);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, assertThrows(ZxException.class, () -> thread.exceptionate(true)).status());
        process.kill();
        assertTrue(process.isDead());
        assertNotEquals(0, again.object().signals() & Signals.PEER_CLOSED);
        assertEquals(ZxStatus.ERR_BAD_STATE,
                assertThrows(ZxException.class, () -> process.exceptionate().bind(kernel, 0, 0)).status());
        again.destroy();
    }

    @Test
    void closingTheChannelWithAPendingExceptionTriesTheNextHandler() throws Exception {
        Handle procUser = process.exceptionate().bind(kernel, 0, 0);
        Channel jobCh = bind(job, false, 0, 0);
        CompletableFuture<Resolution> run = onRunner(t -> Exceptions.raise(t, PAGE_FAULT));
        Channel procCh = (Channel) procUser.object();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (procCh.queuedMessages() == 0) {
            assertTrue(System.nanoTime() < end);
            java.lang.Thread.sleep(1);
        }
        procUser.destroy(); // the queued message and its exception handle are dropped
        Handle ex = receive(jobCh, process, thread, ExceptionType.FATAL_PAGE_FAULT);
        ((ExceptionObject) ex.object()).setState(ExceptionObject.STATE_HANDLED);
        ex.destroy();
        assertEquals(Resolution.RESUME, run.get(30, TimeUnit.SECONDS));
    }

    @Test
    void killWhileInExceptionEndsTheWait() throws Exception {
        Channel ch = bind(process, false, 0, 0);
        CompletableFuture<Resolution> run = onRunner(t -> Exceptions.raise(t, PAGE_FAULT));
        Handle ex = receive(ch, process, thread, ExceptionType.FATAL_PAGE_FAULT);
        thread.kill();
        assertEquals(Resolution.KILL, run.get(30, TimeUnit.SECONDS));
        ex.destroy();
    }

    @Test
    void registersAreReadableWhileInAnException() throws Exception {
        Channel ch = bind(process, false, 0, 0);
        dev.zjvm.object.task.GeneralRegs regs = new dev.zjvm.object.task.GeneralRegs(0, 0, 0, 0, 0, 0, 0, 0x7000, 0, 0,
                0, 0, 0, 0, 0, 0, 0x4000, 0x202, 0, 0);
        dev.zjvm.object.task.GeneralRegs[] file = {regs};
        CompletableFuture<Long> run = onRunner(t -> {
            t.attachRegisters(new dev.zjvm.object.task.ThreadRegisters() {
                @Override
                public dev.zjvm.object.task.GeneralRegs readGeneral() {
                    return file[0];
                }

                @Override
                public void writeGeneral(dev.zjvm.object.task.GeneralRegs r) {
                    file[0] = r;
                }
            });
            assertEquals(Resolution.RESUME, Exceptions.raise(t, PAGE_FAULT));
            return file[0].rip();
        });
        Handle ex = receive(ch, process, thread, ExceptionType.FATAL_PAGE_FAULT);
        dev.zjvm.object.task.GeneralRegs seen = thread.readGeneralRegs();
        assertEquals(0x4000, seen.rip());
        thread.writeGeneralRegs(new dev.zjvm.object.task.GeneralRegs(0, 0, 0, 0, 0, 0, 0, 0x7000, 0, 0, 0, 0, 0, 0, 0,
                0, 0x4002, 0x202, 0, 0)); // skip the faulting instruction
        ((ExceptionObject) ex.object()).setState(ExceptionObject.STATE_HANDLED);
        ex.destroy();
        assertEquals(0x4002L, run.get(30, TimeUnit.SECONDS));
    }

    @Test
    void startingAndExitingGoToTheDebuggerOnly() throws Exception {
        Channel dbg = bind(process, true, Rights.READ, Rights.READ);
        Channel jobDbg = bind(job, true, Rights.READ, Rights.READ);
        Channel normal = bind(process, false, Rights.READ, Rights.READ);
        assertTrue(process.isDebuggerAttached());
        CompletableFuture<Boolean> run = onRunner(t -> {
            boolean ok = Exceptions.threadStarting(t);
            t.exit();
            return ok;
        });
        receive(jobDbg, process, thread, ExceptionType.PROCESS_STARTING).destroy();
        receive(dbg, process, thread, ExceptionType.THREAD_STARTING).destroy();
        receive(dbg, process, thread, ExceptionType.THREAD_EXITING).destroy();
        assertTrue(run.get(30, TimeUnit.SECONDS));
        assertEquals(0, normal.queuedMessages());
        assertTrue(thread.isDead());
    }

    @Test
    void suspendDuringAnExceptionTakesEffectAfterItIsResolved() throws Exception {
        Channel ch = bind(process, false, 0, 0);
        CompletableFuture<Boolean> run = onRunner(t -> {
            assertEquals(Resolution.RESUME, Exceptions.raise(t, PAGE_FAULT));
            return t.returnToUser(); // parks while suspended
        });
        Handle ex = receive(ch, process, thread, ExceptionType.FATAL_PAGE_FAULT);
        Handle token = Handle.createDefault(thread.suspend());
        assertEquals(ThreadState.BLOCKED_EXCEPTION, thread.state()); // the exception wait goes on
        ((ExceptionObject) ex.object()).setState(ExceptionObject.STATE_HANDLED);
        ex.destroy();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (thread.state() != ThreadState.SUSPENDED) {
            assertTrue(System.nanoTime() < end, "never suspended");
            java.lang.Thread.sleep(1);
        }
        assertFalse(run.isDone());
        token.destroy();
        assertTrue(run.get(30, TimeUnit.SECONDS));
        assertEquals(ThreadState.RUNNING, thread.state());
    }
}
