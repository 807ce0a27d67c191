package dev.zjvm.loader.boot;

import dev.zjvm.hal.time.MonotonicClock;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The block the kernel writes into the vDSO at boot ({@code struct vdso_constants}, 0x78 bytes,
 * formats.md §E.4). The vDSO computes time from the TSC with these numbers, so they must come from
 * the same clock the kernel uses for deadlines.
 */
public record VdsoConstants(int maxNumCpus, int cpuFeatures, int hwBreakpointCount, int hwWatchpointCount,
                            int dcacheLineSize, int icacheLineSize, long ticksPerSecond,
                            int ticksToMonoNumerator, int ticksToMonoDenominator, long physmem, String versionString) {
    public static final int SIZE = 0x78;
    /** {@code ZX_HAS_CPU_FEATURES}: must be set for {@code zx_system_get_features(CPU)} to succeed. */
    public static final int HAS_CPU_FEATURES = 1;
    private static final int VERSION_CAPACITY = 64;

    public VdsoConstants {
        if (versionString.getBytes(StandardCharsets.UTF_8).length >= VERSION_CAPACITY) {
            throw new IllegalArgumentException("version string longer than 63 bytes");
        }
    }

    /** Constants describing this host and the kernel's clock. */
    public static VdsoConstants forHost(MonotonicClock clock, long physmem, String version) {
        return new VdsoConstants(Runtime.getRuntime().availableProcessors(), HAS_CPU_FEATURES, 0, 0, 64, 64,
                clock.ticksPerSecond(), clock.ticksToMonoNumerator(), clock.ticksToMonoDenominator(), physmem, version);
    }

    /** The 0x78-byte little-endian image of the struct. */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        byte[] version = versionString.getBytes(StandardCharsets.UTF_8);
        b.putInt(maxNumCpus).putInt(cpuFeatures).putInt(hwBreakpointCount).putInt(hwWatchpointCount)
                .putInt(dcacheLineSize).putInt(icacheLineSize).putLong(ticksPerSecond)
                .putInt(ticksToMonoNumerator).putInt(ticksToMonoDenominator).putLong(physmem)
                .putLong(version.length).put(version);
        return b.array();
    }
}
