package dev.zjvm.syscall.abi.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.zjvm.syscall.abi.AbiConstants;
import dev.zjvm.syscall.abi.SyscallAttribute;
import dev.zjvm.syscall.abi.SyscallDefParser;
import dev.zjvm.syscall.abi.SyscallTable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Builds the vDSO from userspace/vdso with make + gcc into target/, then checks its symbol table
 * and stub code against the Java syscall table (design section 5: "a test fails when they drift").
 */
class VdsoDriftTest {
    /** zCore's prebuilt libos vDSO, outside the repository; compared when present. */
    private static final Path REAL_VDSO = Path.of(System.getProperty("zjvm.realpair", "/work/realpair"),
            "libzircon-libos.so");

    private static ElfImage built;

    @BeforeAll
    static void buildTheVdso() throws IOException {
        built = ElfImage.read(VdsoBuild.build());
    }

    @Test
    void builtVdsoMatchesTheSyscallTable() {
        assertEquals(List.of(), VdsoDriftCheck.checkOurs(built, SyscallTable.standard(), AbiConstants.standard()));
        assertEquals(3, built.elfType, "ET_DYN");
        assertEquals(62, built.machine, "EM_X86_64");
    }

    @Test
    void driftIsDetected() throws IOException {
        String def;
        try (InputStream in = SyscallTable.class.getResourceAsStream(SyscallTable.RESOURCE)) {
            def = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // Swap two names (numbers stay in kazoo order) and rename a third entry.
        String drifted = def.replace("syscall 25 event_create ", "syscall 25 TMP ")
                .replace("syscall 26 eventpair_create ", "syscall 26 event_create ")
                .replace("syscall 25 TMP ", "syscall 25 eventpair_create ")
                .replace("syscall 62 nanosleep ", "syscall 62 nanosleep2 ");
        SyscallTable table = SyscallDefParser.parse("drifted", drifted.lines().toList());
        List<String> problems = VdsoDriftCheck.checkOurs(built, table, AbiConstants.standard());
        String all = String.join("\n", problems);
        assertTrue(all.contains("zx_event_create: stub loads 25, table says 26"), all);
        assertTrue(all.contains("zx_eventpair_create: stub loads 26, table says 25"), all);
        assertTrue(all.contains("zx_nanosleep2: no stub found"), all);
        assertTrue(all.contains("not exported: [_zx_nanosleep2, zx_nanosleep2]"), all);
        assertTrue(all.contains("exported but not in the table (or internal): [_zx_nanosleep, zx_nanosleep]"), all);
    }

    @Test
    void realZcoreVdsoAgreesWithTheTable() throws IOException {
        assumeTrue(Files.isRegularFile(REAL_VDSO), REAL_VDSO + " not present; skipping the comparison with zCore's vDSO");
        // Our only addition to the 2020 export set.
        Set<String> extras = Set.of("system_get_page_size");
        assertTrue(SyscallTable.standard().byName("system_get_page_size").orElseThrow().has(SyscallAttribute.EXTRA));
        List<String> problems = VdsoDriftCheck.checkReal(ElfImage.read(REAL_VDSO), SyscallTable.standard(), extras);
        assertEquals(List.of(), problems);
    }
}
