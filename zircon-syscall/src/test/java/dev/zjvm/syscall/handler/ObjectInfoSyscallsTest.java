package dev.zjvm.syscall.handler;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.ObjectType;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.ipc.EventPair;
import dev.zjvm.object.task.Job;
import dev.zjvm.object.task.Process;
import dev.zjvm.object.task.Task;
import dev.zjvm.object.task.ThreadState;
import dev.zjvm.syscall.testing.ErrorChecks;
import dev.zjvm.syscall.testing.SyscallHarness;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ObjectInfoSyscallsTest {
    private final SyscallHarness h = new SyscallHarness();
    private final long buf = h.alloc(512);
    private final long actual = h.alloc(8);
    private final long avail = h.alloc(8);

    @Test
    void handleValidAndBasic() {
        EventPair[] p = EventPair.create(h.kernel);
        int a = h.install(p[0], Rights.WAIT | Rights.SIGNAL);
        assertEquals(ZxStatus.OK, h.status("object_get_info", a, ObjectInfoSyscalls.INFO_HANDLE_VALID, 0, 0, 0, 0));
        assertEquals(ZxStatus.OK, h.status("object_get_info", a, ObjectInfoSyscalls.INFO_HANDLE_BASIC, buf, 32, actual, avail));
        assertEquals(p[0].koid(), h.u64(buf));
        assertEquals(Rights.WAIT | Rights.SIGNAL, h.u32(buf + 8));
        assertEquals(ObjectType.EVENTPAIR.value(), h.u32(buf + 12));
        assertEquals(p[1].koid(), h.u64(buf + 16));
        assertEquals(1, h.u32(buf + 24));
        assertEquals(1, h.u64(actual));
        assertEquals(1, h.u64(avail));
        assertEquals(ZxStatus.ERR_BUFFER_TOO_SMALL, h.status("object_get_info", a, ObjectInfoSyscalls.INFO_HANDLE_BASIC, buf, 31, actual, avail));
        assertEquals(0, h.u64(actual));
        assertEquals(1, h.u64(avail));
        assertEquals(ZxStatus.OK, h.status("object_get_info", a, ObjectInfoSyscalls.INFO_HANDLE_BASIC, buf, 32, 0, 0));
        h.call("handle_close", a);
        assertEquals(ZxStatus.ERR_BAD_HANDLE, h.status("object_get_info", a, ObjectInfoSyscalls.INFO_HANDLE_VALID, 0, 0, 0, 0));
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, h.status("object_get_info", h.newEvent(), 9999, buf, 32, 0, 0));
        ErrorChecks.of(h, "object_get_info").args(0, ObjectInfoSyscalls.INFO_HANDLE_BASIC, 0, 32, 0, 0)
                .anyHandle(0, h::newEvent, 0).out(2).optionalOut(4).optionalOut(5).run();
    }

    @Test
    void processThreadJobRecords() {
        int ph = h.install(h.process);
        assertEquals(ZxStatus.OK, h.status("object_get_info", ph, ObjectInfoSyscalls.INFO_PROCESS, buf, 16, actual, avail));
        assertEquals(0, h.u64(buf));
        assertEquals(1, h.memory.readBytes(buf + 8, 1)[0]);
        assertEquals(0, h.memory.readBytes(buf + 9, 1)[0]);
        int th = h.install(h.thread);
        assertEquals(ZxStatus.OK, h.status("object_get_info", th, ObjectInfoSyscalls.INFO_THREAD, buf, 72, actual, avail));
        assertEquals(ThreadState.RUNNING, h.u32(buf));
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status("object_get_info", th, ObjectInfoSyscalls.INFO_PROCESS, buf, 16, 0, 0));
        Job child = h.job.createChild();
        int ch = h.install(child);
        child.kill();
        assertEquals(ZxStatus.OK, h.status("object_get_info", ch, ObjectInfoSyscalls.INFO_JOB, buf, 16, 0, 0));
        assertEquals(Task.RETCODE_SYSCALL_KILL, h.u64(buf));
        assertEquals(1, h.memory.readBytes(buf + 8, 1)[0]);
        ErrorChecks.of(h, "object_get_info").args(0, ObjectInfoSyscalls.INFO_PROCESS, 0, 16, 0, 0)
                .handle(0, () -> h.install(h.process), Rights.INSPECT).out(2).run();
    }

    @Test
    void koidArraysTruncateAndReportAvail() {
        Process p1 = h.job.createProcess("a");
        Process p2 = h.job.createProcess("b");
        h.install(p1);
        h.install(p2);
        int jh = h.install(h.job);
        assertEquals(ZxStatus.OK, h.status("object_get_info", jh, ObjectInfoSyscalls.INFO_JOB_PROCESSES, buf, 16, actual, avail));
        assertEquals(2, h.u64(actual));
        assertEquals(3, h.u64(avail));
        assertEquals(h.process.koid(), h.u64(buf));
        assertEquals(p1.koid(), h.u64(buf + 8));
        assertEquals(ZxStatus.OK, h.status("object_get_info", jh, ObjectInfoSyscalls.INFO_JOB_PROCESSES, 0, 0, actual, avail));
        assertEquals(0, h.u64(actual));
        assertEquals(3, h.u64(avail));
        assertEquals(ZxStatus.OK, h.status("object_get_info", h.install(h.process), ObjectInfoSyscalls.INFO_PROCESS_THREADS, buf, 64, actual, avail));
        assertEquals(1, h.u64(actual));
        assertEquals(h.thread.koid(), h.u64(buf));
        assertEquals(ZxStatus.ERR_ACCESS_DENIED, h.status("object_get_info", h.install(h.job, Rights.INSPECT), ObjectInfoSyscalls.INFO_JOB_CHILDREN, buf, 64, 0, 0));
    }

    @Test
    void nameProperty() {
        int ph = h.install(h.process);
        long name = h.string("renamed-process-with-a-name-longer-than-31");
        assertEquals(ZxStatus.OK, h.status("object_set_property", ph, ObjectInfoSyscalls.PROP_NAME, name, 42));
        assertEquals("renamed-process-with-a-name-lon", h.process.name());
        long out = h.alloc(32);
        assertEquals(ZxStatus.OK, h.status("object_get_property", ph, ObjectInfoSyscalls.PROP_NAME, out, 32));
        assertEquals("renamed-process-with-a-name-lon",
                new String(h.memory.readBytes(out, 31), StandardCharsets.UTF_8));
        assertEquals(0, h.memory.readBytes(out + 31, 1)[0]);
        assertEquals(ZxStatus.ERR_BUFFER_TOO_SMALL, h.status("object_get_property", ph, ObjectInfoSyscalls.PROP_NAME, out, 31));
        int ev = h.install(new dev.zjvm.object.ipc.Event(h.kernel), 0x7fffffff);
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, h.status("object_set_property", ev, ObjectInfoSyscalls.PROP_NAME, name, 4));
        assertEquals(ZxStatus.OK, h.status("object_get_property", ev, ObjectInfoSyscalls.PROP_NAME, out, 32));
        assertEquals(0, h.u64(out));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("object_get_property", ph, 9999, out, 32));
        ErrorChecks.of(h, "object_get_property").args(0, ObjectInfoSyscalls.PROP_NAME, 0, 32)
                .anyHandle(0, () -> h.install(h.process), Rights.GET_PROPERTY).out(2).run();
        ErrorChecks.of(h, "object_set_property").args(0, ObjectInfoSyscalls.PROP_NAME, h.string("x"), 1)
                .anyHandle(0, () -> h.install(h.process), Rights.SET_PROPERTY).in(2).run();
    }

    @Test
    void processAndThreadProperties() {
        int ph = h.install(h.process);
        long v = h.alloc(8);
        h.putU64(v, 0x1234_5000L);
        assertEquals(ZxStatus.OK, h.status("object_set_property", ph, ObjectInfoSyscalls.PROP_PROCESS_DEBUG_ADDR, v, 8));
        assertEquals(0x1234_5000L, h.process.debugAddress());
        h.process.setVdsoBase(0x7000_0000L);
        assertEquals(ZxStatus.OK, h.status("object_get_property", ph, ObjectInfoSyscalls.PROP_PROCESS_VDSO_BASE_ADDRESS, v, 8));
        assertEquals(0x7000_0000L, h.u64(v));
        assertEquals(ZxStatus.ERR_BUFFER_TOO_SMALL, h.status("object_get_property", ph, ObjectInfoSyscalls.PROP_PROCESS_VDSO_BASE_ADDRESS, v, 4));
        int th = h.install(h.thread);
        h.putU64(v, 0x5000_0000L);
        assertEquals(ZxStatus.OK, h.status("object_set_property", th, ObjectInfoSyscalls.PROP_REGISTER_FS, v, 8));
        assertEquals(0x5000_0000L, h.thread.fsBase());
        h.putU64(v, 0xffff_8000_0000_0000L);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("object_set_property", th, ObjectInfoSyscalls.PROP_REGISTER_FS, v, 8));
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status("object_set_property", ph, ObjectInfoSyscalls.PROP_REGISTER_FS, v, 8));
        var other = h.newThreadContext("other").thread();
        h.putU64(v, 0x1000);
        assertEquals(ZxStatus.ERR_ACCESS_DENIED, h.status("object_set_property", h.install(other), ObjectInfoSyscalls.PROP_REGISTER_GS, v, 8));
        int jh = h.install(h.job);
        h.putU64(v, 2);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("object_set_property", jh, ObjectInfoSyscalls.PROP_JOB_KILL_ON_OOM, v, 8));
        h.putU64(v, 1);
        assertEquals(ZxStatus.OK, h.status("object_set_property", jh, ObjectInfoSyscalls.PROP_JOB_KILL_ON_OOM, v, 8));
        assertTrue(h.job.killOnOom());
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status("object_get_property", jh, ObjectInfoSyscalls.PROP_SOCKET_RX_THRESHOLD, v, 8));
    }
}
