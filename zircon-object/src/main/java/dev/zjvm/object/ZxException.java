package dev.zjvm.object;

/**
 * A kernel operation failed with a Zircon status. Kernel objects throw it; the syscall dispatcher
 * turns it into the returned {@code zx_status_t}. It carries no stack trace: it is control flow on
 * the syscall path, not a bug report.
 */
public final class ZxException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public ZxException(int status) {
        this(status, null);
    }

    public ZxException(int status, String detail) {
        super(detail == null ? ZxStatus.name(status) : ZxStatus.name(status) + ": " + detail, null, false, false);
        if (status >= 0) throw new IllegalArgumentException("not an error status: " + status);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** Throws {@code ZxException(status)} unless {@code condition} holds. */
    public static void check(boolean condition, int status) {
        if (!condition) throw new ZxException(status);
    }
}
