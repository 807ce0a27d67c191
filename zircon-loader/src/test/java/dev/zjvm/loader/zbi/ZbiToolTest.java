package dev.zjvm.loader.zbi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZbiToolTest {
    @TempDir
    Path tmp;

    record Result(int status, String out, String err) {}

    private Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = ZbiTool.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void packsADirectoryTreeAndListsIt() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(dir.resolve("bin"));
        Files.createDirectories(dir.resolve("lib/sub"));
        Files.writeString(dir.resolve("bin/bootsvc"), "svc");
        Files.writeString(dir.resolve("lib/sub/data.txt"), "data");
        Files.writeString(dir.resolve("bin/replaced"), "old");
        Path extra = Files.writeString(tmp.resolve("extra"), "new");
        Path out = tmp.resolve("out/boot.zbi");

        Result r = run("--output", out.toString(), "--cmdline", "userboot=bin/bootsvc userboot.shutdown",
                "--cmdline", "x=1", "--entry", "bin/replaced=" + extra, "--entry", "bin/added=" + extra, dir.toString());
        assertEquals(0, r.status(), r.err());
        ZbiImage zbi = ZbiImage.read(out);
        assertEquals(List.of("userboot=bin/bootsvc userboot.shutdown", "x=1"), zbi.cmdlineFragments());
        Bootfs fs = zbi.bootfs();
        assertEquals(List.of("bin/added", "bin/bootsvc", "bin/replaced", "lib/sub/data.txt"),
                fs.entries().stream().map(BootfsEntry::name).toList());
        assertArrayEquals("new".getBytes(StandardCharsets.US_ASCII), fs.read(fs.find("bin/replaced").orElseThrow()));
        assertArrayEquals("data".getBytes(StandardCharsets.US_ASCII), fs.read(fs.find("lib/sub/data.txt").orElseThrow()));

        Result list = run("--list", out.toString());
        assertEquals(0, list.status(), list.err());
        assertTrue(list.out().contains("BFSB"), list.out());
        assertTrue(list.out().contains("\"x=1\""), list.out());
        assertTrue(list.out().contains("lib/sub/data.txt"), list.out());
        assertTrue(list.out().contains("BOOTFS: ") && list.out().contains("4 entries"), list.out());
    }

    @Test
    void listsACompressedBootfsWithoutItsEntries() throws Exception {
        Path file = tmp.resolve("c.zbi");
        new ZbiWriter().addItem(Zbi.TYPE_STORAGE_BOOTFS, 8192, Zbi.FLAG_STORAGE_COMPRESSED, new byte[8]).writeTo(file);
        Result r = run("--list", file.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("BOOTFS: compressed"), r.out());
    }

    @Test
    void deterministicOutput() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("d"));
        Files.writeString(dir.resolve("b"), "2");
        Files.writeString(dir.resolve("a"), "1");
        run("-o", tmp.resolve("1.zbi").toString(), dir.toString());
        run("-o", tmp.resolve("2.zbi").toString(), dir.toString());
        assertArrayEquals(Files.readAllBytes(tmp.resolve("1.zbi")), Files.readAllBytes(tmp.resolve("2.zbi")));
    }

    @Test
    void errorsAreOneLine() throws Exception {
        Result r = run("-o", tmp.resolve("x.zbi").toString(), tmp.resolve("missing").toString());
        assertEquals(1, r.status());
        assertEquals("zbi-tool: not a directory: " + tmp.resolve("missing") + System.lineSeparator(), r.err());

        r = run("-o", tmp.resolve("x.zbi").toString(), "--entry", "noequals");
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("zbi-tool: --entry wants NAME=PATH"), r.err());

        r = run("-o", tmp.resolve("x.zbi").toString(), "--entry", "/abs=" + tmp);
        assertEquals(1, r.status());

        Path junk = Files.write(tmp.resolve("junk.zbi"), new byte[64]);
        r = run("--list", junk.toString());
        assertEquals(1, r.status());
        assertEquals("zbi-tool: junk.zbi: not a ZBI (no container header)" + System.lineSeparator(), r.err());

        r = run("--list", tmp.resolve("nope.zbi").toString());
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("zbi-tool: no such file"), r.err());

        r = run();
        assertEquals(2, r.status());
        r = run("--bogus");
        assertEquals(2, r.status());
        assertEquals(1, r.err().lines().count(), r.err());
        r = run("--list", junk.toString(), "-o", "y");
        assertEquals(2, r.status());
    }
}
