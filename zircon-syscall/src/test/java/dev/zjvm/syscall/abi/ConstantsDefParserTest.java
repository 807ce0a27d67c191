package dev.zjvm.syscall.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConstantsDefParserTest {

    private static AbiConstants parse(String... lines) {
        return ConstantsDefParser.parse("test.def", List.of(lines));
    }

    private static String error(String... lines) {
        return assertThrows(AbiDefinitionException.class, () -> parse(lines)).getMessage();
    }

    @Test
    void evaluatesExpressions() {
        AbiConstants c = parse("header a.h", "typedef t_t uint32_t",
                "const A t_t 1<<4   # comment", "const B t_t A|0x3", "const C int32_t -(A+2)-1",
                "const D uint64_t 0xffffffffffffffff", "const E t_t 2+3<<1");
        assertEquals(16, c.value("A"));
        assertEquals(19, c.value("B"));
        assertEquals(-19, c.value("C"));
        assertEquals(-1L, c.value("D"));
        assertEquals(10, c.value("E"));
    }

    @Test
    void rejectsBadConstants() {
        assertTrue(error("header a.h", "const A uint8_t 256").contains("does not fit"));
        assertTrue(error("header a.h", "const A uint32_t -1").contains("does not fit"));
        assertTrue(error("header a.h", "const A uint32_t B").contains("unknown constant"));
        assertTrue(error("header a.h", "const A uint32_t 1", "const A uint32_t 2").contains("twice"));
        assertTrue(error("header a.h", "const A nope_t 1").contains("unknown type"));
        assertTrue(error("const A uint32_t 1").startsWith("test.def:1:"));
        assertTrue(error("header a.h", "const A uint32_t 1 +").contains("ends early"));
    }

    @Test
    void checksStructLayouts() {
        AbiConstants c = parse("header a.h",
                "struct s_t size=16 align=8", "  field a @0 uint32_t", "  field pad @4 uint8_t[4]",
                "  union u @8", "    field x @8 uint64_t", "    field y @8 uint32_t[2]", "  endunion", "end");
        assertEquals(8, c.offsetOf("s_t", "u.y"));
        assertTrue(error("header a.h", "struct s_t size=16 align=8", "  field a @0 uint32_t",
                "  field b @8 uint64_t", "end").contains("padding"));
        assertTrue(error("header a.h", "struct s_t size=8 align=8", "  field a @4 uint64_t", "end")
                .contains("aligned"));
        assertTrue(error("header a.h", "struct s_t size=8 align=4", "  field a @0 uint32_t",
                "  field b @2 uint32_t", "end").contains("aligned"));
        assertTrue(error("header a.h", "struct s_t size=8 align=4", "  field a @0 uint32_t",
                "  field b @4 uint32_t[2]", "end").contains("past the end"));
        assertTrue(error("header a.h", "struct s_t size=8 align=8", "  field a @0 uint32_t",
                "  field b @4 uint32_t", "end").contains("align"));
        assertTrue(error("header a.h", "struct s_t size=8 align=8", "  field a @0 uint64_t").contains("end"));
        assertTrue(error("header a.h", "struct s_t size=8 align=8", "  field a @0 nope_t", "end")
                .contains("unknown type"));
    }
}
