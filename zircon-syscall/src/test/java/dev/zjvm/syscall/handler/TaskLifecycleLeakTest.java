package dev.zjvm.syscall.handler;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.signal.Signals;
import dev.zjvm.object.task.Waiter;
import dev.zjvm.syscall.testing.LeakCheck;
import dev.zjvm.syscall.testing.SyscallHarness;
import org.junit.jupiter.api.Test;

/** Whole task trees created, run, killed and closed through syscalls leave no kernel object behind. */
class TaskLifecycleLeakTest {
    @Test
    void killedTreesAreCollected() {
        SyscallHarness h = new SyscallHarness();
        int jobHandle = h.install(h.job);
        LeakCheck leaks = LeakCheck.baseline(h.kernel);
        long out = h.alloc(16);
        for (int round = 0; round < 10; round++) {
            assertEquals(ZxStatus.OK, h.status("job_create", jobHandle, 0, out));
            int job = h.u32(out);
            assertEquals(ZxStatus.OK, h.status("process_create", job, h.string("p"), 1, 0, out, out + 4));
            int proc = h.u32(out);
            int vmar = h.u32(out + 4);
            assertEquals(ZxStatus.OK, h.status("thread_create", proc, h.string("t"), 1, 0, out + 8));
            int thread = h.u32(out + 8);
            assertEquals(ZxStatus.OK, h.status("event_create", 0, out + 12));
            int arg = h.u32(out + 12);
            assertEquals(ZxStatus.OK, h.status("process_start", proc, thread, 0x1000, 0x2000, arg, 0));
            assertEquals(ZxStatus.OK, h.status("eventpair_create", 0, out, out + 4));
            int ep0 = h.u32(out);
            int ep1 = h.u32(out + 4);
            assertEquals(ZxStatus.OK, h.status("task_kill", job));
            assertEquals(ZxStatus.OK, h.status("object_wait_one", job, Signals.TASK_TERMINATED, Waiter.INFINITE, 0));
            assertEquals(ZxStatus.OK, h.status("object_wait_one", proc, Signals.TASK_TERMINATED, Waiter.INFINITE, 0));
            assertEquals(ZxStatus.OK, h.status("handle_close_many", h.u32s(job, proc, vmar, thread, ep0, ep1), 6));
        }
        assertEquals(1, h.process.handleTable().count()); // only jobHandle
        leaks.assertNoNewObjects();
    }
}
