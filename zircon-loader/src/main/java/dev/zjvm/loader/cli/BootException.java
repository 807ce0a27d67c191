package dev.zjvm.loader.cli;

/** Booting failed; the message is shown to the user as one line. */
public final class BootException extends Exception {
    private static final long serialVersionUID = 1L;

    public BootException(String message) {
        super(message);
    }

    public BootException(String message, Throwable cause) {
        super(message, cause);
    }
}
