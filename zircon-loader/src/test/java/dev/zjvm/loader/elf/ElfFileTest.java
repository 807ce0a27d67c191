package dev.zjvm.loader.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElfFileTest {
    @TempDir
    Path dir;

    static final String STATIC_PIE = """
            int counter;
            int *const counter_ptr = &counter;          /* needs a RELATIVE reloc, lives in RELRO */
            const char message[] = "hello";
            long table[10] = {1};
            static int helper(int x) __attribute__((noinline, used));
            static int helper(int x) { return x + counter; }
            void _start(void) { counter = helper(3) + (int)table[0] + message[0]; for (;;) {} }
            """;

    private ElfFile staticPie() throws Exception {
        byte[] bytes = Gcc.compile(dir, "spie", STATIC_PIE, "-static-pie", "-nostdlib", "-fPIE",
                "-Wl,-z,relro", "-Wl,-z,now", "-Wl,-z,stack-size=0x23456", "-Wl,-z,separate-code");
        return ElfFile.parse("spie", bytes);
    }

    @Test
    void parsesStaticPieHeaderSegmentsAndSymbols() throws Exception {
        ElfFile elf = staticPie();
        assertEquals(Elf.ET_DYN, elf.header().type());
        assertEquals(Elf.EM_X86_64, elf.header().machine());
        ElfSymbol start = elf.requireSymbol("_start");
        assertEquals(elf.entry(), start.value());
        assertEquals(Elf.STT_FUNC, start.type());
        ElfSymbol table = elf.requireSymbol("table");
        assertEquals(80, table.size());
        assertEquals(Elf.STT_OBJECT, table.type());
        ElfSymbol helper = elf.requireSymbol("helper");
        assertTrue(helper.isLocal(), "static function is a LOCAL symbol");
        assertTrue(elf.findSymbol("no_such_symbol").isEmpty());
        assertThrows(ElfFormatException.class, () -> elf.requireSymbol("no_such_symbol"));

        // "hello" is read back through vaddr -> file offset translation.
        ElfSymbol message = elf.requireSymbol("message");
        assertEquals("hello\0", new String(elf.readVaddr(message.value(), 6), java.nio.charset.StandardCharsets.US_ASCII));
        long off = elf.vaddrToOffset(message.value()).orElseThrow();
        assertEquals(message.value(), elf.offsetToVaddr(off).orElseThrow());
        assertTrue(elf.section(".text").isPresent());
        assertTrue(elf.interpreter().isEmpty());
        assertEquals(0x23456, elf.requestedStackSize().orElseThrow());
    }

    @Test
    void symbolCountsMatchReadelf() throws Exception {
        ElfFile elf = staticPie();
        Path file = dir.resolve("spie");
        String out = Gcc.run(List.of("readelf", "--wide", "-s", file.toString()));
        Matcher m = Pattern.compile("Symbol table '\\.symtab' contains (\\d+) entries").matcher(out);
        assertTrue(m.find(), out);
        assertEquals(Integer.parseInt(m.group(1)) - 1, elf.symtab().size());
        Matcher d = Pattern.compile("Symbol table '\\.dynsym' contains (\\d+) entries").matcher(out);
        assertEquals(d.find() ? Integer.parseInt(d.group(1)) - 1 : 0, elf.dynsym().size());
        assertTrue(Files.size(file) == elf.size());
    }

    @Test
    void loadPlanAppliesRelroAndReportsRelocations() throws Exception {
        ElfFile elf = staticPie();
        LoadPlan plan = elf.loadPlan();
        assertEquals(0, plan.minVaddr());
        assertEquals(elf.entry(), plan.entry());
        assertEquals(Elf.pageUp(0x23456), plan.stackSize());
        assertFalse(plan.executableStack());
        assertFalse(plan.fileLayout(), ".bss (counter) is not in the file");
        assertTrue(plan.dynamic().hasRelocations(), "counter_ptr needs a relative relocation");
        assertTrue(plan.dynamic().needed().isEmpty());

        long prevEnd = 0;
        for (LoadSegment s : plan.segments()) {
            assertEquals(0, s.vaddr() % Elf.PAGE_SIZE);
            assertEquals(0, s.memsz() % Elf.PAGE_SIZE);
            assertEquals(0, s.fileOffset() % Elf.PAGE_SIZE);
            assertTrue(s.filesz() <= s.memsz());
            assertTrue(s.vaddr() >= prevEnd);
            prevEnd = s.end();
        }
        assertEquals(prevEnd, plan.span());

        ProgramHeader relro = elf.programHeader(Elf.PT_GNU_RELRO).orElseThrow();
        ElfSymbol ptr = elf.requireSymbol("counter_ptr");
        LoadSegment holding = plan.segments().stream().filter(s -> s.vaddr() <= ptr.value() && ptr.value() < s.end())
                .findFirst().orElseThrow();
        assertTrue(holding.relro(), "counter_ptr is in the RELRO piece");
        assertTrue(holding.perms().write());
        assertFalse(holding.finalPerms().write());
        assertEquals(Elf.pageDown(relro.vaddr()), holding.vaddr());
        // .data/.bss (counter) must stay writable after RELRO is applied.
        ElfSymbol counter = elf.requireSymbol("counter");
        LoadSegment data = plan.segments().stream().filter(s -> s.vaddr() <= counter.value() && counter.value() < s.end())
                .findFirst().orElseThrow();
        assertFalse(data.relro());
        assertTrue(data.finalPerms().write());
        // The code piece is r-x.
        LoadSegment code = plan.segments().stream().filter(s -> s.vaddr() <= plan.entry() && plan.entry() < s.end())
                .findFirst().orElseThrow();
        assertEquals(new MemoryPerms(true, false, true), code.finalPerms());
        // Mapped file bytes agree with the file: the first bytes of the first piece are the ELF magic.
        LoadSegment first = plan.segments().getFirst();
        assertEquals(0, first.fileOffset());
        java.nio.ByteBuffer head = elf.contents(first);
        assertEquals(first.filesz(), head.remaining());
        assertEquals(0x464c457f, head.getInt(0));
        // Each piece's bytes are the file bytes at its offset (the RELRO piece holds counter_ptr's slot).
        java.nio.ByteBuffer relroBytes = elf.contents(holding);
        assertEquals(elf.bytes().getLong((int) elf.vaddrToOffset(ptr.value()).orElseThrow()),
                relroBytes.getLong((int) (ptr.value() - holding.vaddr())));
    }

    @Test
    void sharedObjectWithoutRelocations() throws Exception {
        byte[] bytes = Gcc.compile(dir, "lib.so", """
                static int secret __attribute__((used)) = 7;
                int visible(void) { return 42; }
                """, "-shared", "-nostdlib", "-fPIC");
        ElfFile elf = ElfFile.parse("lib.so", bytes);
        LoadPlan plan = elf.loadPlan();
        assertFalse(plan.dynamic().hasRelocations());
        ElfSymbol visible = elf.requireSymbol("visible");
        assertFalse(visible.isLocal());
        // visible is in .symtab and .dynsym at the same address: reported once.
        assertEquals(1, elf.findSymbols("visible").size());
        assertTrue(elf.dynsym().stream().anyMatch(s -> s.name().equals("visible")));
        assertTrue(elf.findSymbol("secret").orElseThrow().isLocal());
        assertTrue(elf.dynsym().stream().noneMatch(s -> s.name().equals("secret")));
        // Code bytes of visible() are `mov $42, %eax; ret`.
        byte[] code = elf.readVaddr(visible.value(), 6);
        assertEquals((byte) 0xb8, code[0]);
        assertEquals(42, code[1]);
        assertEquals((byte) 0xc3, code[5]);
    }

    @Test
    void dynamicExecutableReportsInterpreterAndNeeded() throws Exception {
        byte[] bytes = Gcc.compile(dir, "hello", "#include <stdio.h>\nint main(void){puts(\"hi\");return 0;}\n",
                "-pie", "-fPIE");
        LoadPlan plan = ElfFile.parse("hello", bytes).loadPlan();
        assertTrue(plan.interpreter().orElseThrow().contains("ld-linux"));
        assertTrue(plan.dynamic().needed().contains("libc.so.6"));
    }

    @Test
    void fixedAddressExecutableIsNotAPie() throws Exception {
        byte[] bytes = Gcc.compile(dir, "fixed", "void _start(void){for(;;){}}\n", "-static", "-nostdlib", "-no-pie");
        ElfFile elf = ElfFile.parse("fixed", bytes);
        assertEquals(Elf.ET_EXEC, elf.header().type());
        ElfFormatException e = assertThrows(ElfFormatException.class, elf::loadPlan);
        assertTrue(e.getMessage().startsWith("fixed: not position-independent"), e.getMessage());
    }
}
