package dev.zjvm.object.time;

import dev.zjvm.object.Kernel;
import java.time.Instant;

/**
 * The kernel's UTC for {@code zx_clock_get(ZX_CLOCK_UTC)}: monotonic time plus an offset. The
 * offset is taken from the host's wall clock when the kernel first needs it and changes only
 * through {@code zx_clock_adjust}, so UTC advances exactly with the monotonic clock.
 */
public final class UtcClock {
    private volatile long offset;

    private UtcClock(Kernel kernel) {
        Instant now = Instant.now();
        long wall = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
        offset = wall - kernel.clock().nowNanos();
    }

    public static UtcClock of(Kernel kernel) {
        return kernel.service(UtcClock.class, UtcClock::new);
    }

    /** UTC = monotonic + offset. */
    public long offset() {
        return offset;
    }

    /** {@code zx_clock_adjust(UTC)}: sets the offset. */
    public void setOffset(long offset) {
        this.offset = offset;
    }

    /** UTC at monotonic time {@code mono} (saturating). */
    public long at(long mono) {
        long r = mono + offset;
        if (((mono ^ r) & (offset ^ r)) < 0) return offset < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        return r;
    }
}
