package dev.zjvm.loader.zbi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BootfsTest {
    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void layoutFollowsTheFormatByteForByte() {
        byte[] app = "APPDATA".getBytes(StandardCharsets.US_ASCII);
        byte[] big = new byte[5000];
        Arrays.fill(big, (byte) 7);
        byte[] image = new BootfsWriter().add("a", new byte[] {1, 2, 3}).add("bin/app", app)
                .add("empty", new byte[0]).add("lib/big", big).toByteArray();
        ByteBuffer b = le(image);
        assertEquals(0xa56d3ff9, b.getInt(0));
        // dirents: "a" name_len 2 -> 16 bytes; "bin/app" 8 -> 20; "empty" 6 -> 20; "lib/big" 8 -> 20.
        assertEquals(16 + 20 + 20 + 20, b.getInt(4));
        assertEquals(0, b.getInt(8));
        assertEquals(0, b.getInt(12));
        // entry 0 at 16
        assertEquals(2, b.getInt(16));
        assertEquals(3, b.getInt(20));
        assertEquals(4096, b.getInt(24));
        assertEquals('a', image[28]);
        assertEquals(0, image[29]);
        // entry 1 at 32
        assertEquals(8, b.getInt(32));
        assertEquals(7, b.getInt(36));
        assertEquals(8192, b.getInt(40));
        assertEquals("bin/app\0", new String(image, 44, 8, StandardCharsets.US_ASCII));
        // entry 2 at 52: empty file, zero length, no page consumed
        assertEquals(0, b.getInt(56));
        assertEquals(12288, b.getInt(60));
        // entry 3 at 72: 5000 bytes spanning two pages
        assertEquals(5000, b.getInt(76));
        assertEquals(12288, b.getInt(80));
        assertEquals(12288 + 8192, image.length);
        assertEquals(1, image[4096]);
        assertEquals(0, image[4099], "files are zero-padded");
        assertEquals('A', image[8192]);
        assertEquals(7, image[12288 + 4999]);
        assertEquals(0, image[12288 + 5000]);
    }

    @Test
    void roundTrip() throws Exception {
        String longName = "d/" + "x".repeat(253); // 255 bytes + NUL = 256, the maximum
        byte[] image = new BootfsWriter().add("bin/bootsvc", "svc".getBytes(StandardCharsets.US_ASCII))
                .add(longName, new byte[] {9}).add("lib/ld.so.1", new byte[10000]).toByteArray();
        Bootfs fs = Bootfs.parse("t", ByteBuffer.wrap(image));
        assertEquals(List.of("bin/bootsvc", longName, "lib/ld.so.1"), fs.entries().stream().map(BootfsEntry::name).toList());
        assertArrayEquals("svc".getBytes(StandardCharsets.US_ASCII), fs.read(fs.find("bin/bootsvc").orElseThrow()));
        assertArrayEquals(new byte[] {9}, fs.read(fs.find(longName).orElseThrow()));
        assertEquals(10000, fs.contents(fs.find("lib/ld.so.1").orElseThrow()).remaining());
        assertTrue(fs.find("bin").isEmpty());
        assertTrue(fs.find("/bin/bootsvc").isEmpty());
        for (BootfsEntry e : fs.entries()) {
            assertEquals(0, e.dataOffset() % 4096);
        }
    }

    @Test
    void writerRejectsBadNames() {
        BootfsWriter w = new BootfsWriter().add("bin/a", new byte[0]);
        assertThrows(IllegalArgumentException.class, () -> w.add("bin/a", new byte[0]));
        for (String bad : List.of("", "/abs", "a//b", "a/./b", "../x", "dir/", "nul\0x", "y".repeat(256))) {
            assertThrows(IllegalArgumentException.class, () -> w.add(bad, new byte[0]), bad);
        }
    }

    private String problem(byte[] image) {
        ZbiFormatException e = assertThrows(ZbiFormatException.class, () -> Bootfs.parse("fs", ByteBuffer.wrap(image)));
        assertTrue(e.getMessage().startsWith("fs: "), e.getMessage());
        return e.getMessage();
    }

    private static byte[] sample() {
        return new BootfsWriter().add("bin/app", new byte[] {1}).add("lib/x", new byte[] {2}).toByteArray();
    }

    @Test
    void corruptImages() {
        byte[] b = sample();
        b[0] ^= 1;
        assertTrue(problem(b).contains("bad BOOTFS magic"));
        assertTrue(problem(new byte[8]).contains("truncated"));
        b = sample();
        le(b).putInt(4, b.length);
        assertTrue(problem(b).contains("directory size"));
        b = sample();
        le(b).putInt(16, 1);
        assertTrue(problem(b).contains("bad name length 1"));
        b = sample();
        le(b).putInt(16, 300);
        assertTrue(problem(b).contains("bad name length 300"));
        b = sample();
        le(b).putInt(16, 40); // entry would run past the directory
        assertTrue(problem(b).contains("runs past the end of the directory"));
        b = sample();
        b[16 + 12 + 7] = 'z'; // overwrite the NUL of "bin/app"
        assertTrue(problem(b).contains("not NUL-terminated"));
        b = sample();
        le(b).putInt(24, 4097);
        assertTrue(problem(b).contains("not page-aligned"));
        b = sample();
        le(b).putInt(20, 1 << 20);
        assertTrue(problem(b).contains("runs past the end of the image"));
        b = sample();
        le(b).putInt(24, 0);
        assertTrue(problem(b).contains("overlaps the directory"));
    }

    @Test
    void duplicateNamesAreRejected() {
        byte[] b = new BootfsWriter().add("aa", new byte[] {1}).add("ab", new byte[] {2}).toByteArray();
        b[16 + 16 + 12 + 1] = 'a';
        assertTrue(problem(b).contains("duplicate name aa"));
    }

    @Test
    void randomCorruptionIsAlwaysAFormatError() {
        byte[] good = sample();
        SplittableRandom random = new SplittableRandom(99);
        for (int round = 0; round < 5000; round++) {
            byte[] b = good.clone();
            for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                b[random.nextInt(80)] = (byte) random.nextInt(256);
            }
            if (random.nextInt(4) == 0) {
                b = Arrays.copyOf(b, random.nextInt(b.length));
            }
            try {
                Bootfs fs = Bootfs.parse("fs", ByteBuffer.wrap(b));
                fs.entries().forEach(fs::read);
            } catch (ZbiFormatException expected) {
                // fine
            } catch (RuntimeException e) {
                fail("round " + round + ": " + e, e);
            }
        }
    }
}
