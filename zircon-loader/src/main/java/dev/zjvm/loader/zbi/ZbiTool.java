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
import java.util.stream.Stream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * {@code zbi-tool}: packs a directory tree into a ZBI (one uncompressed BOOTFS item plus CMDLINE
 * items), or lists a ZBI's items and BOOTFS entries.
 */
public final class ZbiTool {
    private static final String SYNTAX = "zbi-tool [OPTIONS] [DIR]";
    private static final String HEADER = String.join(System.lineSeparator(),
            "Pack DIR into a ZBI: one BOOTFS item (files sorted by path) and one CMDLINE item per --cmdline.",
            "Or, with --list, print the items and BOOTFS entries of a ZBI.", "");

    private final PrintWriter out;
    private final PrintWriter err;
    private final Path output;
    private final List<String> cmdlines;
    private final List<String> entries;
    private final boolean noCrc32;
    private final Path list;
    private final Path dir;

    private ZbiTool(PrintWriter out, PrintWriter err, CommandLine cl) {
        this.out = out;
        this.err = err;
        this.output = path(cl.getOptionValue("output"));
        this.cmdlines = values(cl, "cmdline");
        this.entries = values(cl, "entry");
        this.noCrc32 = cl.hasOption("no-crc32");
        this.list = path(cl.getOptionValue("list"));
        this.dir = cl.getArgList().isEmpty() ? null : Path.of(cl.getArgList().getFirst());
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, out, err));
    }

    /** Runs the tool; returns the exit status (0 ok, 1 failed, 2 bad usage). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Options options = options();
        CommandLine cl;
        try {
            cl = DefaultParser.builder().setAllowPartialMatching(false).build().parse(options, args);
        } catch (ParseException e) {
            err.println("zbi-tool: " + e.getMessage() + " (try --help)");
            return 2;
        }
        if (cl.hasOption("help")) {
            HelpFormatter.builder().setPrintWriter(out).get().printHelp(out, 100, SYNTAX, HEADER, options, 2, 3, null, false);
            return 0;
        }
        if (cl.hasOption("version")) {
            out.println("zbi-tool 0.1");
            return 0;
        }
        if (cl.getArgList().size() > 1) {
            err.println("zbi-tool: expected at most one DIR, got: " + String.join(" ", cl.getArgList()) + " (try --help)");
            return 2;
        }
        try {
            return new ZbiTool(out, err, cl).call();
        } catch (java.nio.file.InvalidPathException e) {
            err.println("zbi-tool: bad path: " + e.getMessage() + " (try --help)");
            return 2;
        }
    }

    private static Options options() {
        Options o = new Options();
        o.addOption(Option.builder("o").longOpt("output").hasArg().argName("OUT.zbi").desc("ZBI file to write.").build());
        o.addOption(Option.builder().longOpt("cmdline").hasArg().argName("WORDS")
                .desc("Add a CMDLINE item with these words (repeatable).").build());
        o.addOption(Option.builder().longOpt("entry").hasArg().argName("NAME=PATH")
                .desc("Add file PATH as BOOTFS entry NAME (repeatable); replaces a DIR file of the same name.").build());
        o.addOption(Option.builder().longOpt("no-crc32").desc("Do not store payload CRC32s.").build());
        o.addOption(Option.builder().longOpt("list").hasArg().argName("IMAGE.zbi").desc("List IMAGE.zbi instead of packing.").build());
        o.addOption(Option.builder("h").longOpt("help").desc("Show this help message and exit.").build());
        o.addOption(Option.builder("V").longOpt("version").desc("Print version information and exit.").build());
        return o;
    }

    private static Path path(String value) {
        return value == null ? null : Path.of(value);
    }

    private static List<String> values(CommandLine cl, String option) {
        String[] v = cl.getOptionValues(option);
        return v == null ? List.of() : List.of(v);
    }

    private int call() {
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
