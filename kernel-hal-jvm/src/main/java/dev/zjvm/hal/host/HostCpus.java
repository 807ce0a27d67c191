package dev.zjvm.hal.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The host CPUs this process runs on and the per-CPU counters Linux keeps for them
 * ({@code /proc/stat}, {@code /proc/interrupts}). Read afresh on every call: nothing is cached.
 */
public final class HostCpus {
    /** {@code USER_HZ}: the unit of {@code /proc/stat} times, fixed at 100 by the Linux ABI. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    /**
     * Counters of one host CPU; each is what Linux counted since boot.
     *
     * @param idleNanos        time idle or waiting for I/O
     * @param interrupts       interrupts of every kind handled on the CPU
     * @param timerInterrupts  local timer interrupts ({@code LOC})
     * @param rescheduleIpis   rescheduling inter-processor interrupts ({@code RES})
     * @param functionCallIpis function-call inter-processor interrupts ({@code CAL})
     */
    public record Counters(int cpu, long idleNanos, long interrupts, long timerInterrupts, long rescheduleIpis,
            long functionCallIpis) {}

    private HostCpus() {}

    /**
     * Host CPU numbers the process may run on (the main thread's affinity, which the kernel never
     * narrows), ascending; 0..n-1 for the JVM's processor count if {@code /proc} does not say.
     */
    public static int[] allowed() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    int[] cpus = parseList(line.substring(line.indexOf(':') + 1).trim());
                    if (cpus.length > 0) return cpus;
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through to the JVM's count
        }
        int n = Runtime.getRuntime().availableProcessors();
        int[] cpus = new int[n];
        for (int i = 0; i < n; i++) cpus[i] = i;
        return cpus;
    }

    /**
     * The host CPU behind each guest CPU number: guest CPU {@code i} is the {@code i}-th allowed
     * host CPU, for as many CPUs as the JVM reports (what {@code zx_system_get_num_cpus} says).
     */
    public static int[] guestCpus() {
        int[] allowed = allowed();
        int n = Math.min(allowed.length, Runtime.getRuntime().availableProcessors());
        return java.util.Arrays.copyOf(allowed, n);
    }

    /** The guest CPU number of host CPU {@code hostCpu}, or -1 if it is not one of ours. */
    public static int guestCpuOf(int hostCpu) {
        int[] cpus = guestCpus();
        for (int i = 0; i < cpus.length; i++) if (cpus[i] == hostCpu) return i;
        return -1;
    }

    /** Parses a Linux CPU list such as {@code 0-3,6,8-9}. */
    static int[] parseList(String list) {
        List<Integer> out = new ArrayList<>();
        for (String part : list.split(",")) {
            if (part.isBlank()) continue;
            int dash = part.indexOf('-');
            int from = Integer.parseInt(part.substring(0, dash < 0 ? part.length() : dash).trim());
            int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1).trim());
            for (int c = from; c <= to; c++) out.add(c);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Counters of every online host CPU, by CPU number; CPUs missing from /proc are absent. */
    public static Map<Integer, Counters> counters() {
        return counters(read("/proc/stat"), read("/proc/interrupts"));
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            return "";
        }
    }

    static Map<Integer, Counters> counters(String stat, String interrupts) {
        Map<Integer, Long> idle = idleNanos(stat);
        Map<String, long[]> irq = new HashMap<>();
        int[] columns = interruptColumns(interrupts, irq);
        long[] total = irq.getOrDefault("*", new long[0]);
        Map<Integer, Counters> out = new HashMap<>();
        for (Map.Entry<Integer, Long> e : idle.entrySet()) {
            int cpu = e.getKey();
            int col = indexOf(columns, cpu);
            out.put(cpu, new Counters(cpu, e.getValue(), at(total, col), at(irq.get("LOC"), col),
                    at(irq.get("RES"), col), at(irq.get("CAL"), col)));
        }
        return out;
    }

    /** {@code cpuN user nice system idle iowait ...}: idle + iowait, in ns. */
    private static Map<Integer, Long> idleNanos(String stat) {
        Map<Integer, Long> out = new HashMap<>();
        for (String line : stat.split("\n")) {
            if (!line.startsWith("cpu") || line.startsWith("cpu ")) continue;
            String[] f = line.trim().split("\\s+");
            if (f.length < 6) continue;
            try {
                int cpu = Integer.parseInt(f[0].substring(3));
                out.put(cpu, (Long.parseLong(f[4]) + Long.parseLong(f[5])) * NANOS_PER_TICK);
            } catch (NumberFormatException e) {
                // not a per-CPU line
            }
        }
        return out;
    }

    /**
     * Parses {@code /proc/interrupts}: the header names the CPU of each column; every row's
     * per-CPU counts go into {@code rows} under its name, and their sum under {@code "*"}.
     *
     * @return the CPU number of each column
     */
    private static int[] interruptColumns(String text, Map<String, long[]> rows) {
        String[] lines = text.split("\n");
        if (lines.length == 0 || lines[0].isBlank()) return new int[0];
        String[] header = lines[0].trim().split("\\s+");
        int[] columns = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            columns[i] = header[i].startsWith("CPU") ? Integer.parseInt(header[i].substring(3)) : -1;
        }
        long[] total = new long[columns.length];
        for (int l = 1; l < lines.length; l++) {
            String line = lines[l].trim();
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            long[] counts = new long[columns.length];
            int n = 0;
            while (n < columns.length && n < f.length && f[n].chars().allMatch(Character::isDigit) && !f[n].isEmpty()) {
                counts[n] = Long.parseLong(f[n]);
                n++;
            }
            if (n < columns.length) continue; // ERR/MIS: one system-wide count, not per CPU
            rows.put(line.substring(0, colon).trim(), counts);
            for (int i = 0; i < n; i++) total[i] += counts[i];
        }
        rows.put("*", total);
        return columns;
    }

    private static int indexOf(int[] columns, int cpu) {
        for (int i = 0; i < columns.length; i++) if (columns[i] == cpu) return i;
        return -1;
    }

    private static long at(long[] row, int col) {
        return row == null || col < 0 || col >= row.length ? 0 : row[col];
    }
}
