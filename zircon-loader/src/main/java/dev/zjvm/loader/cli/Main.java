package dev.zjvm.loader.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The loader CLI: {@code zircon PREBUILT_DIR [WORD...]} validates the prebuilt images, then boots
 * them with the {@link Booter} found on the class path. Every failure the user can cause is one
 * line on stderr and a non-zero exit status ({@link ExitStatus}); the status of a completed boot
 * is the booter's (the program's exit code with {@code userboot.shutdown}).
 */
@Command(name = "zircon", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        usageHelpAutoWidth = true,
        description = {"Boot Zircon userspace from PREBUILT_DIR: userboot-libos.so, libzircon-libos.so and a ZBI.",
            "WORDs are appended to the kernel command line after the ZBI's CMDLINE items, e.g.",
            "  userboot=bin/hello userboot.shutdown",
            "(userboot=PATH picks the BOOTFS program, default bin/bootsvc; userboot.root=PREFIX; userboot.reboot).",
            "Use -- before WORDs that start with '-'."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:the program's exit code with userboot.shutdown (0 on power-off otherwise)",
            "64:bad usage, unknown program, command line too long",
            "65:corrupt ELF or ZBI",
            "66:missing directory or file",
            "70:boot failed or not available"})
public final class Main implements Callable<Integer> {
    private static final String NAME = "zircon";

    @Parameters(index = "0", paramLabel = "PREBUILT_DIR", description = "Directory holding the prebuilt images.")
    private Path prebuiltDir;

    @Parameters(index = "1..*", paramLabel = "WORD", description = "Kernel command-line words.")
    private List<String> words = new ArrayList<>();

    @Option(names = "--zbi", paramLabel = "NAME", defaultValue = PrebuiltLoader.DEFAULT_ZBI,
            description = "ZBI to boot, relative to PREBUILT_DIR (default: ${DEFAULT-VALUE}).")
    private String zbi;

    @Option(names = "--trace", description = "Log every syscall with its decoded arguments and status.")
    private boolean trace;

    @Option(names = "--seed", paramLabel = "N", description = "Seed for address-space randomization (default: random).")
    private Long seed;

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
        CommandLine cl = new CommandLine(new Main(booter, err, configureLogging)).setOut(out).setErr(err);
        cl.setExpandAtFiles(false); // a kernel word may start with '@'; never read it as an argument file
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println(NAME + ": " + ex.getMessage() + " (try --help)");
            return ExitStatus.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            // A bug, not a user error: still one line, with the cause named for the report.
            err.println(NAME + ": internal error: " + ex);
            return ExitStatus.SOFTWARE;
        });
        int status = cl.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    @Override
    public Integer call() {
        if (configureLogging) {
            LoggingSetup.configure(trace);
        }
        BootConfig config;
        try {
            config = PrebuiltLoader.load(prebuiltDir, zbi, words, trace,
                    seed == null ? OptionalLong.empty() : OptionalLong.of(seed));
        } catch (LaunchException e) {
            err.println(NAME + ": " + e.getMessage());
            return e.exitStatus();
        }
        if (booter.isEmpty()) {
            err.println(NAME + ": boot not implemented yet (images in " + prebuiltDir + " are valid)");
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
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {NAME + " (zircon-loader) " + (v == null ? "dev" : v)};
        }
    }
}
