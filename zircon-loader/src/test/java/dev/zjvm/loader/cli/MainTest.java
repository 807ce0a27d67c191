package dev.zjvm.loader.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zjvm.loader.zbi.BootfsWriter;
import dev.zjvm.loader.zbi.ZbiWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir
    static Path shared;
    static PrebuiltFixture.Images images;

    @TempDir
    Path tmp;

    @BeforeAll
    static void compileImages() throws Exception {
        images = PrebuiltFixture.compile(shared);
    }

    record Result(int status, String out, String err) {
        /** The single stderr line (asserts there is exactly one and no stack trace). */
        String line() {
            List<String> lines = err.lines().toList();
            assertEquals(1, lines.size(), "expected one line on stderr, got: " + err);
            assertFalse(err.contains("Exception") || err.contains("\tat "), err);
            assertTrue(lines.getFirst().startsWith("zircon: "), err);
            return lines.getFirst();
        }
    }

    private static Result run(Optional<Booter> booter, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), booter);
        return new Result(status, out.toString(), err.toString());
    }

    private static Result run(String... args) {
        return run(Optional.empty(), args);
    }

    private Path prebuilt(String... cmdlines) throws Exception {
        return PrebuiltFixture.write(tmp.resolve("prebuilt"), images, cmdlines);
    }

    @Test
    void help() {
        Result r = run("--help");
        assertEquals(0, r.status());
        assertTrue(r.out().contains("PREBUILT_DIR") && r.out().contains("--zbi") && r.out().contains("--trace")
                && r.out().contains("--seed"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void version() {
        Result r = run("--version");
        assertEquals(0, r.status());
        assertTrue(r.out().startsWith("zircon (zircon-loader) "), r.out());
    }

    @Test
    void usageErrors() {
        Result r = run();
        assertEquals(ExitStatus.USAGE, r.status());
        assertTrue(r.line().contains("PREBUILT_DIR"), r.err());
        r = run("--bogus", "x");
        assertEquals(ExitStatus.USAGE, r.status());
        assertTrue(r.line().contains("--bogus"));
        r = run("--seed", "notanumber", "x");
        assertEquals(ExitStatus.USAGE, r.status());
        r.line();
    }

    @Test
    void missingOrBadDirectory() throws Exception {
        Path missing = tmp.resolve("nope");
        Result r = run(missing.toString());
        assertEquals(ExitStatus.NO_INPUT, r.status());
        assertEquals("zircon: prebuilt directory not found: " + missing, r.line());
        Path file = Files.writeString(tmp.resolve("file"), "x");
        r = run(file.toString());
        assertEquals(ExitStatus.NO_INPUT, r.status());
        assertEquals("zircon: not a directory: " + file, r.line());
    }

    @Test
    void missingImages() throws Exception {
        Path dir = prebuilt();
        Files.delete(dir.resolve("userboot-libos.so"));
        Result r = run(dir.toString());
        assertEquals(ExitStatus.NO_INPUT, r.status());
        assertEquals("zircon: userboot image not found: " + dir.resolve("userboot-libos.so"), r.line());

        dir = PrebuiltFixture.write(tmp.resolve("p2"), images);
        Files.delete(dir.resolve("libzircon-libos.so"));
        r = run(dir.toString());
        assertEquals(ExitStatus.NO_INPUT, r.status());
        assertEquals("zircon: vDSO image not found: " + dir.resolve("libzircon-libos.so"), r.line());

        dir = PrebuiltFixture.write(tmp.resolve("p3"), images);
        Files.delete(dir.resolve("bringup.zbi"));
        r = run(dir.toString());
        assertEquals(ExitStatus.NO_INPUT, r.status());
        assertEquals("zircon: ZBI not found: " + dir.resolve("bringup.zbi"), r.line());

        r = run("--zbi", "other.zbi", PrebuiltFixture.write(tmp.resolve("p4"), images).toString());
        assertEquals(ExitStatus.NO_INPUT, r.status());
        assertTrue(r.line().endsWith("other.zbi"));
    }

    @Test
    void corruptElf() throws Exception {
        Path dir = prebuilt();
        Files.write(dir.resolve("userboot-libos.so"), new byte[] {0x7f, 'E', 'L', 'F', 2, 1});
        Result r = run(dir.toString());
        assertEquals(ExitStatus.DATA_ERROR, r.status());
        assertEquals("zircon: bad userboot image: userboot-libos.so: truncated: 6 bytes, an ELF64 header needs 64",
                r.line());

        dir = PrebuiltFixture.write(tmp.resolve("p2"), images);
        Files.writeString(dir.resolve("libzircon-libos.so"), "not an elf at all");
        r = run(dir.toString());
        assertEquals(ExitStatus.DATA_ERROR, r.status());
        assertEquals("zircon: bad vDSO image: libzircon-libos.so: not an ELF file (bad magic)", r.line());
    }

    @Test
    void vdsoWithoutLibosSymbols() throws Exception {
        Path dir = prebuilt();
        // userboot is a valid ELF but not a libos vDSO.
        Files.write(dir.resolve("libzircon-libos.so"), images.userboot());
        Result r = run(dir.toString());
        assertEquals(ExitStatus.DATA_ERROR, r.status());
        assertTrue(r.line().startsWith("zircon: bad vDSO image: libzircon-libos.so: no DATA_CONSTANTS symbol"), r.err());
    }

    @Test
    void corruptZbi() throws Exception {
        Path dir = prebuilt();
        byte[] zbi = Files.readAllBytes(dir.resolve("bringup.zbi"));
        zbi[32 + 32 + 100] ^= 1; // inside the BOOTFS payload: CRC mismatch
        Files.write(dir.resolve("bringup.zbi"), zbi);
        Result r = run(dir.toString());
        assertEquals(ExitStatus.DATA_ERROR, r.status());
        assertTrue(r.line().startsWith("zircon: bad ZBI: bringup.zbi: item 0 (BFSB) at offset 32: CRC32 mismatch"),
                r.err());

        Files.write(dir.resolve("bringup.zbi"), new byte[20]);
        r = run(dir.toString());
        assertEquals(ExitStatus.DATA_ERROR, r.status());
        assertEquals("zircon: bad ZBI: bringup.zbi: truncated: 20 bytes, a ZBI container header needs 32", r.line());

        new ZbiWriter().addCmdline("x").writeTo(dir.resolve("bringup.zbi"));
        r = run(dir.toString());
        assertEquals(ExitStatus.DATA_ERROR, r.status());
        assertEquals("zircon: bad ZBI: bringup.zbi: no BOOTFS item", r.line());
    }

    @Test
    void unknownProgram() throws Exception {
        Path dir = prebuilt();
        Result r = run(dir.toString(), "userboot=bin/missing");
        assertEquals(ExitStatus.USAGE, r.status());
        assertEquals("zircon: unknown program 'bin/missing': no bin/missing in the BOOTFS of bringup.zbi", r.line());

        r = run(dir.toString(), "userboot.root=/pkg", "userboot=bin/bootsvc");
        assertEquals(ExitStatus.USAGE, r.status());
        assertEquals("zircon: unknown program 'bin/bootsvc' (userboot.root=pkg/): no pkg/bin/bootsvc in the BOOTFS"
                + " of bringup.zbi", r.line());

        // The default program bin/bootsvc is missing from this ZBI.
        new ZbiWriter().addBootfs(new BootfsWriter().add("bin/other", images.program()).toByteArray())
                .writeTo(dir.resolve("bringup.zbi"));
        r = run(dir.toString());
        assertEquals(ExitStatus.USAGE, r.status());
        assertTrue(r.line().startsWith("zircon: unknown program 'bin/bootsvc'"), r.err());
    }

    @Test
    void compressedBootfsIsLeftToUserboot() throws Exception {
        Path dir = prebuilt();
        byte[] zstdFrame = {(byte) 0x28, (byte) 0xb5, (byte) 0x2f, (byte) 0xfd, 0, 0, 0, 0};
        new ZbiWriter().addItem(dev.zjvm.loader.zbi.Zbi.TYPE_STORAGE_BOOTFS, 8192,
                dev.zjvm.loader.zbi.Zbi.FLAG_STORAGE_COMPRESSED, zstdFrame).writeTo(dir.resolve("bringup.zbi"));
        Result r = run(dir.toString(), "userboot=bin/anything");
        assertEquals(ExitStatus.SOFTWARE, r.status());
        assertTrue(r.line().startsWith("zircon: boot not implemented yet"), r.err());
    }

    @Test
    void programThatIsNotElf() throws Exception {
        Result r = run(prebuilt().toString(), "userboot=bin/notelf");
        assertEquals(ExitStatus.DATA_ERROR, r.status());
        assertEquals("zircon: bad program: bringup.zbi:bin/notelf: not an ELF file (bad magic)", r.line());
    }

    @Test
    void dynamicProgramNeedsItsLinkerInBootfs() throws Exception {
        byte[] dynamic = dev.zjvm.loader.elf.Gcc.compile(tmp, "dyn", "void _start(void){for(;;){}}\n", "-pie", "-fPIE",
                "-nostdlib", "-Wl,--dynamic-linker=ld.so.1");
        Path dir = prebuilt();
        BootfsWriter fs = new BootfsWriter().add("bin/dyn", dynamic);
        new ZbiWriter().addBootfs(fs.toByteArray()).writeTo(dir.resolve("bringup.zbi"));
        Result r = run(dir.toString(), "userboot=bin/dyn");
        assertEquals(ExitStatus.DATA_ERROR, r.status());
        assertEquals("zircon: program bin/dyn needs dynamic linker lib/ld.so.1, which is not in the BOOTFS of"
                + " bringup.zbi", r.line());

        fs.add("lib/ld.so.1", images.program());
        new ZbiWriter().addBootfs(fs.toByteArray()).writeTo(dir.resolve("bringup.zbi"));
        r = run(dir.toString(), "userboot=bin/dyn");
        assertEquals(ExitStatus.SOFTWARE, r.status(), "valid: reaches the (missing) booter");
    }

    @Test
    void commandLineTooLong() throws Exception {
        Result r = run(prebuilt().toString(), "x=" + "y".repeat(5000));
        assertEquals(ExitStatus.USAGE, r.status());
        assertTrue(r.line().startsWith("zircon: kernel command line too long: "), r.err());
    }

    @Test
    void validImagesWithoutBooter() throws Exception {
        Path dir = prebuilt();
        Result r = run(dir.toString());
        assertEquals(ExitStatus.SOFTWARE, r.status());
        assertEquals(70, r.status());
        assertTrue(r.line().startsWith("zircon: boot not implemented yet"), r.err());
    }

    @Test
    void booterGetsTheValidatedConfigAndItsStatusIsTheExitStatus() throws Exception {
        Path dir = prebuilt("userboot=bin/bootsvc", "userboot.root=pkg");
        AtomicReference<BootConfig> seen = new AtomicReference<>();
        Booter booter = config -> {
            seen.set(config);
            return 42;
        };
        Result r = run(Optional.of(booter), "--trace", "--seed", "7", dir.toString(), "userboot=bin/hello",
                "userboot.shutdown");
        assertEquals(42, r.status(), r.err());
        assertEquals("", r.err());
        BootConfig c = seen.get();
        assertEquals(List.of("userboot=bin/bootsvc", "userboot.root=pkg", "userboot=bin/hello", "userboot.shutdown="),
                c.cmdline().words());
        assertEquals("pkg/bin/hello", c.userbootOptions().programPath());
        assertTrue(c.userbootOptions().shutdown());
        assertTrue(c.trace());
        assertEquals(7, c.aslrSeed().orElseThrow());
        assertEquals("userboot-libos.so", c.userboot().source());
        assertTrue(c.vdso().findSymbol("DATA_CONSTANTS").isPresent());
        assertEquals(2, c.vdso().findSymbols("zcore_syscall_entry").size(), "one LOCAL slot per source file");
        assertEquals(Files.size(dir.resolve("bringup.zbi")), c.zbi().size());
    }

    @Test
    void pickedZbiAndBootFailure() throws Exception {
        Path dir = prebuilt();
        Files.copy(dir.resolve("bringup.zbi"), dir.resolve("test.zbi"));
        Files.delete(dir.resolve("bringup.zbi"));
        Booter failing = config -> {
            throw new BootException("no address space for the vDSO");
        };
        Result r = run(Optional.of(failing), "--zbi", "test.zbi", dir.toString());
        assertEquals(ExitStatus.SOFTWARE, r.status());
        assertEquals("zircon: boot failed: no address space for the vDSO", r.line());

        Booter buggy = config -> {
            throw new IllegalStateException("bug");
        };
        r = run(Optional.of(buggy), "--zbi", dir.resolve("test.zbi").toString(), dir.toString());
        assertEquals(ExitStatus.SOFTWARE, r.status());
        assertTrue(r.err().startsWith("zircon: internal error: "), r.err());
        assertEquals(1, r.err().lines().count());
    }
}
