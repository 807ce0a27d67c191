package dev.zjvm.loader.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.ServiceLoader;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * The loader CLI: {@code zircon PREBUILT_DIR [WORD...]} validates the prebuilt images, then boots
 * them with the {@link Booter} found on the class path. Every failure the user can cause is one
 * line on stderr and a non-zero exit status ({@link ExitStatus}); the status of a completed boot
 * is the booter's (the program's exit code with {@code userboot.shutdown}).
 *
 * <p>Parsed with Apache Commons CLI: it builds no reflective model, which keeps the CLI's share of
 * the time to the first guest line small (docs/benchmarks-boot.md).
 */
public final class Main {
    private static final String NAME = "zircon";
    private static final String SYNTAX = NAME + " [OPTIONS] PREBUILT_DIR [WORD...]";
    private static final String HEADER = String.join(System.lineSeparator(),
            "Boot Zircon userspace from PREBUILT_DIR: userboot-libos.so, libzircon-libos.so and a ZBI.",
            "WORDs are appended to the kernel command line after the ZBI's CMDLINE items, e.g.",
            "  userboot=bin/hello userboot.shutdown",
            "(userboot=PATH picks the BOOTFS program, default bin/bootsvc; userboot.root=PREFIX; userboot.reboot).",
            "Use -- before WORDs that start with '-'.", "");
    private static final String FOOTER = String.join(System.lineSeparator(), "", "Exit status:",
            "  0   the program's exit code with userboot.shutdown (0 on power-off otherwise)",
            "  64  bad usage, unknown program, command line too long",
            "  65  corrupt ELF or ZBI",
            "  66  missing directory or file",
            "  70  boot failed or not available");

    /** The parsed command line. */
    private record Arguments(Path prebuiltDir, List<String> words, String zbi, boolean trace, OptionalLong seed) {}

    /** A usage error: reported as one line ending in "(try --help)". */
    private static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    private final Optional<Booter> booter;
    private final PrintWriter err;
    private final boolean configureLogging;

    private Main(Optional<Booter> booter, PrintWriter err, boolean configureLogging) {
        this.booter = booter;
        this.err = err;
        this.configureLogging = configureLogging;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        Optional<Booter> booter = ServiceLoader.load(Booter.class).findFirst();
        System.exit(run(args, out, err, booter, true));
    }

    /**
     * Runs the CLI in-process (tests, embedders). Does not touch the logging configuration.
     *
     * @param booter the boot implementation; empty reports that boot is not available
     * @return the exit status
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Optional<Booter> booter) {
        return run(args, out, err, booter, false);
    }

    private static int run(String[] args, PrintWriter out, PrintWriter err, Optional<Booter> booter,
                           boolean configureLogging) {
        int status;
        try {
            status = new Main(booter, err, configureLogging).execute(args, out);
        } catch (UsageException e) {
            err.println(NAME + ": " + e.getMessage() + " (try --help)");
            status = ExitStatus.USAGE;
        } catch (RuntimeException e) {
            // A bug, not a user error: still one line, with the cause named for the report.
            err.println(NAME + ": internal error: " + e);
            status = ExitStatus.SOFTWARE;
        }
        out.flush();
        err.flush();
        return status;
    }

    private static Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("zbi").hasArg().argName("NAME")
                .desc("ZBI to boot, relative to PREBUILT_DIR (default: " + PrebuiltLoader.DEFAULT_ZBI + ").").build());
        o.addOption(Option.builder().longOpt("trace").desc("Log every syscall with its decoded arguments and status.").build());
        o.addOption(Option.builder().longOpt("seed").hasArg().argName("N")
                .desc("Seed for address-space randomization (default: random).").build());
        o.addOption(Option.builder("h").longOpt("help").desc("Show this help message and exit.").build());
        o.addOption(Option.builder("V").longOpt("version").desc("Print version information and exit.").build());
        return o;
    }

    private int execute(String[] args, PrintWriter out) throws UsageException {
        Options options = options();
        CommandLine cl;
        try {
            cl = DefaultParser.builder().setAllowPartialMatching(false).build().parse(options, args);
        } catch (ParseException e) {
            throw new UsageException(e.getMessage());
        }
        if (cl.hasOption("help")) {
            HelpFormatter.builder().setPrintWriter(out).get()
                    .printHelp(out, 100, SYNTAX, HEADER, options, 2, 3, FOOTER, false);
            return ExitStatus.OK;
        }
        if (cl.hasOption("version")) {
            out.println(version());
            return ExitStatus.OK;
        }
        return boot(arguments(cl));
    }

    private static Arguments arguments(CommandLine cl) throws UsageException {
        List<String> positional = cl.getArgList();
        if (positional.isEmpty()) throw new UsageException("missing required parameter: PREBUILT_DIR");
        Path dir;
        try {
            dir = Path.of(positional.getFirst());
        } catch (InvalidPathException e) {
            throw new UsageException("bad PREBUILT_DIR: " + e.getMessage());
        }
        OptionalLong seed = OptionalLong.empty();
        String s = cl.getOptionValue("seed");
        if (s != null) {
            try {
                seed = OptionalLong.of(Long.decode(s));
            } catch (NumberFormatException e) {
                throw new UsageException("invalid value for --seed: '" + s + "' is not a number");
            }
        }
        return new Arguments(dir, List.copyOf(positional.subList(1, positional.size())),
                cl.getOptionValue("zbi", PrebuiltLoader.DEFAULT_ZBI), cl.hasOption("trace"), seed);
    }

    private int boot(Arguments a) {
        if (configureLogging) {
            LoggingSetup.configure(a.trace());
        }
        BootConfig config;
        try {
            config = PrebuiltLoader.load(a.prebuiltDir(), a.zbi(), a.words(), a.trace(), a.seed());
        } catch (LaunchException e) {
            err.println(NAME + ": " + e.getMessage());
            return e.exitStatus();
        }
        if (booter.isEmpty()) {
            err.println(NAME + ": boot not implemented yet (images in " + a.prebuiltDir() + " are valid)");
            return ExitStatus.SOFTWARE;
        }
        try {
            return booter.get().boot(config);
        } catch (BootException e) {
            err.println(NAME + ": boot failed: " + e.getMessage());
            return ExitStatus.SOFTWARE;
        }
    }

    /** Version from the jar manifest (set by the build), or "dev" when run from classes. */
    private static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return NAME + " (zircon-loader) " + (v == null ? "dev" : v);
    }
}
