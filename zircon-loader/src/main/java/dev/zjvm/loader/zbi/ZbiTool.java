package dev.zjvm.loader.zbi;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code zbi-tool}: packs a directory tree into a ZBI (one uncompressed BOOTFS item plus CMDLINE
 * items), or lists a ZBI's items and BOOTFS entries.
 */
@Command(name = "zbi-tool", mixinStandardHelpOptions = true, version = "zbi-tool 0.1",
        description = {"Pack DIR into a ZBI: one BOOTFS item (files sorted by path) and one CMDLINE item per --cmdline.",
            "Or, with --list, print the items and BOOTFS entries of a ZBI."},
        exitCodeOnInvalidInput = 2, exitCodeOnExecutionException = 1)
public final class ZbiTool implements Callable<Integer> {
    @Option(names = {"-o", "--output"}, paramLabel = "OUT.zbi", description = "ZBI file to write.")
    private Path output;

    @Option(names = "--cmdline", paramLabel = "WORDS", description = "Add a CMDLINE item with these words (repeatable).")
    private List<String> cmdlines = new ArrayList<>();

    @Option(names = "--entry", paramLabel = "NAME=PATH",
            description = "Add file PATH as BOOTFS entry NAME (repeatable); replaces a DIR file of the same name.")
    private List<String> entries = new ArrayList<>();

    @Option(names = "--no-crc32", description = "Do not store payload CRC32s.")
    private boolean noCrc32;

    @Option(names = "--list", paramLabel = "IMAGE.zbi", description = "List IMAGE.zbi instead of packing.")
    private Path list;

    @Parameters(arity = "0..1", paramLabel = "DIR", description = "Directory whose files become BOOTFS entries.")
    private Path dir;

    private PrintWriter out;
    private PrintWriter err;

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, out, err));
    }

    /** Runs the tool; returns the exit status (0 ok, 1 failed, 2 bad usage). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        ZbiTool tool = new ZbiTool();
        tool.out = out;
        tool.err = err;
        CommandLine cl = new CommandLine(tool).setOut(out).setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("zbi-tool: " + ex.getMessage() + " (try --help)");
            return 2;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        try {
            if (list != null) {
                if (output != null || dir != null || !cmdlines.isEmpty() || !entries.isEmpty()) {
                    return usage("--list takes no other options or DIR");
                }
                list(list);
                return 0;
            }
            if (output == null) {
                return usage("missing --output OUT.zbi (or --list IMAGE.zbi)");
            }
            pack();
            return 0;
        } catch (ZbiFormatException | IllegalArgumentException e) {
            err.println("zbi-tool: " + e.getMessage());
        } catch (NoSuchFileException e) {
            err.println("zbi-tool: no such file: " + e.getFile());
        } catch (IOException e) {
            err.println("zbi-tool: " + e);
        } catch (UncheckedIOException e) {
            err.println("zbi-tool: " + e.getCause());
        }
        return 1;
    }

    private int usage(String message) {
        err.println("zbi-tool: " + message + " (try --help)");
        return 2;
    }

    private void pack() throws IOException {
        TreeMap<String, Path> files = new TreeMap<>();
        if (dir != null) {
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("not a directory: " + dir);
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
                    files.put(bootfsName(dir.relativize(p)), p);
                }
            }
        }
        for (String spec : entries) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw new IllegalArgumentException("--entry wants NAME=PATH, got: " + spec);
            }
            Path file = Path.of(spec.substring(eq + 1));
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("--entry " + spec + ": not a regular file");
            }
            files.put(spec.substring(0, eq), file);
        }
        BootfsWriter bootfs = new BootfsWriter();
        for (var e : files.entrySet()) {
            bootfs.add(e.getKey(), Files.readAllBytes(e.getValue()));
        }
        ZbiWriter zbi = new ZbiWriter().crc32(!noCrc32).addBootfs(bootfs.toByteArray());
        cmdlines.forEach(zbi::addCmdline);
        byte[] image = zbi.toByteArray();
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(output, image);
        out.printf("zbi-tool: wrote %s (%d bytes): %d BOOTFS files, %d CMDLINE items%n",
                output, image.length, files.size(), cmdlines.size());
    }

    private static String bootfsName(Path relative) {
        List<String> parts = new ArrayList<>();
        relative.forEach(p -> parts.add(p.toString()));
        return String.join("/", parts);
    }

    private void list(Path file) throws IOException, ZbiFormatException {
        ZbiImage zbi = ZbiImage.read(file);
        out.printf("%s: %d bytes, %d items%n", file, zbi.size(), zbi.items().size());
        for (ZbiItem item : zbi.items()) {
            ZbiItemHeader h = item.header();
            out.printf("  @0x%08x %-4s length 0x%08x extra 0x%08x flags 0x%08x%s%n", item.headerOffset(),
                    Zbi.typeName(h.type()), h.length(), h.extra(), h.flags(),
                    h.hasFlag(Zbi.FLAG_CRC32) ? String.format(" crc32 0x%08x", h.crc32()) : "");
            if (item.type() == Zbi.TYPE_CMDLINE) {
                byte[] b = item.payloadBytes();
                int n = 0;
                while (n < b.length && b[n] != 0) {
                    n++;
                }
                out.printf("      \"%s\"%n", new String(b, 0, n, StandardCharsets.UTF_8));
            }
        }
        if (zbi.bootfsItem().isPresent() && zbi.bootfsItem().get().isCompressed()) {
            out.println("  BOOTFS: compressed, entries not shown (zbi-tool reads uncompressed BOOTFS only)");
        } else if (zbi.bootfsItem().isPresent()) {
            Bootfs bootfs = zbi.bootfs();
            out.printf("  BOOTFS: %d bytes, %d entries%n", bootfs.size(), bootfs.entries().size());
            for (BootfsEntry e : bootfs.entries()) {
                out.printf("      0x%08x %10d %s%n", e.dataOffset(), e.dataLength(), e.name());
            }
        }
    }
}
