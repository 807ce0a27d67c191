package dev.zjvm.syscall.dispatch;

/**
 * Syscall number to name mapping (the ABI table's numbering; names without {@code zx_}). Only
 * kernel entries have numbers.
 */
public interface SyscallNumbering {
    /** One more than the largest number in the table. */
    int limit();

    /** Name of a numbered syscall, or null if the number is not in the table. */
    String nameOf(int number);
}
