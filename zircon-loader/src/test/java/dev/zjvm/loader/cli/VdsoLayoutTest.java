package dev.zjvm.loader.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.zjvm.loader.elf.ElfFile;
import dev.zjvm.loader.elf.ElfFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VdsoLayoutTest {
    @TempDir
    Path tmp;

    @Test
    void realLibosVdso() throws Exception {
        Path file = Path.of(System.getProperty("zjvm.realpair", "/work/realpair"), "libzircon-libos.so");
        assumeTrue(Files.isRegularFile(file), "skipped: " + file + " not present");
        VdsoLayout layout = VdsoLayout.of(ElfFile.read(file));
        assertEquals(0x4a50L, layout.constantsVaddr());
        assertEquals(0x4a50L, layout.constantsFileOffset());
        assertEquals(List.of(0x4f2bL, 0x4f33L, 0x4f3bL), layout.slotVaddrs());
        assertEquals(List.of(0x4f2bL, 0x4f33L, 0x4f3bL), layout.slotFileOffsets());
    }

    @Test
    void gccBuiltFixture() throws Exception {
        PrebuiltFixture.Images images = PrebuiltFixture.compile(tmp);
        ElfFile vdso = ElfFile.parse("vdso", images.vdso());
        VdsoLayout layout = VdsoLayout.of(vdso);
        assertEquals(2, layout.slotFileOffsets().size());
        // The constants block is pre-filled (0xdeadbeef) and each slot holds 0xdeadbeef: read them back.
        ByteBuffer file = vdso.bytes();
        assertEquals(0xdeadbeef, file.getInt((int) layout.constantsFileOffset()));
        for (long off : layout.slotFileOffsets()) {
            assertEquals(0xdeadbeefL, file.order(ByteOrder.LITTLE_ENDIAN).getLong((int) off));
        }
        ElfFormatException e = assertThrows(ElfFormatException.class,
                () -> VdsoLayout.of(ElfFile.parse("ub", images.userboot())));
        assertTrue(e.getMessage().startsWith("ub: no DATA_CONSTANTS symbol"), e.getMessage());
    }
}
