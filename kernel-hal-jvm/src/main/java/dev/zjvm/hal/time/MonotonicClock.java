package dev.zjvm.hal.time;

/**
 * The one monotonic clock shared by the kernel and the vDSO: {@code ZX_CLOCK_MONOTONIC} in ns
 * since boot, derived from a tick counter with a fixed ratio ({@code ns = ticks * num / den}) so
 * that the guest can compute the same value from the vDSO constants.
 */
public interface MonotonicClock {
    /** Current monotonic time in nanoseconds (never negative, never goes back). */
    long nowNanos();

    /** Current raw tick count. */
    long ticks();

    long ticksPerSecond();

    /** Numerator of the ticks to ns ratio (fits in u32). */
    int ticksToMonoNumerator();

    /** Denominator of the ticks to ns ratio (fits in u32). */
    int ticksToMonoDenominator();
}
