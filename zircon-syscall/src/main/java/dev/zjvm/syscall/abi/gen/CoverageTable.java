package dev.zjvm.syscall.abi.gen;

import dev.zjvm.syscall.abi.SyscallAttribute;
import dev.zjvm.syscall.abi.SyscallDef;
import dev.zjvm.syscall.abi.SyscallTable;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The syscall coverage table for docs/ (design section 5): one Markdown row per entry of the
 * table, with a status column supplied by whoever knows which handlers exist.
 */
public final class CoverageTable {
    private CoverageTable() {
    }

    /**
     * @param implemented true for entries the kernel (or the vDSO, for vDSO-only calls) implements
     */
    public static String markdown(SyscallTable table, Predicate<SyscallDef> implemented) {
        StringBuilder sb = new StringBuilder();
        List<SyscallDef> all = table.all();
        long done = all.stream().filter(implemented).count();
        sb.append("Generated from syscalls.def. ").append(done).append(" of ").append(all.size())
                .append(" entries implemented.\n\n");
        sb.append("| # | name | family | kind | attributes | implemented |\n|---|---|---|---|---|---|\n");
        for (SyscallDef d : all) {
            sb.append("| ").append(d.number().isPresent() ? Integer.toString(d.number().getAsInt()) : "—")
                    .append(" | `").append(d.cName()).append("` | ").append(d.family()).append(" | ").append(kind(d))
                    .append(" | ").append(d.attributes().stream().map(SyscallAttribute::keyword).sorted()
                            .collect(Collectors.joining(", ")))
                    .append(" | ").append(implemented.test(d) ? "yes" : "no").append(" |\n");
        }
        return sb.toString();
    }

    private static String kind(SyscallDef d) {
        if (d.has(SyscallAttribute.COMPOSITE)) {
            return "composite (libos)";
        }
        if (d.has(SyscallAttribute.INTERNAL)) {
            return "internal";
        }
        if (d.has(SyscallAttribute.TEST)) {
            return "test";
        }
        return d.has(SyscallAttribute.VDSOCALL) ? "vDSO-only" : "kernel";
    }
}
