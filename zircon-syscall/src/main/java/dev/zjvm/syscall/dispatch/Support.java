package dev.zjvm.syscall.dispatch;

import java.util.Objects;

/** How completely a registered syscall is implemented; shown in docs/syscalls.md. */
public record Support(Level level, String missing) {
    public enum Level {
        IMPLEMENTED,
        PARTIAL,
        /** Arguments, handles and rights are validated as the spec says, then NOT_SUPPORTED (e.g. no such hardware). */
        NOT_SUPPORTED
    }

    public static final Support IMPLEMENTED = new Support(Level.IMPLEMENTED, "");

    public Support {
        Objects.requireNonNull(level);
        Objects.requireNonNull(missing);
        if (level != Level.IMPLEMENTED && missing.isBlank()) throw new IllegalArgumentException("say what is missing");
    }

    /** Implemented except for {@code missing}. */
    public static Support partial(String missing) {
        return new Support(Level.PARTIAL, missing);
    }

    /** Validates like the spec, then answers NOT_SUPPORTED because {@code reason}. */
    public static Support notSupported(String reason) {
        return new Support(Level.NOT_SUPPORTED, reason);
    }

    @Override
    public String toString() {
        return switch (level) {
            case IMPLEMENTED -> "IMPLEMENTED";
            case PARTIAL -> "PARTIAL (" + missing + ")";
            case NOT_SUPPORTED -> "NOT_SUPPORTED (" + missing + ")";
        };
    }
}
