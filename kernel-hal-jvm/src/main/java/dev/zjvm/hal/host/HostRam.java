package dev.zjvm.hal.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The host's RAM as Linux reports it in {@code /proc/meminfo}. Read directly rather than through
 * {@code java.lang.management}, whose platform beans take a noticeable time to initialise at start-up.
 *
 * @param totalBytes MemTotal
 * @param freeBytes  MemFree
 */
public record HostRam(long totalBytes, long freeBytes) {
    private static final Path MEMINFO = Path.of("/proc/meminfo");

    /** The current figures; the JVM's maximum heap as total (and 0 free) if /proc/meminfo is unreadable. */
    public static HostRam read() {
        try {
            return parse(Files.readString(MEMINFO));
        } catch (IOException | RuntimeException e) {
            return new HostRam(Runtime.getRuntime().maxMemory(), 0);
        }
    }

    /** Parses meminfo text ("MemTotal:  24590164 kB" lines). */
    static HostRam parse(String meminfo) {
        long total = -1, free = -1;
        for (String line : meminfo.split("\n")) {
            if (line.startsWith("MemTotal:")) total = kib(line);
            else if (line.startsWith("MemFree:")) free = kib(line);
        }
        if (total <= 0 || free < 0) throw new IllegalArgumentException("no MemTotal/MemFree in meminfo");
        return new HostRam(total, free);
    }

    private static long kib(String line) {
        String value = line.substring(line.indexOf(':') + 1).trim();
        int space = value.indexOf(' ');
        return Long.parseLong(space < 0 ? value : value.substring(0, space)) * 1024;
    }
}
