package dev.zjvm.syscall.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.task.Job;
import dev.zjvm.object.task.JobPolicy;
import dev.zjvm.object.task.Process;
import dev.zjvm.object.task.Thread;
import dev.zjvm.object.vm.Vmo;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.testing.SyscallHarness;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every object-creating syscall asks the caller's job policy first (NEW_* conditions, NEW_ANY). */
class CreationPolicySyscallsTest {
    private final SyscallHarness h = new SyscallHarness();

    /** A process in a fresh job whose policy gives {@code action} for {@code condition}. */
    private SyscallContext callerUnder(int condition, int action) {
        Job job = h.job.createChild();
        job.updatePolicy(p -> p.withBasic(false, List.of(new JobPolicy.Entry(condition, action, JobPolicy.OVERRIDE_DENY))));
        Process p = job.createProcess("constrained");
        Thread t = p.createThread("t");
        p.start(t, 0, 0, null, 0);
        return new SyscallContext(p, t, h.memory);
    }

    private long[] args(String call, SyscallContext c) {
        long out0 = h.alloc(4);
        long out1 = h.alloc(4);
        return switch (call) {
            case "event_create", "port_create" -> new long[] {0, out0};
            case "eventpair_create", "channel_create", "socket_create" -> new long[] {0, out0, out1};
            case "fifo_create" -> new long[] {4, 4, 0, out0, out1};
            case "timer_create" -> new long[] {0, 0, out0};
            case "vmo_create" -> new long[] {4096, 0, out0};
            case "clock_create" -> new long[] {0, 0, out0};
            case "vmo_replace_as_executable" -> {
                int vmo = c.process().handleTable().add(Handle.createDefault(Vmo.create(h.kernel, 4096, 0)));
                yield new long[] {vmo, 0, out0};
            }
            default -> throw new IllegalArgumentException(call);
        };
    }

    @ParameterizedTest
    @CsvSource({
        "event_create, 6", "eventpair_create, 7", "channel_create, 5", "socket_create, 9", "fifo_create, 10",
        "port_create, 8", "timer_create, 11", "vmo_create, 4", "clock_create, 3", "vmo_replace_as_executable, 14"})
    void denyPolicyRefusesTheCallAndAllowLetsItThrough(String call, int condition) {
        SyscallContext denied = callerUnder(condition, JobPolicy.DENY);
        int before = denied.process().handleTable().count();
        long[] a = args(call, denied);
        assertEquals(ZxStatus.ERR_ACCESS_DENIED, (int) h.callAs(denied, call, a));
        // Nothing was created; vmo_replace_as_executable consumed the VMO args() gave it, as it must.
        assertEquals(before, denied.process().handleTable().count());
        SyscallContext allowed = callerUnder(condition, JobPolicy.ALLOW);
        assertEquals(ZxStatus.OK, (int) h.callAs(allowed, call, args(call, allowed)));
        assertFalse(allowed.process().isDead());
    }

    @ParameterizedTest
    @CsvSource({"event_create", "channel_create", "vmo_create", "timer_create"})
    void newAnyCoversEveryCreation(String call) {
        SyscallContext denied = callerUnder(JobPolicy.NEW_ANY, JobPolicy.DENY);
        assertEquals(ZxStatus.ERR_ACCESS_DENIED, (int) h.callAs(denied, call, args(call, denied)));
    }

    @ParameterizedTest
    @CsvSource({"event_create", "port_create"})
    void killPolicyKillsTheCreator(String call) {
        SyscallContext c = callerUnder(JobPolicy.NEW_ANY, JobPolicy.KILL);
        h.callAs(c, call, args(call, c));
        assertEquals(true, c.process().isDead() || c.process().state() == Process.State.DYING);
    }

    @org.junit.jupiter.api.Test
    void timerSlackPolicyRaisesTheSlackOfTimersAndStretchesLateSleeps() {
        Job job = h.job.createChild();
        job.updatePolicy(p -> p.withTimerSlack(2_000_000L, JobPolicy.SLACK_LATE));
        Process p = job.createProcess("slack");
        Thread t = p.createThread("t");
        p.start(t, 0, 0, null, 0);
        SyscallContext c = new SyscallContext(p, t, h.memory);
        long out = h.alloc(4);
        assertEquals(ZxStatus.OK, (int) h.callAs(c, "timer_create", 0, 0, out));
        int timer = h.u32(out);
        long far = h.kernel.clock().nowNanos() + 3_600_000_000_000L;
        assertEquals(ZxStatus.OK, (int) h.callAs(c, "timer_set", timer, far, 10));
        long info = h.alloc(24);
        assertEquals(ZxStatus.OK, (int) h.callAs(c, "object_get_info", timer, 25, info, 24, 0, 0)); // ZX_INFO_TIMER
        assertEquals(2_000_000L, h.u64(info + 16), "slack raised to the job's minimum");
        assertEquals(ZxStatus.ERR_OUT_OF_RANGE, (int) h.callAs(c, "timer_set", timer, far, -1));
        long start = h.kernel.clock().nowNanos();
        assertEquals(ZxStatus.OK, (int) h.callAs(c, "nanosleep", start));
        assertTrue(h.kernel.clock().nowNanos() - start >= 2_000_000L, "a LATE sleep lasts at least deadline + slack");
    }
}
