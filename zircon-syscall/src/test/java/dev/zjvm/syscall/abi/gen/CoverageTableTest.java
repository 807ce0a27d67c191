package dev.zjvm.syscall.abi.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zjvm.syscall.abi.SyscallTable;
import org.junit.jupiter.api.Test;

class CoverageTableTest {
    @Test
    void oneRowPerEntryWithTheGivenStatus() {
        SyscallTable table = SyscallTable.standard();
        String md = CoverageTable.markdown(table, d -> d.name().startsWith("handle_"));
        assertTrue(md.startsWith("Generated from syscalls.def. 4 of " + table.all().size() + " entries implemented."));
        assertEquals(table.all().size(), md.lines().filter(l -> l.startsWith("| ") && l.contains("`zx_")).count());
        assertTrue(md.contains("| 42 | `zx_handle_close` | handle | kernel |  | yes |"), md);
        assertTrue(md.contains("| 200 | `zx_futex_wake_handle_close_thread_exit` | futex | composite (libos) | "
                + "composite, noreturn, vdsocall | no |"), md);
        assertTrue(md.contains("| — | `zx_clock_get_monotonic` | clock | vDSO-only | vdsocall | no |"), md);
    }
}
