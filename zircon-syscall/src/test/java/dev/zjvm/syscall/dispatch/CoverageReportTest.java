package dev.zjvm.syscall.dispatch;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.syscall.abi.SyscallTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CoverageReportTest {
    /** docs/ of the repository; tests run in the module directory. */
    private static final Path DOC = Path.of("..", "docs", "syscalls.md");

    @Test
    void docsSyscallsMdIsCurrent() throws IOException {
        String expected = CoverageReport.render(SyscallTable.standard(), SyscallRegistry.standard());
        if (Boolean.getBoolean("zjvm.docs.update")) {
            Files.writeString(DOC, expected, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(DOC), "docs/syscalls.md is missing; regenerate it (see CoverageReport)");
        assertEquals(expected, Files.readString(DOC, StandardCharsets.UTF_8),
                "docs/syscalls.md is stale: run mvn -B -q -ntp -pl zircon-syscall -am test -Dtest=CoverageReportTest "
                        + "-Dsurefire.failIfNoSpecifiedTests=false -Dzjvm.docs.update=true");
    }

    @Test
    void reportListsEveryStatusKind() {
        SyscallRegistry r = new SyscallRegistry();
        r.register("handle_close", (c, a0, a1, a2, a3, a4, a5, a6, a7) -> 0);
        r.register("handle_duplicate", Support.partial("no | pipes"), (c, a0, a1, a2, a3, a4, a5, a6, a7) -> 0);
        String doc = CoverageReport.render(SyscallTable.standard(), r);
        assertTrue(doc.contains("| 42 | `zx_handle_close` | kernel | IMPLEMENTED |"), doc);
        assertTrue(doc.contains("| 44 | `zx_handle_duplicate` | kernel | PARTIAL: no \\| pipes |"));
        assertTrue(doc.contains("| 3 | `zx_channel_create` | kernel | NOT_SUPPORTED |"));
        assertTrue(doc.contains("`zx_clock_get_monotonic` | vDSO-only | vDSO |"));
        assertTrue(doc.contains("implemented 1, partial 1"));
    }
}
