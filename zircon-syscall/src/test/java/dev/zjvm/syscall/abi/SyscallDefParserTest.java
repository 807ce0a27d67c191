package dev.zjvm.syscall.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SyscallDefParserTest {

    private static SyscallTable parse(String... lines) {
        return SyscallDefParser.parse("test.def", List.of(lines));
    }

    private static String error(String... lines) {
        return assertThrows(AbiDefinitionException.class, () -> parse(lines)).getMessage();
    }

    @Test
    void parsesAMinimalTable() {
        SyscallTable t = parse(
                "# comment",
                "family a",
                "syscall 0 a_one : zx_status_t : blocking   # trailing comment",
                "    in  h : zx_handle_t : handle=EVENT|TIMER rights=SIGNAL+WAIT",
                "    out p : void* : bytes=n nullable",
                "    in  n : size_t",
                "syscall - a_vdso : uint32_t : vdsocall const",
                "family b",
                "syscall 1 b_two : void : noreturn",
                "syscall 200 b_combo : void : vdsocall composite noreturn");
        assertEquals(4, t.all().size());
        SyscallDef one = t.byNumber(0).orElseThrow();
        assertEquals("a", one.family());
        assertEquals(List.of("EVENT", "TIMER"), one.params().get(0).handleTypes());
        assertTrue(one.params().get(1).nullable());
        assertEquals(2, t.kernelEntryCount());
    }

    @Test
    void reportsLineNumbers() {
        assertTrue(error("family a", "syscall 0 x : zx_status_t : bogus").startsWith("test.def:2:"));
        assertTrue(error("family a", "syscall 0 x : zx_status_t", "  up h : zx_handle_t").contains("unknown directive"));
        assertTrue(error("syscall 0 x : zx_status_t").contains("family"));
        assertTrue(error("family a", "  in h : zx_handle_t").contains("outside"));
    }

    @Test
    void rejectsInconsistentEntries() {
        assertTrue(error("family a", "syscall 1 x : zx_status_t").contains("expected number 0"));
        assertTrue(error("family a", "syscall 0 x : zx_status_t", "syscall 0 y : zx_status_t").contains("already used"));
        assertTrue(error("family a", "syscall 0 x : zx_status_t", "syscall 1 x : zx_status_t").contains("duplicate name"));
        assertTrue(error("family a", "syscall - x : zx_status_t").contains("needs a number"));
        assertTrue(error("family a", "syscall 0 x : zx_status_t : vdsocall").contains("no kernel number"));
        assertTrue(error("family a", "syscall 200 x : void : composite").contains("composite"));
        assertTrue(error("family a", "syscall 0 x : zx_status_t : noreturn").contains("void"));
        assertTrue(error("family a", "syscall 0 x : zx_status_t", "  out n : size_t").contains("scalar"));
        assertTrue(error("family a", "syscall 0 x : zx_status_t", "  in p : void* : bytes=nope").contains("nope"));
        assertTrue(error("family a", "syscall 0 x : zx_status_t", "  in n : size_t : rights=READ").contains("rights"));
        assertTrue(error("family a", "syscall 0 x : zx_status_t",
                "  in a : int32_t", "  in b : int32_t", "  in c : int32_t", "  in d : int32_t", "  in e : int32_t",
                "  in f : int32_t", "  in g : int32_t", "  in h : int32_t", "  in i : int32_t").contains("8 arguments"));
    }
}
