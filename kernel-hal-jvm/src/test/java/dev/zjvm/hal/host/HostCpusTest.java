package dev.zjvm.hal.host;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostCpusTest {
    @Test
    void parsesCpuLists() {
        assertArrayEquals(new int[] {0, 1, 2, 3, 6, 8, 9}, HostCpus.parseList("0-3,6,8-9"));
        assertArrayEquals(new int[] {5}, HostCpus.parseList("5"));
    }

    @Test
    void parsesPerCpuCounters() {
        String stat = """
                cpu  10 0 10 300 20 0 0 0 0 0
                cpu0 5 0 5 100 10 0 0 0 0 0
                cpu2 5 0 5 200 10 0 0 0 0 0
                intr 123
                ctxt 99
                """;
        String interrupts = """
                           CPU0       CPU2
                  0:         10          1   IO-APIC   2-edge      timer
                LOC:        100        200   Local timer interrupts
                RES:          7          8   Rescheduling interrupts
                CAL:          3          4   Function call interrupts
                ERR:          0
                """;
        Map<Integer, HostCpus.Counters> c = HostCpus.counters(stat, interrupts);
        assertEquals(2, c.size());
        assertEquals(new HostCpus.Counters(0, 110 * 10_000_000L, 120, 100, 7, 3), c.get(0));
        assertEquals(new HostCpus.Counters(2, 210 * 10_000_000L, 213, 200, 8, 4), c.get(2));
    }

    @Test
    void theHostHasCountersForEveryAllowedCpu() {
        int[] allowed = HostCpus.allowed();
        assertTrue(allowed.length > 0);
        Map<Integer, HostCpus.Counters> c = HostCpus.counters();
        for (int cpu : allowed) assertTrue(c.containsKey(cpu), "no counters for CPU " + cpu + " of " + Arrays.toString(allowed));
    }
}
