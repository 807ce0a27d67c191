package dev.zjvm.hal.time;

/** A clock on {@link System#nanoTime()}, one tick per ns; for kernels that run no guest code. */
public final class NanoTimeClock implements MonotonicClock {
    private final long origin = System.nanoTime();

    @Override public long nowNanos() { return System.nanoTime() - origin; }
    @Override public long ticks() { return nowNanos(); }
    @Override public long ticksPerSecond() { return 1_000_000_000L; }
    @Override public int ticksToMonoNumerator() { return 1; }
    @Override public int ticksToMonoDenominator() { return 1; }
}
