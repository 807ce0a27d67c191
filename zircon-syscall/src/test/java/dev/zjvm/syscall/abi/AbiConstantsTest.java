package dev.zjvm.syscall.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.zjvm.syscall.abi.AbiItem.ConstantDef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AbiConstantsTest {
    private final AbiConstants abi = AbiConstants.standard();

    @Test
    void valuesAndGroups() {
        assertEquals(-11, abi.value("ZX_ERR_BAD_HANDLE"));
        assertEquals(-6, abi.value("ZX_ERR_INTERNAL_INTR_RETRY"));
        assertEquals(0xc003, abi.value("ZX_RIGHTS_BASIC"));
        assertEquals(0x80000000L, abi.value("ZX_RIGHT_SAME_RIGHTS"));
        assertEquals(Long.MAX_VALUE, abi.value("ZX_TIME_INFINITE"));
        assertEquals(Long.MIN_VALUE, abi.value("ZX_TIME_INFINITE_PAST"));
        assertEquals(0xfff, abi.value("ZX_PAGE_MASK"));
        assertEquals(0x20000000, abi.value("ZX_VM_ALIGN_4GB"));
        assertEquals(46, abi.group("status").size());
        assertEquals(22, abi.group("right").size()); // NONE, 20 bits, SAME_RIGHTS
        assertTrue(abi.isSigned("zx_status_t"));
        assertTrue(!abi.isSigned("zx_handle_t"));
        assertThrows(java.util.NoSuchElementException.class, () -> abi.value("ZX_NOPE"));
    }

    @Test
    void structLayouts() {
        assertEquals(48, abi.sizeOf("zx_port_packet_t"));
        assertEquals(20, abi.offsetOf("zx_port_packet_t", "signal.observed"));
        assertEquals(24, abi.offsetOf("zx_port_packet_t", "signal.count"));
        assertEquals(72, abi.offsetOf("zx_info_maps_t", "u.mapping.vmo_koid"));
        assertEquals(16, abi.offsetOf("zx_exception_report_t", "context.arch.u.x86_64.err_code"));
        assertEquals(24, abi.offsetOf("zx_exception_report_t", "context.arch.u.x86_64.cr2"));
        assertEquals(36, abi.sizeOf("zx_proc_args_t"));
        assertEquals(120, abi.sizeOf("vdso_constants_t"));
        assertEquals(56, abi.offsetOf("vdso_constants_t", "version_string"));
        assertEquals(8, abi.sizeOf("const char*"));
        assertEquals(Optional.of("zircon/syscalls/port.h"), abi.headerOf("zx_port_packet_t"));
        assertEquals(Optional.of("zircon/status.h"), abi.declaringHeader("status_get_string"));
    }

    @Test
    void everySyscallTypeIsKnown() {
        for (SyscallDef d : SyscallTable.standard().all()) {
            assertTrue(abi.isKnownType(d.returnType()), d.name() + " returns " + d.returnType());
            for (Param p : d.params()) {
                String base = p.isPointer() ? p.pointeeType() : p.cType();
                assertTrue(base.equals("void") || abi.isKnownType(base), d.name() + "." + p.name() + ": " + p.cType());
            }
        }
    }

    @Test
    void syscallHandleAndRightNamesExist() {
        for (SyscallDef d : SyscallTable.standard().all()) {
            for (Param p : d.params()) {
                for (String t : p.handleTypes()) {
                    assertTrue(t.equals("ANY") || abi.constant("ZX_OBJ_TYPE_" + t).isPresent(), d.name() + ": " + t);
                }
                p.resourceKind().ifPresent(k ->
                        assertTrue(abi.constant("ZX_RSRC_KIND_" + k).isPresent(), d.name() + ": " + k));
                for (String r : p.rights()) {
                    assertTrue(abi.constant("ZX_RIGHT_" + r).isPresent(), d.name() + ": " + r);
                }
            }
        }
    }

    @Test
    void valuesMatchTheSpecTables() throws IOException {
        Optional<Path> constantsMd = SpecFiles.find("constants.md");
        Optional<Path> formatsMd = SpecFiles.find("formats.md");
        assumeTrue(constantsMd.isPresent() && formatsMd.isPresent(),
                "../shared/zircon-abi/{constants,formats}.md not found; skipping the spec cross-check");
        String text = Files.readString(constantsMd.get()) + "\n" + Files.readString(formatsMd.get());
        Pattern name = Pattern.compile("^((?:ZX|ZBI|PA)_[A-Z0-9_]+)\\b");
        Pattern number = Pattern.compile("^(-?(?:0x[0-9a-fA-F]+|\\d+))(?:\\s|$)");
        List<String> problems = new ArrayList<>();
        int compared = 0;
        for (String line : text.lines().toList()) {
            if (!line.startsWith("|")) {
                continue;
            }
            String[] cells = line.split("\\|");
            String current = null;
            String lastNumber = null;
            List<String[]> pairs = new ArrayList<>();
            for (String raw : cells) {
                String cell = raw.strip();
                Matcher n = name.matcher(cell);
                if (n.find()) {
                    if (current != null && lastNumber != null) {
                        pairs.add(new String[] {current, lastNumber});
                    }
                    current = n.group(1);
                    lastNumber = null;
                    continue;
                }
                Matcher v = number.matcher(cell);
                if (current != null && v.find()) {
                    lastNumber = v.group(1);
                }
            }
            if (current != null && lastNumber != null) {
                pairs.add(new String[] {current, lastNumber});
            }
            for (String[] pair : pairs) {
                Optional<ConstantDef> c = abi.constant(pair[0]);
                if (c.isEmpty()) {
                    continue;
                }
                String s = pair[1];
                boolean neg = s.startsWith("-");
                String digits = neg ? s.substring(1) : s;
                long v = digits.startsWith("0x") ? Long.parseUnsignedLong(digits.substring(2), 16) : Long.parseLong(digits);
                compared++;
                if ((neg ? -v : v) != c.get().value()) {
                    problems.add(pair[0] + ": spec " + s + ", def " + c.get().value());
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(compared >= 200, "compared only " + compared + " constants with the spec");
    }
}
