package dev.zjvm.syscall.handler;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.ObjectType;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.ipc.Event;
import dev.zjvm.object.signal.Signals;
import dev.zjvm.object.task.Job;
import dev.zjvm.object.task.Process;
import dev.zjvm.object.task.Task;
import dev.zjvm.object.task.Thread;
import dev.zjvm.object.task.ThreadLauncher;
import dev.zjvm.object.task.ThreadState;
import dev.zjvm.object.task.Waiter;
import dev.zjvm.object.vm.VmAddressSpace;
import dev.zjvm.object.vm.VmOptions;
import dev.zjvm.object.vm.Vmar;
import dev.zjvm.syscall.testing.ErrorChecks;
import dev.zjvm.syscall.testing.SyscallHarness;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TaskSyscallsTest {
    private final SyscallHarness h = new SyscallHarness();

    private int newProcess(String name) {
        long out = h.alloc(8);
        assertEquals(ZxStatus.OK, h.status("process_create", h.install(h.job), h.string(name), name.length(), 0, out, out + 4));
        return h.u32(out);
    }

    private int newThread(int process) {
        long out = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("thread_create", process, h.string("t"), 1, 0, out));
        return h.u32(out);
    }

    @Test
    void jobCreate() {
        long out = h.alloc(4);
        int jh = h.install(h.job);
        assertEquals(ZxStatus.OK, h.status("job_create", jh, 0, out));
        Job child = h.object(h.u32(out), Job.class);
        assertSame(h.job, child.parent());
        assertEquals(ObjectType.JOB.defaultRights(), h.rights(h.u32(out)));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("job_create", jh, 1, out));
        // The 2020 kernel accepts WRITE instead of MANAGE_JOB.
        assertEquals(ZxStatus.OK, h.status("job_create", h.install(h.job, Rights.WRITE), 0, out));
        assertEquals(ZxStatus.ERR_ACCESS_DENIED, h.status("job_create", h.install(h.job, Rights.READ), 0, out));
        child.kill();
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("job_create", h.install(child), 0, out));
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status("job_create", h.newEvent(), 0, out));
        ErrorChecks.of(h, "job_create").args(0, 0, 0).handle(0, () -> h.install(h.job), 0).out(2).run();
    }

    @Test
    void processCreateTruncatesNameAndStartsNew() {
        String longName = "a-very-long-process-name-that-exceeds-31-bytes";
        int p = newProcess(longName);
        Process proc = h.object(p, Process.class);
        assertEquals(longName.substring(0, 31), proc.name());
        assertEquals(Process.State.NEW, proc.state());
        assertSame(h.job, proc.job());
        assertEquals(ObjectType.PROCESS.defaultRights(), h.rights(p));
        long out = h.alloc(8);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("process_create", h.install(h.job), h.string("x"), 1, 1, out, out + 4));
        assertEquals(ZxStatus.ERR_ACCESS_DENIED,
                h.status("process_create", h.install(h.job, Rights.READ), h.string("x"), 1, 0, out, out + 4));
        ErrorChecks.of(h, "process_create").args(0, h.string("x"), 1, 0, 0, 0)
                .handle(0, () -> h.install(h.job), 0).in(1).out(4).out(5).run();
    }

    @Test
    void processCreateReturnsTheNewProcessRootVmar() {
        // The harness installs no address-space factory: the kernel's default must give one.
        long out = h.alloc(8);
        assertEquals(ZxStatus.OK, h.status("process_create", h.install(h.job), h.string("v"), 1, 0, out, out + 4));
        Process proc = h.object(h.u32(out), Process.class);
        int vmar = h.u32(out + 4);
        assertNotEquals(0, vmar);
        Vmar root = h.object(vmar, Vmar.class);
        assertSame(VmAddressSpace.of(proc).root(), root);
        assertEquals(ProcessSyscalls.ROOT_VMAR_RIGHTS, h.rights(vmar));
        // A real VMAR: the caller can map into the child's address space through it.
        long vmoOut = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("vmo_create", 4096, 0, vmoOut));
        long addr = h.alloc(8);
        assertEquals(ZxStatus.OK, h.status("vmar_map", vmar, VmOptions.PERM_READ, 0, h.u32(vmoOut), 0, 4096, addr));
        long base = h.u64(addr);
        assertTrue(base >= root.base() && base < root.base() + root.size());
    }

    @Test
    void processStartThreadStartAndExit() {
        int p = newProcess("child");
        int t = newThread(p);
        Process proc = h.object(p, Process.class);
        Thread thr = h.object(t, Thread.class);
        int arg = h.newEvent();
        Event argEvent = h.object(arg, Event.class);
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("thread_start", t, 0x1000, 0x2000, 1, 2));
        assertEquals(ZxStatus.OK, h.status("process_start", p, t, 0x1000, 0x2000, arg, 99));
        assertFalse(h.isValid(arg));
        ThreadLauncher.StartInfo si = thr.startInfo();
        assertEquals(0x1000, si.entry());
        assertEquals(0x2000, si.stack());
        assertEquals(99, si.arg2());
        assertSame(argEvent, proc.handleTable().get((int) si.arg1(), Event.class, 0));
        assertEquals(Process.State.RUNNING, proc.state());
        int arg2 = h.newEvent();
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("process_start", p, t, 0, 0, arg2, 0));
        assertFalse(h.isValid(arg2)); // consumed even on error
        int t2 = newThread(p);
        assertEquals(ZxStatus.OK, h.status("thread_start", t2, 0x3000, 0x4000, 5, 6));
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("thread_start", t2, 0x3000, 0x4000, 5, 6));
        // Nobody runs these threads (no launcher): killing the process ends it at once.
        assertEquals(ZxStatus.OK, h.status("task_kill", p));
        assertTrue(proc.isDead());
        assertEquals(Task.RETCODE_SYSCALL_KILL, proc.returnCode());
        assertEquals(0, argEvent.handleCount());
        assertNotEquals(0, proc.signals() & Signals.TASK_TERMINATED);
    }

    @Test
    void processStartErrors() {
        int arg = h.newEvent();
        int p = newProcess("c");
        int t = newThread(p);
        int weakArg = h.install(new Event(h.kernel), Rights.WAIT);
        assertEquals(ZxStatus.ERR_ACCESS_DENIED, h.status("process_start", p, t, 0, 0, weakArg, 0));
        assertFalse(h.isValid(weakArg));
        int other = newProcess("o");
        int foreign = newThread(other);
        assertEquals(ZxStatus.ERR_ACCESS_DENIED, h.status("process_start", p, foreign, 0, 0, arg, 0));
        assertFalse(h.isValid(arg));
        int[] lastProcess = new int[1];
        ErrorChecks.of(h, "process_start").args(0, 0, 0x1000, 0x2000, 0, 0)
                .handle(0, () -> lastProcess[0] = newProcess("e"), Rights.WRITE)
                .handle(1, () -> newThread(lastProcess[0]), Rights.WRITE)
                .anyHandle(4, h::newEvent, Rights.TRANSFER)
                .consumes(4)
                .run();
    }

    @Test
    void threadCreateAndStartChecks() {
        int p = newProcess("c");
        ErrorChecks.of(h, "thread_create").args(0, h.string("t"), 1, 0, 0)
                .handle(0, () -> newProcess("e"), Rights.MANAGE_THREAD).in(1).out(4).run();
        long out = h.alloc(4);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("thread_create", p, h.string("t"), 1, 1, out));
        h.call("process_start", p, newThread(p), 0, 0, 0, 0);
        ErrorChecks.of(h, "thread_start").args(0, 0x1000, 0x2000, 0, 0)
                .handle(0, () -> newThread(p), Rights.MANAGE_THREAD).run();
    }

    @Test
    void taskKillChecks() {
        ErrorChecks.of(h, "task_kill").handle(0, () -> newProcess("k"), Rights.DESTROY).run();
        int e = h.newEvent();
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status("task_kill", e));
    }

    @Test
    void processExitFromAGuestThreadEndsTheProcessWithItsCode() throws Exception {
        // A second process whose two guest threads run on Java threads: one blocks, one exits.
        Process child = h.job.createProcess("child");
        int ph = h.install(child);
        Thread first = child.createThread("first");
        child.start(first, 0, 0, null, 0);
        Thread second = child.createThread("second");
        second.start(0, 0, 0, 0);
        var mem = new dev.zjvm.syscall.user.HeapUserMemory();
        var c1 = new dev.zjvm.syscall.dispatch.SyscallContext(child, first, mem);
        var c2 = new dev.zjvm.syscall.dispatch.SyscallContext(child, second, mem);
        int ev = child.handleTable().add(dev.zjvm.object.handle.Handle.createDefault(new Event(h.kernel)));
        CompletableFuture<Long> blocked = new CompletableFuture<>();
        java.lang.Thread jt = new java.lang.Thread(() -> {
            first.bindCurrent();
            blocked.complete(h.callAs(c1, "object_wait_one", ev, Signals.SIGNALED, Waiter.INFINITE, 0));
        });
        jt.setDaemon(true);
        jt.start();
        SyscallHarness.awaitThreadState(first, ThreadState.BLOCKED_WAIT_ONE);
        assertTrue(second.bindCurrent()); // the JUnit thread acts as the second guest thread
        h.callAs(c2, "process_exit", 7);
        assertEquals(ThreadState.DEAD, second.state());
        assertEquals(ZxStatus.ERR_INTERNAL_INTR_KILLED, (int) (long) blocked.get(30, TimeUnit.SECONDS));
        assertTrue(child.isDead());
        assertEquals(7, child.returnCode());
        assertEquals(0, child.handleTable().count());
        assertEquals(ZxStatus.OK, h.status("object_wait_one", ph, Signals.TASK_TERMINATED, 0, 0));
    }

    @Test
    void threadExitOfLastThreadEndsProcessWithZero() {
        Process child = h.job.createProcess("child");
        h.install(child);
        Thread only = child.createThread("only");
        child.start(only, 0, 0, null, 0);
        assertTrue(only.bindCurrent());
        h.callAs(new dev.zjvm.syscall.dispatch.SyscallContext(child, only, h.memory), "thread_exit");
        assertEquals(ThreadState.DEAD, only.state());
        assertTrue(child.isDead());
        assertEquals(0, child.returnCode());
    }
}
