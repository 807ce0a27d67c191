package dev.zjvm.syscall.handler;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.hal.host.HostCpus;
import dev.zjvm.hal.host.HostScheduling;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.sched.Profile;
import dev.zjvm.object.task.ThreadSchedule;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.testing.SyscallHarness;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** object_set_profile changes the host thread that runs the guest thread, and only while it does. */
class ProfileSchedulingTest {
    private final SyscallHarness h = new SyscallHarness();

    /** A guest thread on its own Java thread, alive until {@link #finish}; its handle and host TID. */
    private final class Guest {
        final SyscallContext ctx = h.newThreadContext("g");
        final int handle = h.install(ctx.thread());
        final CountDownLatch go = new CountDownLatch(1);
        final CompletableFuture<Integer> tid = new CompletableFuture<>();
        /** The runner's policy and affinity after the guest thread exited, read by the runner itself. */
        final CompletableFuture<HostScheduling.Saved> after = new CompletableFuture<>();
        final HostScheduling.Saved before;

        Guest() throws Exception {
            CompletableFuture<HostScheduling.Saved> initial = new CompletableFuture<>();
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    initial.complete(HostScheduling.save(dev.zjvm.hal.host.HostThreads.currentTid()));
                    assertTrue(ctx.thread().bindCurrent());
                    tid.complete(ctx.thread().hostTid());
                    go.await();
                    ctx.thread().exit();
                    after.complete(HostScheduling.save(dev.zjvm.hal.host.HostThreads.currentTid()));
                } catch (Throwable t) {
                    tid.completeExceptionally(t);
                    after.completeExceptionally(t);
                }
            });
            before = initial.get(30, TimeUnit.SECONDS);
            tid.get(30, TimeUnit.SECONDS);
        }

        int tid() throws Exception {
            return tid.get(30, TimeUnit.SECONDS);
        }

        HostScheduling.Saved finish() throws Exception {
            go.countDown();
            return after.get(30, TimeUnit.SECONDS);
        }
    }

    private int profile(int flags, int priority, long capacity, long deadline, long period, long mask) {
        long p = h.alloc(Profile.INFO_SIZE);
        h.putU32(p, flags);
        if ((flags & Profile.FLAG_DEADLINE) != 0) {
            h.putU64(p + 8, capacity);
            h.putU64(p + 16, deadline);
            h.putU64(p + 24, period);
        } else {
            h.putU32(p + 8, priority);
        }
        h.putU64(p + 32, mask);
        long out = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("profile_create", h.install(h.rootJob), 0, p, out));
        return h.u32(out);
    }

    private void assertRestored(Guest g) throws Exception {
        HostScheduling.Saved after = g.finish();
        assertEquals(g.before.policy(), after.policy());
        assertArrayEquals(g.before.cpus(), after.cpus());
    }

    @Test
    void priorityBecomesTheHostNiceValue() throws Exception {
        Guest g = new Guest();
        assertEquals(ZxStatus.OK, h.status("object_set_profile", g.handle, profile(Profile.FLAG_PRIORITY, 24, 0, 0, 0, 0), 0));
        assertEquals(HostScheduling.Policy.fair(ThreadSchedule.niceOf(24)), HostScheduling.policy(g.tid()));
        assertEquals(-10, ThreadSchedule.niceOf(24));
        assertEquals(ZxStatus.OK, h.status("object_set_profile", g.handle, profile(Profile.FLAG_PRIORITY, 4, 0, 0, 0, 0), 0));
        assertEquals(HostScheduling.Policy.fair(15), HostScheduling.policy(g.tid()));
        assertRestored(g);
    }

    @Test
    void cpuMaskBecomesTheHostAffinityAndTheReportedMask() throws Exception {
        Guest g = new Guest();
        int[] guestCpus = HostCpus.guestCpus();
        int last = guestCpus.length - 1;
        assertEquals(ZxStatus.OK, h.status("object_set_profile", g.handle, profile(Profile.FLAG_CPU_MASK, 0, 0, 0, 0, 1L << last), 0));
        assertArrayEquals(new int[] {guestCpus[last]}, HostScheduling.affinity(g.tid()));
        long info = h.alloc(TaskInfo.THREAD_INFO_SIZE);
        assertEquals(ZxStatus.OK, h.status("object_get_info", g.handle, TaskInfo.THREAD, info, TaskInfo.THREAD_INFO_SIZE, 0, 0));
        assertEquals(1L << last, h.u64(info + 8));
        // A mask naming no CPU we have is a soft affinity that cannot be met: every CPU again.
        assertEquals(ZxStatus.OK, h.status("object_set_profile", g.handle, profile(Profile.FLAG_CPU_MASK, 0, 0, 0, 0, 0), 0));
        assertArrayEquals(guestCpus, HostScheduling.affinity(g.tid()));
        assertRestored(g);
    }

    @Test
    void deadlineBecomesSchedDeadlineOrTheBestFairShare() throws Exception {
        Guest g = new Guest();
        int p = profile(Profile.FLAG_DEADLINE, 0, 2_000_000, 10_000_000, 50_000_000, 0);
        assertEquals(ZxStatus.OK, h.status("object_set_profile", g.handle, p, 0));
        HostScheduling.Policy now = HostScheduling.policy(g.tid());
        assertTrue(now.equals(HostScheduling.Policy.deadline(2_000_000, 10_000_000, 50_000_000))
                || now.equals(HostScheduling.Policy.fair(HostScheduling.NICE_MIN)), now.toString());
        // A priority profile ends the deadline (as in Zircon).
        assertEquals(ZxStatus.OK, h.status("object_set_profile", g.handle, profile(Profile.FLAG_PRIORITY, 16, 0, 0, 0, 0), 0));
        assertEquals(HostScheduling.Policy.fair(0), HostScheduling.policy(g.tid()));
        assertRestored(g);
    }

    @Test
    void aProfileSetBeforeTheRunnerStartsIsAppliedWhenItBinds() throws Exception {
        SyscallContext c = h.newThreadContext("late"); // started, no runner yet
        int th = h.install(c.thread());
        assertEquals(ZxStatus.OK, h.status("object_set_profile", th, profile(Profile.FLAG_PRIORITY, 20, 0, 0, 0, 0), 0));
        assertEquals(0, c.thread().hostTid());
        CompletableFuture<HostScheduling.Policy> policy = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                assertTrue(c.thread().bindCurrent());
                policy.complete(HostScheduling.policy(c.thread().hostTid()));
                c.thread().exit();
            } catch (Throwable t) {
                policy.completeExceptionally(t);
            }
        });
        assertEquals(HostScheduling.Policy.fair(ThreadSchedule.niceOf(20)), policy.get(30, TimeUnit.SECONDS));
    }

    @Test
    void notStartedOrDeadThreadsAreRefused() throws Exception {
        int p = profile(Profile.FLAG_PRIORITY, 20, 0, 0, 0, 0);
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("object_set_profile", h.install(h.process.createThread("new")), p, 0));
        Guest g = new Guest();
        g.finish();
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("object_set_profile", g.handle, p, 0));
    }
}
