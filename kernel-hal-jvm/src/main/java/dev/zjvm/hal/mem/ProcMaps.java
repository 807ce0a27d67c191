package dev.zjvm.hal.mem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Reader of the host facts the memory HAL depends on: {@code /proc/self/maps} and vm sysctls. */
final class ProcMaps {
    /** One line of {@code /proc/self/maps}: {@code [start, end)} and the permission string, e.g. {@code r-xp}. */
    record Entry(long start, long end, String perms, String path) {
        boolean overlaps(long from, long to) {
            return start < to && from < end;
        }
    }

    /** Precompiled: String.split with this regex would compile it again for every line (slow at start-up). */
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private ProcMaps() {}

    /** The process's mappings in address order. */
    static List<Entry> read() {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/self/maps"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/maps", e);
        }
        List<Entry> out = new ArrayList<>(lines.size());
        for (String line : lines) {
            String[] f = WHITESPACE.split(line.trim(), 6);
            int dash = f[0].indexOf('-');
            out.add(new Entry(Long.parseUnsignedLong(f[0], 0, dash, 16), Long.parseUnsignedLong(f[0], dash + 1, f[0].length(), 16),
                    f[1], f.length > 5 ? f[5] : ""));
        }
        return out;
    }

    /** Entries overlapping {@code [from, to)}. */
    static List<Entry> within(long from, long to) {
        return read().stream().filter(e -> e.overlaps(from, to)).toList();
    }

    /** Number of mappings the process has now (lines of /proc/self/maps). */
    static long count() {
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/maps", e);
        }
    }

    /** {@code vm.max_map_count}; Linux's default when the file cannot be read. */
    static long maxMapCount() {
        try {
            // Not Files.readString: on this JDK it returns a truncated "6" for this procfs file.
            return Long.parseLong(Files.readAllLines(Path.of("/proc/sys/vm/max_map_count")).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return 65530;
        }
    }
}
