package dev.zjvm.loader.cli;

/** Validation of the CLI's inputs failed: one line for the user, and the exit status to use. */
public final class LaunchException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int exitStatus;

    public LaunchException(int exitStatus, String message) {
        super(message);
        this.exitStatus = exitStatus;
    }

    public int exitStatus() {
        return exitStatus;
    }
}
