package dev.zjvm.syscall.handler;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.ObjectType;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.task.GeneralRegs;
import dev.zjvm.object.task.Job;
import dev.zjvm.object.task.Process;
import dev.zjvm.object.task.Thread;
import dev.zjvm.object.task.ThreadRegisters;
import dev.zjvm.object.task.ThreadState;
import dev.zjvm.syscall.testing.ErrorChecks;
import dev.zjvm.syscall.testing.SyscallHarness;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ThreadStateInfoPropertySyscallsTest {
    private final SyscallHarness h = new SyscallHarness();
    private final CompletableFuture<Void> stop = new CompletableFuture<>();

    @AfterEach
    void tearDown() {
        stop.complete(null);
    }

    /** Register file of the fake runner. */
    private static class Regs implements ThreadRegisters {
        volatile GeneralRegs regs = new GeneralRegs(10, 11, 12, 13, 14, 15, 16, 0x7000, 18, 19, 20, 21, 22, 23, 24, 25,
                0x4000, 0x202, 0x9000, 0);
        volatile long fsFromProperty;

        @Override
        public GeneralRegs readGeneral() {
            return regs;
        }

        @Override
        public void writeGeneral(GeneralRegs r) {
            regs = r;
        }

        @Override
        public void setFsBase(long value) {
            fsFromProperty = value;
        }
    }

    /** A guest thread with a register file, looping at the syscall boundary until the test ends. */
    private Thread runner(Regs regs) throws Exception {
        CompletableFuture<Thread> t = new CompletableFuture<>();
        h.runAsGuest("regs", c -> {
            c.thread().attachRegisters(regs);
            t.complete(c.thread());
            while (c.thread().returnToUser() && !stop.isDone()) {
                try {
                    java.lang.Thread.sleep(1);
                } catch (InterruptedException e) {
                    return null;
                }
            }
            return null;
        });
        return t.get(30, TimeUnit.SECONDS);
    }

    @Test
    void readAndWriteRegistersOfASuspendedThread() throws Exception {
        Regs regs = new Regs();
        Thread t = runner(regs);
        int th = h.install(t);
        long buf = h.alloc(160);
        // Running: no access.
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("thread_read_state", th, 0, buf, 160));
        long tok = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("task_suspend", th, tok));
        SyscallHarness.awaitThreadState(t, ThreadState.SUSPENDED);

        assertEquals(ZxStatus.OK, h.status("thread_read_state", th, 0, buf, 160));
        assertEquals(10, h.u64(buf));
        assertEquals(0x7000, h.u64(buf + 56));
        assertEquals(0x4000, h.u64(buf + 128));
        assertEquals(0x202, h.u64(buf + 136));
        assertEquals(0x9000, h.u64(buf + 144));
        assertEquals(ZxStatus.ERR_BUFFER_TOO_SMALL, h.status("thread_read_state", th, 0, buf, 159));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("thread_read_state", th, 3, buf, 160));
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, h.status("thread_read_state", th, 1, buf, 160)); // no FP view

        h.putU64(buf + 128, 0x4242);
        h.putU64(buf, 99);
        assertEquals(ZxStatus.OK, h.status("thread_write_state", th, 0, buf, 160));
        assertEquals(0x4242, regs.regs.rip());
        assertEquals(99, regs.regs.rax());
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("thread_write_state", th, 0, buf, 161));
        h.putU64(buf + 128, 0x8000_0000_0000_0000L);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("thread_write_state", th, 0, buf, 160));
        assertEquals(0x4242, regs.regs.rip()); // unchanged

        long one = h.alloc(8);
        h.putU32(one, 1);
        assertEquals(ZxStatus.OK, h.status("thread_write_state", th, 5, one, 4));
        assertEquals(GeneralRegs.TF, regs.regs.rflags() & GeneralRegs.TF);
        assertEquals(ZxStatus.OK, h.status("thread_read_state", th, 5, one, 4));
        assertEquals(1, h.u32(one));
        h.putU32(one, 2);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("thread_write_state", th, 5, one, 4));
        h.putU64(one, 0x5555_0000L);
        assertEquals(ZxStatus.OK, h.status("thread_write_state", th, 6, one, 8));
        assertEquals(0x5555_0000L, regs.regs.fsBase());
        assertEquals(ZxStatus.OK, h.status("thread_read_state", th, 6, buf, 8));
        assertEquals(0x5555_0000L, h.u64(buf));

        ErrorChecks.of(h, "thread_read_state").args(0, 0, 0, 160).handle(0, () -> h.install(t), Rights.READ).out(2).run();
        h.call("thread_read_state", th, 0, buf, 160);
        ErrorChecks.of(h, "thread_write_state").args(0, 0, buf, 160).handle(0, () -> h.install(t), Rights.WRITE).in(2)
                .run();

        h.call("handle_close", h.u32(tok));
        SyscallHarness.awaitThreadState(t, ThreadState.RUNNING);
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("thread_write_state", th, 0, buf, 160));
    }

    @Test
    void registerFsPropertyOnlyForTheCallingThread() throws Exception {
        Regs regs = new Regs();
        h.thread.attachRegisters(regs);
        int self = h.install(h.thread);
        long v = h.alloc(8);
        h.putU64(v, 0x1234_5000L);
        assertEquals(ZxStatus.OK, h.status("object_set_property", self, ObjectInfoSyscalls.PROP_REGISTER_FS, v, 8));
        assertEquals(0x1234_5000L, regs.fsFromProperty);
        assertEquals(ZxStatus.OK, h.status("object_set_property", self, ObjectInfoSyscalls.PROP_REGISTER_GS, v, 8));
        assertEquals(0x1234_5000L, h.thread.gsBase());
        assertEquals(0x1234_5000L, regs.regs.gsBase(), "a pure-Java runner keeps gs in its registers");
        h.putU64(v, 0xffff_8000_0000_0000L);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("object_set_property", self, ObjectInfoSyscalls.PROP_REGISTER_FS, v, 8));
        assertEquals(ZxStatus.ERR_BUFFER_TOO_SMALL, h.status("object_set_property", self, ObjectInfoSyscalls.PROP_REGISTER_FS, v, 4));
        Thread other = h.process.createThread("other");
        assertEquals(ZxStatus.ERR_ACCESS_DENIED,
                h.status("object_set_property", h.install(other), ObjectInfoSyscalls.PROP_REGISTER_FS, v, 8));
        assertEquals(ZxStatus.ERR_WRONG_TYPE,
                h.status("object_set_property", h.install(h.process), ObjectInfoSyscalls.PROP_REGISTER_FS, v, 8));
    }

    @Test
    void nameAndProcessAndJobProperties() {
        int p = h.install(h.job.createProcess("before"));
        long name = h.alloc(32);
        assertEquals(ZxStatus.OK, h.status("object_get_property", p, ObjectInfoSyscalls.PROP_NAME, name, 32));
        assertEquals('b', h.memory.readBytes(name, 1)[0]);
        assertEquals(ZxStatus.ERR_BUFFER_TOO_SMALL, h.status("object_get_property", p, ObjectInfoSyscalls.PROP_NAME, name, 31));
        long longName = h.string("a-very-long-process-name-that-does-not-fit-in-32");
        assertEquals(ZxStatus.OK, h.status("object_set_property", p, ObjectInfoSyscalls.PROP_NAME, longName, 48));
        assertEquals(31, h.object(p, Process.class).name().length());
        assertEquals(ZxStatus.OK, h.status("object_get_property", p, ObjectInfoSyscalls.PROP_NAME, name, 32));
        assertEquals(0, h.memory.readBytes(name, 32)[31]); // NUL-terminated
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, h.status("object_set_property",
                h.install(new dev.zjvm.object.ipc.Event(h.kernel), 0x7fffffff), ObjectInfoSyscalls.PROP_NAME, longName, 4));

        long v = h.alloc(8);
        h.putU64(v, 0xabc000);
        assertEquals(ZxStatus.OK, h.status("object_set_property", p, ObjectInfoSyscalls.PROP_PROCESS_DEBUG_ADDR, v, 8));
        h.putU64(v, 0);
        assertEquals(ZxStatus.OK, h.status("object_get_property", p, ObjectInfoSyscalls.PROP_PROCESS_DEBUG_ADDR, v, 8));
        assertEquals(0xabc000, h.u64(v));
        assertEquals(ZxStatus.ERR_BUFFER_TOO_SMALL, h.status("object_get_property", p, ObjectInfoSyscalls.PROP_PROCESS_DEBUG_ADDR, v, 7));
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status("object_get_property",
                h.install(new dev.zjvm.object.ipc.Event(h.kernel), 0x7fffffff), ObjectInfoSyscalls.PROP_PROCESS_DEBUG_ADDR, v, 8));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("object_set_property", p, ObjectInfoSyscalls.PROP_PROCESS_VDSO_BASE_ADDRESS, v, 8));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("object_get_property", p, 999, v, 8));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("object_get_property", p, ObjectInfoSyscalls.PROP_NAME, 0, 32));

        int j = h.install(h.job.createChild());
        h.putU64(v, 1);
        assertEquals(ZxStatus.OK, h.status("object_set_property", j, ObjectInfoSyscalls.PROP_JOB_KILL_ON_OOM, v, 8));
        assertTrue(h.object(j, Job.class).killOnOom());
        h.putU64(v, 2);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("object_set_property", j, ObjectInfoSyscalls.PROP_JOB_KILL_ON_OOM, v, 8));

        ErrorChecks.of(h, "object_get_property").args(0, ObjectInfoSyscalls.PROP_NAME, 0, 32)
                .anyHandle(0, () -> h.install(h.job.createProcess("x")), Rights.GET_PROPERTY).out(2).run();
        ErrorChecks.of(h, "object_set_property").args(0, ObjectInfoSyscalls.PROP_NAME, longName, 8)
                .anyHandle(0, () -> h.install(h.job.createProcess("x")), Rights.SET_PROPERTY).in(2).run();
    }

    @Test
    void infoTopicsOfTasks() {
        long buf = h.alloc(256);
        long actual = h.alloc(8);
        long avail = h.alloc(8);
        int p = h.install(h.process);
        assertEquals(ZxStatus.OK, h.status("object_get_info", p, TaskInfo.PROCESS, buf, 16, actual, avail));
        assertEquals(0, h.u64(buf));
        assertEquals(1, h.memory.readBytes(buf + 8, 1)[0]); // started
        assertEquals(0, h.memory.readBytes(buf + 9, 1)[0]); // not exited
        assertEquals(1, h.u64(actual));
        assertEquals(1, h.u64(avail));
        assertEquals(ZxStatus.ERR_BUFFER_TOO_SMALL, h.status("object_get_info", p, TaskInfo.PROCESS, buf, 15, actual, avail));
        assertEquals(0, h.u64(actual));
        assertEquals(1, h.u64(avail));

        // A dead process reports its return code.
        Process dead = h.job.createProcess("dead");
        int d = h.install(dead);
        h.call("task_kill", d);
        assertEquals(ZxStatus.OK, h.status("object_get_info", d, TaskInfo.PROCESS, buf, 16, 0, 0));
        assertEquals(-1024, h.u64(buf));
        assertEquals(1, h.memory.readBytes(buf + 9, 1)[0]);

        // Thread list: three threads, room for two.
        h.process.createThread("a");
        h.process.createThread("b");
        assertEquals(ZxStatus.OK, h.status("object_get_info", p, TaskInfo.PROCESS_THREADS, buf, 20, actual, avail));
        assertEquals(2, h.u64(actual));
        assertEquals(3, h.u64(avail));
        assertEquals(h.thread.koid(), h.u64(buf));
        assertEquals(ZxStatus.OK, h.status("object_get_info", p, TaskInfo.PROCESS_THREADS, 0, 0, actual, avail));
        assertEquals(0, h.u64(actual));
        assertEquals(3, h.u64(avail));

        int root = h.install(h.rootJob);
        assertEquals(ZxStatus.OK, h.status("object_get_info", root, TaskInfo.JOB_CHILDREN, buf, 64, actual, avail));
        assertEquals(1, h.u64(actual));
        assertEquals(h.job.koid(), h.u64(buf));
        int job = h.install(h.job);
        assertEquals(ZxStatus.OK, h.status("object_get_info", job, TaskInfo.JOB_PROCESSES, buf, 64, actual, avail));
        assertEquals(h.process.koid(), h.u64(buf));
        assertEquals(ZxStatus.OK, h.status("object_get_info", job, TaskInfo.JOB, buf, 16, 0, 0));
        assertEquals(0, h.memory.readBytes(buf + 8, 1)[0]);

        int t = h.install(h.thread);
        assertEquals(ZxStatus.OK, h.status("object_get_info", t, TaskInfo.THREAD, buf, 72, 0, 0));
        assertEquals(ThreadState.RUNNING, h.u32(buf));
        assertEquals(0, h.u32(buf + 4));
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("object_get_info", t, TaskInfo.THREAD_EXCEPTION_REPORT, buf, 32, 0, 0));

        assertEquals(ZxStatus.OK, h.status("object_get_info", p, TaskInfo.PROCESS_HANDLE_STATS, buf, 256, 0, 0));
        assertTrue(h.u32(buf + 4L * ObjectType.JOB.value()) >= 2);
        assertTrue(h.u32(buf + 4L * ObjectType.THREAD.value()) >= 1);

        // Generic topics.
        assertEquals(ZxStatus.OK, h.status("object_get_info", t, ObjectInfoSyscalls.INFO_HANDLE_BASIC, buf, 32, 0, 0));
        assertEquals(h.thread.koid(), h.u64(buf));
        assertEquals(ObjectType.THREAD.defaultRights(), h.u32(buf + 8));
        assertEquals(ObjectType.THREAD.value(), h.u32(buf + 12));
        assertEquals(h.process.koid(), h.u64(buf + 16));
        assertEquals(1, h.u32(buf + 24));
        assertEquals(ZxStatus.OK, h.status("object_get_info", t, ObjectInfoSyscalls.INFO_HANDLE_VALID, 0, 0, 0, 0));
        int closed = h.install(h.thread);
        h.call("handle_close", closed);
        assertEquals(ZxStatus.ERR_BAD_HANDLE, h.status("object_get_info", closed, ObjectInfoSyscalls.INFO_HANDLE_VALID, 0, 0, 0, 0));
        assertEquals(ZxStatus.OK, h.status("object_get_info", t, ObjectInfoSyscalls.INFO_HANDLE_COUNT, buf, 4, 0, 0));
        assertEquals(h.thread.handleCount(), h.u32(buf));

        // Wrong type, missing rights, unknown topic, bad pointers.
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status("object_get_info", t, TaskInfo.PROCESS, buf, 16, 0, 0));
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, h.status("object_get_info", t, 9999, buf, 16, 0, 0));
        assertEquals(ZxStatus.ERR_INVALID_ARGS,
                h.status("object_get_info", p, TaskInfo.PROCESS, SyscallHarness.UNMAPPED, 16, 0, 0));
        ErrorChecks.of(h, "object_get_info").args(0, TaskInfo.PROCESS, 0, 16, 0, 0)
                .handle(0, () -> h.install(h.process), Rights.INSPECT).out(2).optionalOut(4).optionalOut(5).run();
        ErrorChecks.of(h, "object_get_info").args(0, TaskInfo.JOB_CHILDREN, 0, 16, 0, 0)
                .handle(0, () -> h.install(h.rootJob), Rights.ENUMERATE).out(2).optionalOut(4).optionalOut(5).run();
        ErrorChecks.of(h, "object_get_info").args(0, TaskInfo.THREAD, 0, 72, 0, 0)
                .handle(0, () -> h.install(h.thread), Rights.INSPECT).out(2).run();
    }

    @Test
    void handleTableListsEveryHandleWithItsValue() {
        int e = h.newEvent();
        int p = h.install(h.process);
        int count = h.process.handleTable().count();
        long buf = h.alloc(40 * count);
        long actual = h.alloc(8);
        long avail = h.alloc(8);
        assertEquals(ZxStatus.OK, h.status("object_get_info", p, ObjectInfoSyscalls.INFO_HANDLE_TABLE, buf, 40L * count, actual, avail));
        assertEquals(count, h.u64(actual));
        assertEquals(count, h.u64(avail));
        boolean found = false;
        for (int i = 0; i < count; i++) {
            long r = buf + 40L * i;
            if (h.u32(r + 4) == e) {
                found = true;
                assertEquals(ObjectType.EVENT.value(), h.u32(r));
                assertEquals(ObjectType.EVENT.defaultRights(), h.u32(r + 8));
                assertEquals(1, h.u32(r + 12));
                assertEquals(h.object(e, dev.zjvm.object.ipc.Event.class).koid(), h.u64(r + 16));
            }
        }
        assertTrue(found);
        assertEquals(ZxStatus.OK, h.status("object_get_info", p, ObjectInfoSyscalls.INFO_HANDLE_TABLE, buf, 40, actual, avail));
        assertEquals(1, h.u64(actual));
        assertEquals(count, h.u64(avail));
        ErrorChecks.of(h, "object_get_info").args(0, ObjectInfoSyscalls.INFO_HANDLE_TABLE, 0, 40, 0, 0)
                .handle(0, () -> h.install(h.process), Rights.INSPECT | Rights.MANAGE_PROCESS | Rights.MANAGE_THREAD)
                .out(2).run();
    }

    @Test
    void registerGsIsNotSupportedWhereTheRunnerCannotLoadIt() {
        Regs regs = new Regs() {
            @Override
            public boolean setGsBase(long value) {
                return false; // as the HAL's arch_prctl mode
            }
        };
        h.thread.attachRegisters(regs);
        long v = h.alloc(8);
        h.putU64(v, 0x1234_5000L);
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED,
                h.status("object_set_property", h.install(h.thread), ObjectInfoSyscalls.PROP_REGISTER_GS, v, 8));
        assertEquals(0, h.thread.gsBase(), "nothing recorded");
    }
}
