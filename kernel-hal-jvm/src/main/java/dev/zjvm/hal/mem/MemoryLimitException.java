package dev.zjvm.hal.mem;

/** A host limit was reached (memory, map count, open files, address-space room). Maps to ZX_ERR_NO_MEMORY / NO_RESOURCES. */
public final class MemoryLimitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MemoryLimitException(String message) {
        super(message);
    }

    public MemoryLimitException(String message, Throwable cause) {
        super(message, cause);
    }
}
