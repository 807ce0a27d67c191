package dev.zjvm.loader.cli;

/** The loader's own exit statuses (BSD sysexits values), used when no guest status applies. */
public final class ExitStatus {
    private ExitStatus() {}

    public static final int OK = 0;
    /** Bad command line: unknown option, unknown program, command line too long. */
    public static final int USAGE = 64;
    /** A corrupt ELF or ZBI. */
    public static final int DATA_ERROR = 65;
    /** A missing directory or file. */
    public static final int NO_INPUT = 66;
    /** Boot failed or is not available. */
    public static final int SOFTWARE = 70;
}
