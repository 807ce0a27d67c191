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
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class ZbiImageTest {
    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] bootfs() {
        return new BootfsWriter().add("bin/bootsvc", "ELF?".getBytes(StandardCharsets.US_ASCII)).toByteArray();
    }

    private static byte[] sample(boolean crc) {
        return new ZbiWriter().crc32(crc).addBootfs(bootfs()).addCmdline("userboot=bin/x")
                .addCmdline("userboot.shutdown").toByteArray();
    }

    @Test
    void headersAndPaddingFollowTheFormat() {
        byte[] z = sample(false);
        ByteBuffer b = le(z);
        int bootfsLen = bootfs().length;
        int cmd1 = "userboot=bin/x".length() + 1; // 15 -> padded to 16
        int cmd2 = "userboot.shutdown".length() + 1; // 18 -> padded to 24
        assertEquals(32 + 32 + bootfsLen + 32 + 16 + 32 + 24, z.length);
        assertEquals(0x544f4f42, b.getInt(0));
        assertEquals(z.length - 32, b.getInt(4));
        assertEquals(0x868cf7e6, b.getInt(8));
        assertEquals(0x00010000, b.getInt(12));
        assertEquals(0xb5781729, b.getInt(24));
        assertEquals(0x4a87e8d6, b.getInt(28));
        assertEquals(0x42534642, b.getInt(32));
        assertEquals(bootfsLen, b.getInt(36));
        assertEquals(bootfsLen, b.getInt(40), "extra = uncompressed size");
        assertEquals(0x00010000, b.getInt(44));
        assertEquals(0x4a87e8d6, b.getInt(60));
        int c1 = 64 + bootfsLen;
        assertEquals(0x4c444d43, b.getInt(c1));
        assertEquals(cmd1, b.getInt(c1 + 4));
        assertEquals(0, z[c1 + 32 + cmd1 - 1], "NUL-terminated");
        assertEquals(0, z[c1 + 32 + 15], "zero padding");
        int c2 = c1 + 32 + 16;
        assertEquals(cmd2, b.getInt(c2 + 4));
    }

    @Test
    void roundTripWithCrc() throws Exception {
        byte[] z = sample(true);
        ZbiImage image = ZbiImage.parse("t.zbi", z);
        assertEquals(3, image.items().size());
        assertEquals(List.of("userboot=bin/x", "userboot.shutdown"), image.cmdlineFragments());
        ZbiItem bootfsItem = image.bootfsItem().orElseThrow();
        assertEquals(64, bootfsItem.payloadOffset());
        assertArrayEquals(bootfs(), bootfsItem.payloadBytes());
        CRC32 crc = new CRC32();
        crc.update(bootfs());
        assertEquals((int) crc.getValue(), bootfsItem.header().crc32());
        assertTrue(bootfsItem.header().hasFlag(Zbi.FLAG_CRC32));
        Bootfs fs = image.bootfs();
        assertEquals("ELF?", new String(fs.read(fs.find("bin/bootsvc").orElseThrow()), StandardCharsets.US_ASCII));
        assertArrayEquals(z, image.toByteArray());
    }

    @Test
    void cmdlineNormalization() {
        KernelCommandLine cl = KernelCommandLine.of(List.of("userboot=bin/a  foo\tbar=1\n", "bar=2 \u00e9x\u0001 userboot.shutdown"));
        assertEquals(List.of("userboot=bin/a", "foo=", "bar=1", "bar=2", "..x.=", "userboot.shutdown="), cl.words());
        assertEquals("2", cl.get("bar").orElseThrow());
        assertEquals("", cl.get("foo").orElseThrow());
        assertTrue(cl.get("fo").isEmpty());
        byte[] enc = cl.toBootstrapBytes();
        assertEquals(cl.encodedSize(), enc.length);
        assertEquals("userboot=bin/a\0foo=\0bar=1\0bar=2\0..x.=\0userboot.shutdown=\0\0",
                new String(enc, StandardCharsets.US_ASCII));
        KernelCommandLine huge = KernelCommandLine.of(List.of("x".repeat(5000)));
        assertTrue(!huge.fits());
        assertThrows(IllegalStateException.class, huge::toBootstrapBytes);
        assertArrayEquals(new byte[] {0}, KernelCommandLine.of(List.of()).toBootstrapBytes());
    }

    @Test
    void userbootOptions() {
        UserbootOptions d = UserbootOptions.from(KernelCommandLine.of(List.of("")));
        assertEquals(new UserbootOptions("bin/bootsvc", "", false, false), d);
        UserbootOptions o = UserbootOptions.from(KernelCommandLine.of(
                List.of("userboot=bin/a userboot.root=//pkg/test userboot=bin/b userboot.shutdown userboot.reboot")));
        assertEquals("bin/b", o.program());
        assertEquals("pkg/test/", o.root());
        assertEquals("pkg/test/bin/b", o.programPath());
        assertEquals("pkg/test/lib/ld.so.1", o.libraryPath("ld.so.1"));
        assertTrue(o.shutdown() && o.reboot());
        assertEquals("r/", UserbootOptions.normalizeRoot("r/"));
        assertEquals("", UserbootOptions.normalizeRoot("///"));
    }

    private String problem(byte[] z) {
        ZbiFormatException e = assertThrows(ZbiFormatException.class, () -> ZbiImage.parse("t.zbi", z).bootfs());
        assertTrue(e.getMessage().startsWith("t.zbi"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void corruptContainers() {
        assertTrue(problem(new byte[10]).contains("truncated"));
        byte[] z = sample(true);
        le(z).putInt(8, 0);
        assertEquals("t.zbi: not a ZBI (no container header)", problem(z));
        z = sample(true);
        le(z).putInt(24, 0);
        assertTrue(problem(z).contains("container header has bad item magic"));
        z = sample(true);
        le(z).putInt(12, 0);
        assertTrue(problem(z).contains("lacks ZBI_FLAG_VERSION"));
        z = sample(true);
        le(z).putInt(4, z.length);
        assertTrue(problem(z).contains("truncated: container says"));
        assertTrue(problem(Arrays.copyOf(sample(true), 100)).contains("truncated"));
        z = sample(true);
        le(z).putInt(4, le(z).getInt(4) - 4);
        assertTrue(problem(z).contains("not a multiple of 8"));
    }

    @Test
    void corruptItems() {
        byte[] z = sample(true);
        le(z).putInt(32 + 24, 0x12345678);
        assertTrue(problem(z).contains("item 0 (BFSB) at offset 32: bad item magic 0x12345678"), problem(z));
        z = sample(true);
        le(z).putInt(32 + 12, 0);
        assertTrue(problem(z).contains("item 0 (BFSB) at offset 32: lacks ZBI_FLAG_VERSION"));
        z = sample(true);
        le(z).putInt(32 + 4, 1 << 30);
        assertTrue(problem(z).contains("runs past the end of the container"));
        z = sample(true);
        z[64 + 20] ^= 0x40; // flip a BOOTFS payload bit
        assertTrue(problem(z).contains("CRC32 mismatch"));
        z = sample(false);
        z[64] ^= 0x40; // without CRCs the BOOTFS check catches it
        assertTrue(problem(z).contains("bad BOOTFS magic"));
        z = sample(true);
        le(z).putInt(32 + 12, le(z).getInt(32 + 12) | Zbi.FLAG_STORAGE_COMPRESSED);
        assertTrue(problem(z).contains("BOOTFS item is compressed (unknown codec)"));
        byte[] noBootfs = new ZbiWriter().addCmdline("x").toByteArray();
        assertEquals("t.zbi: no BOOTFS item", problem(noBootfs));
    }

    @Test
    void compressedCodecIsNamed() {
        byte[] zstd = new byte[16];
        le(zstd).putInt(0, Zbi.ZSTD_MAGIC);
        byte[] z = new ZbiWriter().addItem(Zbi.TYPE_STORAGE_BOOTFS, 4096, Zbi.FLAG_STORAGE_COMPRESSED, zstd).toByteArray();
        assertTrue(problem(z).contains("compressed (zstd)"));
    }

    @Test
    void randomCorruptionIsAlwaysAFormatError() {
        byte[] good = sample(false);
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 5000; round++) {
            byte[] b = good.clone();
            for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                int at = random.nextBoolean() ? random.nextInt(160) : random.nextInt(b.length);
                b[at] = (byte) random.nextInt(256);
            }
            if (random.nextInt(5) == 0) {
                b = Arrays.copyOf(b, random.nextInt(b.length));
            }
            try {
                ZbiImage image = ZbiImage.parse("t.zbi", b);
                image.cmdlineFragments();
                if (image.bootfsItem().isPresent()) {
                    Bootfs fs = image.bootfs();
                    fs.entries().forEach(fs::read);
                }
            } catch (ZbiFormatException expected) {
                // fine
            } catch (RuntimeException e) {
                fail("round " + round + ": " + e, e);
            }
        }
    }
}
