package dev.zjvm.syscall.dispatch;

import dev.zjvm.syscall.abi.SyscallDef;
import dev.zjvm.syscall.abi.SyscallTable;

/**
 * Syscall number to name mapping (the ABI table's numbering; names without {@code zx_}). Only
 * kernel entries have numbers.
 */
public interface SyscallNumbering {
    /** One more than the largest number in the table. */
    int limit();

    /** Name of a numbered syscall, or null if the number is not in the table. */
    String nameOf(int number);

    /** The numbering of an ABI table (normally {@link SyscallTable#standard()}). */
    static SyscallNumbering of(SyscallTable table) {
        int limit = table.byNumber().isEmpty() ? 0 : table.byNumber().lastKey() + 1;
        String[] names = new String[limit];
        for (SyscallDef d : table.byNumber().values()) names[d.number().getAsInt()] = d.name();
        return new SyscallNumbering() {
            @Override
            public int limit() {
                return limit;
            }

            @Override
            public String nameOf(int number) {
                return number >= 0 && number < limit ? names[number] : null;
            }
        };
    }
}
