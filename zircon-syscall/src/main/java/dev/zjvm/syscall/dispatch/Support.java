package dev.zjvm.syscall.dispatch;

import java.util.Objects;

/** How completely a registered syscall is implemented; shown in docs/syscalls.md. */
public record Support(Level level, String missing) {
    public enum Level { IMPLEMENTED, PARTIAL }

    public static final Support IMPLEMENTED = new Support(Level.IMPLEMENTED, "");

    public Support {
        Objects.requireNonNull(level);
        Objects.requireNonNull(missing);
        if (level == Level.PARTIAL && missing.isBlank()) throw new IllegalArgumentException("say what is missing");
    }

    /** Implemented except for {@code missing}. */
    public static Support partial(String missing) {
        return new Support(Level.PARTIAL, missing);
    }

    @Override
    public String toString() {
        return level == Level.IMPLEMENTED ? "IMPLEMENTED" : "PARTIAL (" + missing + ")";
    }
}
