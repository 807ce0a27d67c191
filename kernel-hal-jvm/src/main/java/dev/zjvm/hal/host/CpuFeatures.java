package dev.zjvm.hal.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** Host CPU facts the HAL needs, read once (they cannot change while the process runs). */
public final class CpuFeatures {
    private static final long HWCAP2_FSGSBASE = 1L << 1;
    private static final Set<String> FLAGS = readFlags();
    private static final boolean FSGSBASE = (Libc.getauxval(Libc.AT_HWCAP2) & HWCAP2_FSGSBASE) != 0;

    private CpuFeatures() {}

    /** The kernel lets user code run rdfsbase/wrfsbase/rdgsbase/wrgsbase (AT_HWCAP2 bit 1). */
    public static boolean fsgsbase() { return FSGSBASE; }

    public static boolean avx() { return FLAGS.contains("avx"); }

    /** The TSC ticks at a constant rate and does not stop in idle states. */
    public static boolean invariantTsc() { return FLAGS.contains("constant_tsc") && FLAGS.contains("nonstop_tsc"); }

    private static Set<String> readFlags() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
                if (line.startsWith("flags")) return Set.copyOf(java.util.Arrays.asList(line.substring(line.indexOf(':') + 1).trim().split("\\s+")));
        } catch (IOException | RuntimeException ignored) {
            // no /proc: report no optional features
        }
        return Set.of();
    }
}
