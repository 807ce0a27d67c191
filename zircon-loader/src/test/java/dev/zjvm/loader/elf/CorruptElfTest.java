package dev.zjvm.loader.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorruptElfTest {
    @TempDir
    Path dir;
    byte[] good;

    @BeforeEach
    void build() throws Exception {
        good = Gcc.compile(dir, "t", "int v = 1; int *const p = &v; void _start(void){for(;;){v++;}}\n",
                "-static-pie", "-nostdlib", "-fPIE", "-Wl,-z,relro", "-Wl,-z,now");
        ElfFile.parse("t", good).loadPlan();
    }

    private String problem(byte[] bytes) {
        ElfFormatException e = assertThrows(ElfFormatException.class, () -> ElfFile.parse("t.so", bytes).loadPlan());
        assertTrue(e.getMessage().startsWith("t.so: "), e.getMessage());
        return e.getMessage();
    }

    private ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void badMagic() {
        byte[] b = good.clone();
        b[1] = 'X';
        assertEquals("t.so: not an ELF file (bad magic)", problem(b));
        assertEquals("t.so: not an ELF file (bad magic)", problem(new byte[0]));
    }

    @Test
    void truncatedHeader() {
        assertTrue(problem(Arrays.copyOf(good, 40)).contains("truncated: 40 bytes"));
    }

    @Test
    void wrongClassDataMachine() {
        byte[] b = good.clone();
        b[4] = 1;
        assertTrue(problem(b).contains("not a 64-bit ELF"));
        b = good.clone();
        b[5] = 2;
        assertTrue(problem(b).contains("not a little-endian"));
        b = good.clone();
        le(b).putShort(18, (short) 183); // EM_AARCH64
        assertEquals("t.so: wrong machine 183 (expected x86-64, EM_X86_64 = 62)", problem(b));
        b = good.clone();
        le(b).putShort(16, (short) Elf.ET_REL);
        assertTrue(problem(b).contains("not an executable or shared object: ET_REL"));
    }

    @Test
    void programHeaderTableOutOfRange() {
        byte[] b = good.clone();
        le(b).putLong(32, good.length - 20L);
        assertTrue(problem(b).contains("program header table"), problem(b));
        b = good.clone();
        le(b).putShort(56, (short) 5000);
        assertTrue(problem(b).contains("program header table"));
        b = good.clone();
        le(b).putLong(32, -8L);
        assertTrue(problem(b).contains("program header table"));
    }

    @Test
    void segmentOutOfRange() {
        byte[] b = good.clone();
        int ph = (int) le(b).getLong(32);
        for (int i = 0; i < le(b).getShort(56); i++) {
            if (le(b).getInt(ph + i * 56) == Elf.PT_LOAD) {
                le(b).putLong(ph + i * 56 + 32, 1L << 40); // p_filesz
                break;
            }
        }
        assertTrue(problem(b).contains("PT_LOAD) file range"), problem(b));
    }

    @Test
    void entryOutsideCode() {
        byte[] b = good.clone();
        le(b).putLong(24, 0x7fff_0000L);
        assertTrue(problem(b).contains("entry point 0x7fff0000 is not in an executable PT_LOAD"));
    }

    @Test
    void everyTruncationIsAFormatError() {
        for (int len = 0; len < good.length; len += (len < 1024 ? 1 : 97)) {
            byte[] b = Arrays.copyOf(good, len);
            try {
                ElfFile.parse("t.so", b).loadPlan();
            } catch (ElfFormatException expected) {
                continue;
            } catch (RuntimeException e) {
                fail("truncated to " + len + " bytes: " + e, e);
            }
        }
    }

    @Test
    void randomCorruptionNeverEscapesAsRuntimeException() {
        SplittableRandom random = new SplittableRandom(1234);
        int headerArea = Math.min(good.length, 64 + 56 * 12);
        for (int round = 0; round < 3000; round++) {
            byte[] b = good.clone();
            int flips = 1 + random.nextInt(4);
            for (int i = 0; i < flips; i++) {
                int at = random.nextBoolean() ? random.nextInt(headerArea) : random.nextInt(b.length);
                b[at] = (byte) random.nextInt(256);
            }
            try {
                ElfFile elf = ElfFile.parse("t.so", b);
                elf.loadPlan();
                elf.findSymbols("v");
            } catch (ElfFormatException expected) {
                // fine
            } catch (RuntimeException e) {
                fail("round " + round + ": " + e, e);
            }
        }
    }
}
