package dev.zjvm.hal.host;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class HostThreadsTest {
    @Test
    void cpuTimeOfAThreadGrowsWhileItRuns() {
        int tid = HostThreads.currentTid();
        long before = HostThreads.cpuTimeNanos(tid);
        assertTrue(before > 0);
        long after = before;
        long sink = 0;
        for (int i = 0; i < 1_000_000 && after == before; i++) {
            for (int j = 0; j < 10_000; j++) sink += j ^ i;
            after = HostThreads.cpuTimeNanos(tid);
        }
        assertTrue(after > before, "spinning consumed no CPU time " + sink);
    }

    @Test
    void anotherThreadIsMeasuredByItsTid() throws Exception {
        int tid = CompletableFuture.supplyAsync(HostThreads::currentTid).get();
        assertNotEquals(HostThreads.currentTid(), tid);
        // The other thread may have exited: either a time or "no such thread", never our own time.
        long t = HostThreads.cpuTimeNanos(tid);
        assertTrue(t > 0 || t == -1);
    }

    @Test
    void lastCpuIsAnAllowedCpu() {
        int cpu = HostThreads.lastCpu(HostThreads.currentTid());
        int[] allowed = HostCpus.allowed();
        assertTrue(Arrays.stream(allowed).anyMatch(c -> c == cpu), cpu + " not in " + Arrays.toString(allowed));
    }

    @Test
    void unknownThreadsHaveNoStats() {
        int beyondPidMax = 1 << 23; // Linux's pid_max is at most 2^22
        assertEquals(-1, HostThreads.cpuTimeNanos(beyondPidMax));
        assertEquals(-1, HostThreads.lastCpu(beyondPidMax));
        assertEquals(-1, HostThreads.cpuTimeNanos(0));
        assertEquals(-1, HostThreads.cpuTimeNanos(Integer.MAX_VALUE));
    }

    @Test
    void parsesTheProcessorField() {
        StringBuilder s = new StringBuilder("42 (a) b) c) R");
        for (int f = 4; f <= 52; f++) s.append(' ').append(f == 39 ? 7 : f);
        assertEquals(7, HostThreads.parseProcessor(s.toString()));
        assertEquals(-1, HostThreads.parseProcessor("42 (x) R 1 2"));
    }
}
