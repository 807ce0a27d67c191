package dev.zjvm.loader.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Checks the parser against zCore's real prebuilt pair when it is present on this machine. */
class RealPairTest {
    static final Path REAL_PAIR = Path.of(System.getProperty("zjvm.realpair", "/work/realpair"));

    private ElfFile load(String name) throws Exception {
        Path file = REAL_PAIR.resolve(name);
        assumeTrue(Files.isRegularFile(file), "skipped: " + file + " not present");
        return ElfFile.read(file);
    }

    @Test
    void libosVdso() throws Exception {
        ElfFile vdso = load("libzircon-libos.so");
        assertEquals(0x7e8cL, vdso.entry());
        ElfSymbol constants = vdso.requireSymbol("DATA_CONSTANTS");
        assertEquals(0x4a50L, constants.value());
        assertEquals(0x78L, constants.size());
        assertTrue(constants.isLocal());
        assertEquals(Elf.STV_HIDDEN, constants.visibility());
        assertEquals(0x4a50L, vdso.vaddrToOffset(constants.value()).orElseThrow());

        List<ElfSymbol> slots = vdso.findSymbols("zcore_syscall_entry");
        assertEquals(List.of(0x4f2bL, 0x4f33L, 0x4f3bL), slots.stream().map(ElfSymbol::value).toList());
        assertTrue(slots.stream().allMatch(ElfSymbol::isLocal));

        ElfSymbol call = vdso.requireSymbol("zx_channel_call");
        assertEquals(Elf.STB_WEAK, call.bind());
        assertEquals(call.value(), vdso.requireSymbol("_zx_channel_call").value());

        LoadPlan plan = vdso.loadPlan();
        assertEquals(2, plan.segments().size());
        assertEquals(new MemoryPerms(true, false, false), plan.segments().get(0).perms());
        assertEquals(new MemoryPerms(true, false, true), plan.segments().get(1).perms());
        assertEquals(0x9000L, plan.span());
        assertFalse(plan.dynamic().hasRelocations());
        assertEquals(LoadPlan.DEFAULT_STACK_SIZE, plan.stackSize());
        assertTrue(plan.fileLayout(), "the vDSO is a RODSO: file layout = memory layout");
    }

    @Test
    void libosUserboot() throws Exception {
        ElfFile userboot = load("userboot-libos.so");
        assertEquals(0x5140L, userboot.entry());
        LoadPlan plan = userboot.loadPlan();
        assertEquals(2, plan.segments().size());
        assertEquals(0x16000L, plan.span());
        assertTrue(plan.interpreter().isEmpty());
        assertTrue(plan.fileLayout());
        assertFalse(plan.dynamic().hasRelocations());
    }
}
