package dev.zjvm.hal.host;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HostSchedulingTest {
    /** Runs {@code body} with the TID of a fresh host thread that stays alive meanwhile. */
    private static <T> T onOtherThread(java.util.function.IntFunction<T> body) throws Exception {
        CompletableFuture<Integer> tid = new CompletableFuture<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread t = Thread.ofPlatform().daemon().start(() -> {
            tid.complete(HostThreads.currentTid());
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            return body.apply(tid.get(30, TimeUnit.SECONDS));
        } finally {
            done.countDown();
            t.join(30_000);
        }
    }

    @Test
    void niceAndAffinityApplyToTheThreadAndRestore() throws Exception {
        onOtherThread(tid -> {
            HostScheduling.Saved before = HostScheduling.save(tid);
            assertNotNull(before);
            assertEquals(HostScheduling.Policy.fair(0), before.policy());
            int[] one = {HostCpus.allowed()[0]};
            assertTrue(HostScheduling.apply(tid, HostScheduling.Policy.fair(5), one));
            assertEquals(HostScheduling.Policy.fair(5), HostScheduling.policy(tid));
            assertArrayEquals(one, HostScheduling.affinity(tid));
            HostScheduling.restore(tid, before);
            assertEquals(before.policy(), HostScheduling.policy(tid));
            assertArrayEquals(before.cpus(), HostScheduling.affinity(tid));
            return null;
        });
    }

    @Test
    void aRefusedChangeLeavesTheThreadAsItWas() throws Exception {
        onOtherThread(tid -> {
            HostScheduling.Saved before = HostScheduling.save(tid);
            int[] one = {HostCpus.allowed()[0]};
            // runtime > deadline: Linux refuses it, after the affinity was already changed.
            assertFalse(HostScheduling.apply(tid, HostScheduling.Policy.deadline(2_000_000, 1_000_000, 10_000_000), one));
            assertEquals(before.policy(), HostScheduling.policy(tid));
            assertArrayEquals(before.cpus(), HostScheduling.affinity(tid));
            return null;
        });
    }

    @Test
    void deadlinePolicyWhereTheHostAllowsIt() throws Exception {
        onOtherThread(tid -> {
            HostScheduling.Saved before = HostScheduling.save(tid);
            HostScheduling.Policy dl = HostScheduling.Policy.deadline(1_000_000, 10_000_000, 100_000_000);
            if (HostScheduling.apply(tid, dl, null)) {
                assertEquals(dl, HostScheduling.policy(tid));
                HostScheduling.restore(tid, before);
            }
            assertEquals(before.policy(), HostScheduling.policy(tid));
            return null;
        });
    }

    @Test
    void badArgumentsAreRefusedWithoutACall() {
        assertFalse(HostScheduling.setAffinity(HostThreads.currentTid(), new int[0]));
        assertFalse(HostScheduling.setAffinity(HostThreads.currentTid(), new int[] {5000}));
        assertFalse(HostScheduling.setPolicy(0, HostScheduling.Policy.fair(0)));
        assertNull(HostScheduling.affinity(0));
        assertNull(HostScheduling.save(1 << 23));
        assertEquals(HostScheduling.NICE_MIN, HostScheduling.Policy.fair(-100).nice());
    }
}
