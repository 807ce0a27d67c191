package dev.zjvm.syscall.abi;

import java.util.List;

/**
 * One generated C header and what it declares, in order.
 *
 * @param path     path relative to include/, e.g. {@code zircon/types.h}
 * @param includes headers it includes, e.g. {@code stdint.h}
 * @param items    declarations in file order
 */
public record HeaderDef(String path, List<String> includes, List<AbiItem> items) {
    public HeaderDef {
        includes = List.copyOf(includes);
        items = List.copyOf(items);
    }
}
