package dev.zjvm.syscall.handler;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.dev.Resource;
import dev.zjvm.object.dev.ResourceKind;
import dev.zjvm.object.task.ThreadState;
import dev.zjvm.object.task.Waiter;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.testing.ErrorChecks;
import dev.zjvm.syscall.testing.SyscallHarness;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TimeSyscallsTest {
    private final SyscallHarness h = new SyscallHarness();

    private int root() {
        return h.install(Resource.root(h.kernel));
    }

    @Test
    void nanosleepPastDeadlineReturnsAtOnce() {
        assertEquals(ZxStatus.OK, h.status("nanosleep", 0));
        assertEquals(ZxStatus.OK, h.status("nanosleep", -5));
        assertEquals(ZxStatus.OK, h.status("nanosleep", 1)); // 1 ns after boot: long past
    }

    @Test
    void nanosleepWakesAtTheDeadline() {
        long deadline = h.deadlineIn(30);
        assertEquals(ZxStatus.OK, h.status("nanosleep", deadline));
        assertTrue(h.kernel.clock().nowNanos() >= deadline, "woke before the deadline");
    }

    @Test
    void killWakesASleeper() throws Exception {
        SyscallContext[] who = new SyscallContext[1];
        CompletableFuture<Long> f = h.runAsGuest("sleeper", c -> {
            who[0] = c;
            return h.callAs(c, "nanosleep", Waiter.INFINITE);
        });
        while (who[0] == null) Thread.onSpinWait();
        SyscallHarness.awaitThreadState(who[0].thread(), ThreadState.BLOCKED_SLEEPING);
        who[0].thread().kill();
        assertEquals(ZxStatus.ERR_INTERNAL_INTR_KILLED, f.get(30, TimeUnit.SECONDS).intValue());
        assertTrue(who[0].thread().isDead());
    }

    @Test
    void suspendedSleeperRetriesWithTheSameDeadline() throws Exception {
        CompletableFuture<dev.zjvm.object.task.Thread> self = new CompletableFuture<>();
        CompletableFuture<Long> first = new CompletableFuture<>();
        long deadline = h.deadlineIn(200);
        CompletableFuture<Long> second = h.runAsGuest("sleeper", c -> {
            self.complete(c.thread());
            first.complete(h.callAs(c, "nanosleep", Waiter.INFINITE));
            return h.callAs(c, "nanosleep", deadline);
        });
        dev.zjvm.object.task.Thread t = self.get(30, TimeUnit.SECONDS);
        SyscallHarness.awaitThreadState(t, ThreadState.BLOCKED_SLEEPING);
        long tok = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("task_suspend", h.install(t), tok));
        SyscallHarness.awaitThreadState(t, ThreadState.SUSPENDED);
        h.call("handle_close", h.u32(tok));
        assertEquals(ZxStatus.ERR_INTERNAL_INTR_RETRY, first.get(30, TimeUnit.SECONDS).intValue());
        assertEquals(ZxStatus.OK, second.get(30, TimeUnit.SECONDS).intValue());
        assertTrue(h.kernel.clock().nowNanos() >= deadline);
    }

    @Test
    void clockGetMonotonicAndViaKernel() {
        long out = h.alloc(8);
        long before = h.kernel.clock().nowNanos();
        assertEquals(ZxStatus.OK, h.status("clock_get", TimeSyscalls.CLOCK_MONOTONIC, out));
        long viaKernel = h.call("clock_get_monotonic_via_kernel");
        long after = h.kernel.clock().nowNanos();
        assertTrue(before <= h.u64(out) && h.u64(out) <= viaKernel && viaKernel <= after);
        long t0 = h.kernel.clock().ticks();
        long ticks = h.call("ticks_get_via_kernel");
        assertTrue(t0 <= ticks && ticks <= h.kernel.clock().ticks());
    }

    @Test
    void utcFollowsTheAdjustedOffset() {
        long out = h.alloc(8);
        assertEquals(ZxStatus.OK, h.status("clock_get", TimeSyscalls.CLOCK_UTC, out));
        assertTrue(h.u64(out) > 1_500_000_000L * 1_000_000_000L, "UTC starts at the host's wall clock");
        long offset = 123_456_789_000L;
        assertEquals(ZxStatus.OK, h.status("clock_adjust", root(), TimeSyscalls.CLOCK_UTC, offset));
        long m0 = h.kernel.clock().nowNanos();
        h.call("clock_get", TimeSyscalls.CLOCK_UTC, out);
        long m1 = h.kernel.clock().nowNanos();
        assertTrue(m0 + offset <= h.u64(out) && h.u64(out) <= m1 + offset);
    }

    @Test
    void threadClockCountsCpuTime() {
        long out = h.alloc(8);
        assertEquals(ZxStatus.OK, h.status("clock_get", TimeSyscalls.CLOCK_THREAD, out));
        long first = h.u64(out);
        long x = 0;
        for (int i = 0; i < 5_000_000; i++) x += i ^ (x >>> 3);
        assertNotEquals(42, x);
        h.call("clock_get", TimeSyscalls.CLOCK_THREAD, out);
        assertTrue(first >= 0 && h.u64(out) >= first);
    }

    @Test
    void clockGetErrors() {
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("clock_get", 3, h.alloc(8)));
        ErrorChecks.of(h, "clock_get").args(TimeSyscalls.CLOCK_MONOTONIC, 0).out(1).run();
        ErrorChecks.of(h, "clock_get").args(TimeSyscalls.CLOCK_UTC, 0).out(1).run();
    }

    @Test
    void clockAdjustErrors() {
        assertEquals(ZxStatus.ERR_ACCESS_DENIED, h.status("clock_adjust", root(), TimeSyscalls.CLOCK_MONOTONIC, 0));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("clock_adjust", root(), TimeSyscalls.CLOCK_THREAD, 0));
        Resource irq = Resource.root(h.kernel).createChild(ResourceKind.IRQ.value(), 0, 16, "irq");
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status("clock_adjust", h.install(irq), TimeSyscalls.CLOCK_UTC, 0));
        ErrorChecks.of(h, "clock_adjust").args(0, TimeSyscalls.CLOCK_UTC, 77).handle(0, this::root, 0).run();
    }
}
