package dev.zjvm.syscall.handler;

import static dev.zjvm.object.ZxStatus.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.hal.host.HostCpus;
import dev.zjvm.object.Rights;
import dev.zjvm.object.dev.Resource;
import dev.zjvm.object.dev.ResourceKind;
import dev.zjvm.object.task.Thread;
import dev.zjvm.syscall.testing.ErrorChecks;
import dev.zjvm.syscall.testing.SyscallHarness;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** ZX_INFO_THREAD_STATS and ZX_INFO_CPU_STATS: measured on the host, in the 2020 layouts. */
class SchedulerInfoTest {
    private final SyscallHarness h = new SyscallHarness();

    private long[] threadStats(int thread) {
        long buf = h.alloc(16);
        long actual = h.alloc(8);
        long avail = h.alloc(8);
        assertEquals(OK, h.status("object_get_info", thread, TaskInfo.THREAD_STATS, buf, 16, actual, avail));
        assertEquals(1, h.u64(actual));
        assertEquals(1, h.u64(avail));
        return new long[] {h.u64(buf), Integer.toUnsignedLong(h.u32(buf + 8))};
    }

    @Test
    void aRunningThreadReportsItsRunnerCpuTimeAndCpu() {
        int self = h.install(h.thread);
        long[] first = threadStats(self);
        long[] later = first;
        long sink = 0;
        for (int i = 0; i < 1_000_000 && later[0] == first[0]; i++) {
            for (int j = 0; j < 10_000; j++) sink += i ^ j;
            later = threadStats(self);
        }
        assertTrue(later[0] > first[0], "running consumed no CPU time " + sink);
        assertTrue(later[1] >= 0 && later[1] < HostCpus.guestCpus().length, "cpu " + later[1]);
    }

    @Test
    void aThreadThatNeverRanHasNoRuntimeAndAnInvalidCpu() {
        int t = h.install(h.process.createThread("new"));
        assertArrayEquals(new long[] {0, 0xffff_ffffL}, threadStats(t));
    }

    @Test
    void aDeadThreadKeepsWhatItsRunnerMeasured() throws Exception {
        Thread[] t = new Thread[1];
        h.runAsGuest("worker", c -> {
            t[0] = c.thread();
            long sink = 0;
            for (int i = 0; i < 2_000_000; i++) sink += i * 31L;
            c.thread().exit(); // zx_thread_exit: measured as the runner leaves
            return sink;
        }).get(60, TimeUnit.SECONDS);
        assertTrue(t[0].isDead());
        long[] stats = threadStats(h.install(t[0]));
        assertTrue(stats[0] > 0);
        assertTrue(stats[1] >= 0 && stats[1] < HostCpus.guestCpus().length);
    }

    @Test
    void threadStatsErrors() {
        long buf = h.alloc(16);
        long actual = h.alloc(8);
        long avail = h.alloc(8);
        assertEquals(ERR_BUFFER_TOO_SMALL, h.status("object_get_info", h.install(h.thread), TaskInfo.THREAD_STATS, buf, 15, actual, avail));
        assertEquals(0, h.u64(actual));
        assertEquals(1, h.u64(avail));
        assertEquals(ERR_WRONG_TYPE, h.status("object_get_info", h.install(h.process), TaskInfo.THREAD_STATS, buf, 16, 0, 0));
        ErrorChecks.of(h, "object_get_info").args(0, TaskInfo.THREAD_STATS, buf, 16, 0, 0)
                .handle(0, () -> h.install(h.thread), Rights.INSPECT).out(2).run();
    }

    @Test
    void cpuStatsNeedsTheRootResourceAndDescribesEveryCpu() {
        int root = h.install(Resource.root(h.kernel));
        int n = HostCpus.guestCpus().length;
        long buf = h.alloc(120 * n);
        long actual = h.alloc(8);
        long avail = h.alloc(8);
        assertEquals(OK, h.status("object_get_info", root, TaskInfo.CPU_STATS, buf, 120L * n, actual, avail));
        assertEquals(n, h.u64(actual));
        assertEquals(n, h.u64(avail));
        for (int i = 0; i < n; i++) {
            long at = buf + 120L * i;
            assertEquals(i, h.u32(at));
            assertEquals(TaskInfo.CPU_STATS_FLAG_ONLINE, h.u32(at + 4));
            assertTrue(h.u64(at + 56) >= h.u64(at + 64), "interrupts include the timer interrupts");
        }
        // Truncated to whole records, still OK.
        assertEquals(OK, h.status("object_get_info", root, TaskInfo.CPU_STATS, buf, 119, actual, avail));
        assertEquals(0, h.u64(actual));
        assertEquals(n, h.u64(avail));
        int mmio = h.install(Resource.root(h.kernel).createChild(ResourceKind.MMIO.value(), 0, 0x1000, "mmio"));
        assertEquals(ERR_WRONG_TYPE, h.status("object_get_info", mmio, TaskInfo.CPU_STATS, buf, 120, actual, avail));
        assertEquals(ERR_WRONG_TYPE, h.status("object_get_info", h.install(h.thread), TaskInfo.CPU_STATS, buf, 120, actual, avail));
    }

    @Test
    void cpuStatsEncodesTheHostCounters() {
        Map<Integer, HostCpus.Counters> counters = Map.of(4, new HostCpus.Counters(4, 111, 222, 33, 44, 55));
        byte[] r = TaskInfo.cpuStats(new int[] {4, 5}, counters).records();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(r).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(240, r.length);
        assertEquals(0, b.getInt(0));
        assertEquals(1, b.getInt(4));
        assertEquals(111, b.getLong(8));
        assertEquals(222, b.getLong(56));
        assertEquals(33, b.getLong(64));
        assertEquals(44, b.getLong(104));
        assertEquals(55, b.getLong(112));
        assertEquals(1, b.getInt(120));
        assertEquals(0, b.getInt(124), "a CPU the host does not list is offline");
    }
}
