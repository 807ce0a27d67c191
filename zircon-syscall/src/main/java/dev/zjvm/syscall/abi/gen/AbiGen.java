package dev.zjvm.syscall.abi.gen;

import dev.zjvm.syscall.abi.AbiConstants;
import dev.zjvm.syscall.abi.SyscallTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Generates the C headers and the vDSO stubs from syscalls.def and constants.def.
 *
 * <pre>
 * java -cp zircon-syscall/target/classes dev.zjvm.syscall.abi.gen.AbiGen --out DIR
 *   DIR/include/zircon/...   public headers for guest programs (types.h, syscalls.h, ...)
 *   DIR/vdso/syscalls.S      kernel entry stubs and retry wrappers
 *   DIR/vdso/composite-N.S   the composite calls (200, 201), each with its own entry slot
 *   DIR/vdso/vdso-syscalls.h private header for the vDSO's C code
 *   DIR/vdso/vdso-strings.h  status / exception name lists
 * </pre>
 * Files whose content did not change are not rewritten (keeps make from rebuilding).
 */
public final class AbiGen {
    private AbiGen() {
    }

    public static void main(String[] args) throws IOException {
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> {
                    if (i + 1 >= args.length) {
                        usage("--out needs a directory");
                    }
                    out = Path.of(args[++i]);
                }
                case "-h", "--help" -> usage(null);
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (out == null) {
            usage("missing --out DIR");
        }
        List<Path> written = generate(out);
        System.out.println("AbiGen: " + written.size() + " file(s) updated under " + out);
    }

    private static void usage(String error) {
        if (error != null) {
            System.err.println("AbiGen: " + error);
        }
        System.err.println("usage: AbiGen --out DIR   (writes DIR/include/zircon/*.h and DIR/vdso/*)");
        System.exit(error == null ? 0 : 2);
    }

    /** Writes every generated file under {@code out}; returns the files whose content changed. */
    public static List<Path> generate(Path out) throws IOException {
        AbiConstants abi = AbiConstants.standard();
        SyscallTable table = SyscallTable.standard();
        List<Path> written = new ArrayList<>();
        write(out.resolve("include"), new CHeaderWriter(abi, table).headers(), written);
        write(out.resolve("vdso"), new VdsoSourceWriter(table, abi).files(), written);
        return written;
    }

    private static void write(Path dir, Map<String, String> files, List<Path> written) throws IOException {
        for (Map.Entry<String, String> e : files.entrySet()) {
            Path file = dir.resolve(e.getKey());
            byte[] content = e.getValue().getBytes(StandardCharsets.UTF_8);
            if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), content)) {
                continue;
            }
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, content);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            written.add(file);
        }
    }
}
