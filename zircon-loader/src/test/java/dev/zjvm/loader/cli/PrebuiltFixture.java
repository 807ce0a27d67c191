package dev.zjvm.loader.cli;

import dev.zjvm.loader.elf.Gcc;
import dev.zjvm.loader.zbi.BootfsWriter;
import dev.zjvm.loader.zbi.ZbiWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds a small but well-formed prebuilt directory with gcc (a fake libos vDSO and userboot). */
final class PrebuiltFixture {
    private PrebuiltFixture() {}

    static final String VDSO_A = """
            __attribute__((visibility("hidden"), used, aligned(8)))
            const unsigned char DATA_CONSTANTS[0x78] = {0xef, 0xbe, 0xad, 0xde};
            static const unsigned long zcore_syscall_entry __attribute__((used)) = 0xdeadbeefUL;
            long _zx_handle_close(unsigned h) { return h; }
            """;
    static final String VDSO_B = """
            static const unsigned long zcore_syscall_entry __attribute__((used)) = 0xdeadbeefUL;
            long _zx_process_exit(long c) { return c; }
            """;
    static final String USERBOOT = "void _start(void) { for (;;) {} }\n";
    static final String PROGRAM = "void _start(void) { for (;;) {} }\n";

    /** Byte images compiled once per directory. */
    record Images(byte[] vdso, byte[] userboot, byte[] program) {}

    static Images compile(Path work) throws Exception {
        Path src = Files.createDirectories(work.resolve("src"));
        Files.writeString(src.resolve("vdso_b.c"), VDSO_B);
        byte[] vdso = Gcc.compile(src, "libzircon-libos.so", VDSO_A, "-shared", "-nostdlib", "-fPIC",
                "-Wl,-z,separate-code", src.resolve("vdso_b.c").toString());
        byte[] userboot = Gcc.compile(src, "userboot-libos.so", USERBOOT, "-shared", "-nostdlib", "-fPIC",
                "-Wl,-e,_start");
        byte[] program = Gcc.compile(src, "app", PROGRAM, "-static-pie", "-nostdlib", "-fPIE");
        return new Images(vdso, userboot, program);
    }

    /** Writes a prebuilt dir: both images and bringup.zbi with bin/bootsvc and app/bin/hello. */
    static Path write(Path dir, Images images, String... cmdlines) throws Exception {
        Files.createDirectories(dir);
        Files.write(dir.resolve(PrebuiltLoader.VDSO_FILE), images.vdso());
        Files.write(dir.resolve(PrebuiltLoader.USERBOOT_FILE), images.userboot());
        byte[] bootfs = new BootfsWriter().add("bin/bootsvc", images.program())
                .add("pkg/bin/hello", images.program()).add("bin/notelf", new byte[] {1, 2, 3}).toByteArray();
        ZbiWriter zbi = new ZbiWriter().addBootfs(bootfs);
        for (String c : cmdlines) {
            zbi.addCmdline(c);
        }
        zbi.writeTo(dir.resolve(PrebuiltLoader.DEFAULT_ZBI));
        return dir;
    }
}
