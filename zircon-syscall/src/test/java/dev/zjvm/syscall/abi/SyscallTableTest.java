package dev.zjvm.syscall.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SyscallTableTest {
    private final SyscallTable table = SyscallTable.standard();

    @Test
    void hasAllKernelNumbersAndTheTwoComposites() {
        assertEquals(167, table.kernelEntryCount());
        for (int n = 0; n < 167; n++) {
            assertTrue(table.byNumber(n).isPresent(), "number " + n);
        }
        assertEquals(169, table.byNumber().size());
        assertEquals("futex_wake_handle_close_thread_exit", table.byNumber(200).orElseThrow().name());
        assertEquals("vmar_unmap_handle_close_thread_exit", table.byNumber(201).orElseThrow().name());
        assertTrue(table.byNumber(200).orElseThrow().has(SyscallAttribute.COMPOSITE));
        assertTrue(table.byNumber(167).isEmpty());
        assertTrue(table.byNumber(199).isEmpty());
        assertEquals(202, table.numberLimit());
    }

    @Test
    void countsMatchTheSpec() {
        // 181 spec entries + 3 non-fidl exports of the 2020 vDSO + zx_system_get_page_size.
        assertEquals(185, table.all().size());
        assertEquals(5, table.all().stream().filter(d -> d.has(SyscallAttribute.INTERNAL)).count());
        assertEquals(11, table.all().stream().filter(d -> d.has(SyscallAttribute.TEST)).count());
        assertEquals(180, table.exported().size());
        Set<String> names = new HashSet<>();
        table.all().forEach(d -> assertTrue(names.add(d.name()), d.name()));
    }

    @Test
    void lookupAcceptsPrefixes() {
        SyscallDef close = table.byName("zx_handle_close").orElseThrow();
        assertEquals(close, table.byName("_zx_handle_close").orElseThrow());
        assertEquals(close, table.byName("handle_close").orElseThrow());
        assertEquals(42, close.number().getAsInt());
        assertTrue(table.byName("zx_no_such_call").isEmpty());
        assertEquals("zx_status_t zx_handle_close(zx_handle_t handle)", close.prototype(close.cName()));
    }

    @Test
    void paramMetadataIsDecoded() {
        SyscallDef write = table.byName("channel_write").orElseThrow();
        Param handle = write.params().getFirst();
        assertEquals(List.of("CHANNEL"), handle.handleTypes());
        assertEquals(Set.of("WRITE"), handle.rights());
        Param handles = write.param("handles").orElseThrow();
        assertTrue(handles.release());
        assertEquals(Optional.of("num_handles"), handles.countParam());
        assertEquals("zx_handle_t", handles.pointeeType());
        SyscallDef read = table.byName("vmo_read").orElseThrow();
        assertTrue(read.isBlocking());
        assertEquals(Direction.OUT, read.param("buffer").orElseThrow().direction());
        assertEquals(Optional.of("buffer_size"), read.param("buffer").orElseThrow().bytesParam());
        assertTrue(table.byName("process_exit").orElseThrow().isNoReturn());
        assertFalse(table.byName("channel_call_noretry").orElseThrow().isExported());
    }

    @Test
    void numbersMatchTheSpecAppendix() throws IOException {
        Optional<Path> spec = SpecFiles.find("syscalls.md");
        assumeTrue(spec.isPresent(), "../shared/zircon-abi/syscalls.md not found; skipping the spec cross-check");
        String text = Files.readString(spec.get());
        String appendix = text.substring(text.indexOf("## Appendix: syscall numbers"));
        Map<Integer, String> expected = new TreeMap<>();
        Matcher m = Pattern.compile("\\|\\s*(\\d+)\\s*\\|\\s*(zx_\\w+)\\s*").matcher(appendix);
        while (m.find()) {
            assertEquals(null, expected.put(Integer.parseInt(m.group(1)), m.group(2)), "duplicate in appendix");
        }
        assertEquals(169, expected.size(), "appendix rows");
        Map<Integer, String> actual = new TreeMap<>();
        table.byNumber().forEach((n, d) -> actual.put(n, d.cName()));
        assertEquals(expected, actual);
    }

    @Test
    void signaturesAndKindsMatchTheSpecEntries() throws IOException {
        Optional<Path> spec = SpecFiles.find("syscalls.md");
        assumeTrue(spec.isPresent(), "../shared/zircon-abi/syscalls.md not found; skipping the spec cross-check");
        String text = Files.readString(spec.get());
        Matcher m = Pattern.compile("(?m)^### (zx_\\w+)\\n- Number: ([^·\\n]*)· Kind: ([^\\n]*)\\n```c\\n(.*?)\\n```", Pattern.DOTALL)
                .matcher(text);
        Map<String, String[]> entries = new LinkedHashMap<>();
        while (m.find()) {
            entries.put(m.group(1), new String[] {m.group(2).strip(), m.group(3), m.group(4).strip()});
        }
        assertEquals(181, entries.size(), "spec entries");
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String[]> e : entries.entrySet()) {
            Optional<SyscallDef> def = table.byName(e.getKey());
            if (def.isEmpty()) {
                problems.add("missing " + e.getKey());
                continue;
            }
            SyscallDef d = def.get();
            String number = e.getValue()[0];
            Matcher digits = Pattern.compile("^(\\d+)").matcher(number);
            boolean composite = number.contains("zCore libos");
            if (digits.find()) {
                if (d.number().isEmpty() || d.number().getAsInt() != Integer.parseInt(digits.group(1))) {
                    problems.add(d.name() + ": number " + number + " vs " + d.number());
                }
            } else if (d.number().isPresent() != composite) {
                problems.add(d.name() + ": spec has no number, def has " + d.number());
            }
            String kind = e.getValue()[1];
            // vmar_op_range: '[Blocking]' in the fidl, but the real 2020-06 vDSO has no retry wrapper.
            check(problems, d, kind.contains("blocking") && !d.name().equals("vmar_op_range"), SyscallAttribute.BLOCKING);
            check(problems, d, kind.contains("noreturn"), SyscallAttribute.NORETURN);
            check(problems, d, kind.contains("internal"), SyscallAttribute.INTERNAL);
            check(problems, d, kind.contains("test-only"), SyscallAttribute.TEST);
            check(problems, d, kind.contains("vDSO-only"), SyscallAttribute.VDSOCALL);
            check(problems, d, kind.endsWith(", const"), SyscallAttribute.CONST);
            String specSig = normalize(e.getValue()[2].replace("[[noreturn]] ", ""));
            String defSig = normalize(d.prototype(d.cName()) + ";");
            if (!specSig.equals(defSig)) {
                problems.add(d.name() + ": signature\n  spec: " + specSig + "\n  def:  " + defSig);
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void handleRequirementsMatchTheSpecRightsLines() throws IOException {
        Optional<Path> spec = SpecFiles.find("syscalls.md");
        assumeTrue(spec.isPresent(), "../shared/zircon-abi/syscalls.md not found; skipping the spec cross-check");
        AbiConstants abi = AbiConstants.standard();
        String text = Files.readString(spec.get());
        Matcher entry = Pattern.compile("(?m)^### (zx_\\w+)\\n(?:.*\\n)*?- Rights: (.*)$").matcher(text);
        // "name: TYPE + RIGHT + RIGHT" (TYPE optional, TYPE|TYPE allowed), or "name: resource kind K".
        Pattern clause = Pattern.compile("^(\\w+): (resource kind (\\w+)|[A-Z_|]+(?: \\+ [A-Z_]+)*)(?=$|[ ;(,])");
        List<String> problems = new ArrayList<>();
        int checked = 0;
        while (entry.find()) {
            SyscallDef d = table.byName(entry.group(1)).orElseThrow();
            for (String part : entry.group(2).split(";")) {
                Matcher c = clause.matcher(part.strip());
                // Conditional or prose clauses ("VMO + READ if ...", "MSI allocation") are the handler's business.
                if (!c.find() || part.strip().substring(c.end()).matches(" [a-z].*")) {
                    continue;
                }
                Optional<Param> p = d.param(c.group(1));
                if (p.isEmpty()) {
                    continue; // e.g. "Every entry of handles" prose
                }
                checked++;
                if (c.group(3) != null) {
                    if (!p.get().resourceKind().equals(Optional.of(c.group(3)))) {
                        problems.add(d.name() + "." + p.get().name() + ": resource kind " + c.group(3));
                    }
                    continue;
                }
                for (String token : c.group(2).split(" \\+ ")) {
                    boolean isRight = abi.constant("ZX_RIGHT_" + token).isPresent();
                    if (isRight && !p.get().rights().contains(token)) {
                        problems.add(d.name() + "." + p.get().name() + ": missing right " + token);
                    } else if (!isRight && !p.get().handleTypes().equals(List.of(token.split("\\|")))) {
                        problems.add(d.name() + "." + p.get().name() + ": object type " + token + " vs "
                                + p.get().handleTypes());
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(checked >= 120, "checked only " + checked + " rights clauses");
    }

    private static void check(List<String> problems, SyscallDef d, boolean expected, SyscallAttribute a) {
        if (d.has(a) != expected) {
            problems.add(d.name() + ": attribute " + a.keyword() + " should be " + expected);
        }
    }

    private static String normalize(String c) {
        return c.replaceAll("\\s+", " ").replaceAll("\\s*\\*", "*").replaceAll("\\s*([(),;])\\s*", "$1");
    }
}
