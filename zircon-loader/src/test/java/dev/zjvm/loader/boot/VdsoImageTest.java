package dev.zjvm.loader.boot;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.zjvm.loader.cli.VdsoLayout;
import dev.zjvm.loader.elf.ElfFile;
import dev.zjvm.loader.elf.ElfSymbol;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class VdsoImageTest {
    private static final Path REAL_VDSO = Path.of(System.getProperty("zjvm.realpair", "/work/realpair"), "libzircon-libos.so");
    private static final VdsoConstants CONSTANTS =
            new VdsoConstants(2, 1, 0, 0, 64, 64, 2_500_000_000L, 2, 5, 24L << 30, "zjvm-test");

    @Test
    void constantsLayoutMatchesTheAbi() {
        ByteBuffer b = ByteBuffer.wrap(CONSTANTS.toBytes()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x78, b.capacity());
        assertEquals(2, b.getInt(0));
        assertEquals(1, b.getInt(4));
        assertEquals(64, b.getInt(16));
        assertEquals(2_500_000_000L, b.getLong(24));
        assertEquals(2, b.getInt(32));
        assertEquals(5, b.getInt(36));
        assertEquals(24L << 30, b.getLong(40));
        assertEquals(9, b.getLong(48));
        assertEquals('z', b.get(56));
        assertEquals(0, b.get(56 + 9));
    }

    @Test
    void patchesEverySlotAndTheConstantsOfTheRealVdso() throws Exception {
        assumeTrue(Files.isRegularFile(REAL_VDSO), "real zCore vDSO not present at " + REAL_VDSO + "; skipped");
        ElfFile elf = ElfFile.read(REAL_VDSO);
        VdsoImage image = VdsoImage.prepare(elf, VdsoLayout.of(elf), 0x1234_5678_9abcL, CONSTANTS);
        ByteBuffer b = ByteBuffer.wrap(image.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        var slots = elf.findSymbols(VdsoLayout.SYSCALL_ENTRY_SYMBOL);
        assertEquals(3, slots.size());
        for (ElfSymbol s : slots) assertEquals(0x1234_5678_9abcL, b.getLong((int) s.value()));
        assertEquals(2_500_000_000L, b.getLong(0x4a50 + 24));
        // Nothing else changed.
        byte[] orig = elf.toByteArray();
        byte[] now = image.bytes();
        int diffs = 0;
        for (int i = 0; i < orig.length; i++) if (orig[i] != now[i]) diffs++;
        assertTrue(diffs <= 3 * 8 + VdsoConstants.SIZE, "changed " + diffs + " bytes");
    }
}
