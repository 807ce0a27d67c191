package dev.zjvm.object.time;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.hal.mem.DetachedAddressSpace;
import dev.zjvm.hal.mem.HeapPhysicalMemory;
import dev.zjvm.hal.time.MonotonicClock;
import dev.zjvm.object.Kernel;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import org.junit.jupiter.api.Test;

/** Exact clock arithmetic against a hand-driven monotonic clock (2 ticks per ns). */
class ClockTest {
    /** A clock the test moves by hand; ns = ticks / 2. */
    private static final class ManualClock implements MonotonicClock {
        volatile long ticks;

        @Override public long nowNanos() { return ticks / 2; }
        @Override public long ticks() { return ticks; }
        @Override public long ticksPerSecond() { return 2_000_000_000L; }
        @Override public int ticksToMonoNumerator() { return 1; }
        @Override public int ticksToMonoDenominator() { return 2; }
    }

    private final ManualClock mono = new ManualClock();
    private final Kernel kernel = new Kernel(new HeapPhysicalMemory(), mono, size -> new DetachedAddressSpace(1L << 32, size), 1);

    private void setNanos(long ns) {
        mono.ticks = 2 * ns;
    }

    @Test
    void valueAndRateUpdates() {
        Clock c = Clock.create(kernel, 0, 0);
        setNanos(1_000);
        c.update(Clock.UPDATE_VALUE_VALID | Clock.UPDATE_RATE_ADJUST_VALID, 500, 1_000_000, 0);
        setNanos(3_000); // 2000 ns later at +500 ppm: 2001 ns
        assertEquals(1_002_001, c.read());
        Clock.Details d = c.details();
        assertEquals(new ClockTransform(1_000, 1_000_000, 2001, 2000), d.monoToSynthetic());
        // ticks: rate (1e6+500)/1e6 * 1/2 ns per tick = 2001/4000
        assertEquals(new ClockTransform(2_000, 1_000_000, 2001, 4000), d.ticksToSynthetic());
        assertEquals(d.monoToSynthetic().apply(3_000), d.ticksToSynthetic().apply(6_000));
        assertEquals(2_000, d.lastValueUpdateTicks());
        assertEquals(2_000, d.lastRateAdjustUpdateTicks());
        assertEquals(0, d.lastErrorBoundsUpdateTicks());
        assertEquals(Clock.UNKNOWN_ERROR, d.errorBound());
        assertEquals(6_000, d.queryTicks());

        // A rate change keeps the value continuous at the update instant.
        c.update(Clock.UPDATE_RATE_ADJUST_VALID, -1000, 0, 0);
        setNanos(4_000); // +1000 ns at -1000 ppm: 999 ns
        assertEquals(1_002_001 + 999, c.read());
        c.update(Clock.UPDATE_ERROR_BOUND_VALID, 0, 0, 77);
        assertEquals(77, c.details().errorBound());
        assertEquals(8_000, c.details().lastErrorBoundsUpdateTicks());
        assertEquals(6, c.details().generationCounter());
    }

    @Test
    void autoStartClonesMonotonic() {
        setNanos(5_000);
        Clock c = Clock.create(kernel, Clock.OPT_AUTO_START | Clock.OPT_MONOTONIC, 4_000);
        assertTrue(c.isStarted());
        setNanos(9_000);
        assertEquals(9_000, c.read());
        Clock.Details d = c.details();
        assertEquals(new ClockTransform(0, 0, 1, 1), d.monoToSynthetic());
        assertEquals(new ClockTransform(0, 0, 1, 2), d.ticksToSynthetic());
        assertEquals(0, d.lastValueUpdateTicks());
        assertEquals(0, d.generationCounter());
        ZxException e = assertThrows(ZxException.class, () -> Clock.create(kernel, Clock.OPT_AUTO_START, 9_001));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, e.status());
    }

    @Test
    void theSameRateAgainOnlyRecordsTheTime() {
        Clock c = Clock.create(kernel, 0, 0);
        setNanos(10);
        c.update(Clock.UPDATE_VALUE_VALID | Clock.UPDATE_RATE_ADJUST_VALID, 5, 100, 0);
        ClockTransform before = c.details().monoToSynthetic();
        setNanos(50);
        c.update(Clock.UPDATE_RATE_ADJUST_VALID, 5, 0, 0);
        assertEquals(before, c.details().monoToSynthetic());
        assertEquals(100, c.details().lastRateAdjustUpdateTicks());
        assertEquals(20, c.details().lastValueUpdateTicks());
    }

    @Test
    void firstStartWithoutRateRunsAtOneToOne() {
        Clock c = Clock.create(kernel, 0, 0);
        setNanos(10);
        c.update(Clock.UPDATE_VALUE_VALID, 0, 1_000, 0);
        assertEquals(20, c.details().lastRateAdjustUpdateTicks());
        setNanos(110);
        assertEquals(1_100, c.read());
    }

    @Test
    void monotonicClocksNeverStepBack() {
        Clock c = Clock.create(kernel, Clock.OPT_MONOTONIC, 0);
        setNanos(100);
        c.update(Clock.UPDATE_VALUE_VALID, 0, 10_000, 0);
        setNanos(200);
        assertThrows(ZxException.class, () -> c.update(Clock.UPDATE_VALUE_VALID, 0, 10_099, 0));
        c.update(Clock.UPDATE_VALUE_VALID, 0, 10_100, 0); // exactly "now" is allowed
        assertEquals(10_100, c.read());
    }

    @Test
    void ratiosAreReducedToU32() {
        assertArrayEquals(new int[] {1001, 1000}, ClockTransform.ratio(1_001_000, 1_000_000));
        int[] r = ClockTransform.ratio(1_000_999L * 4_294_967_291L, 1_000_000L * 3);
        assertTrue(Integer.toUnsignedLong(r[0]) <= 0xffff_ffffL && r[1] != 0);
        double exact = 1_000_999.0 * 4_294_967_291.0 / 3_000_000.0;
        double got = (double) Integer.toUnsignedLong(r[0]) / Integer.toUnsignedLong(r[1]);
        assertEquals(exact, got, exact * 1e-9, "scaled-down ratio stays close");
        int[] small = ClockTransform.ratio(3_000_001L, 1_000_999L * 4_294_967_291L);
        double exactSmall = 3_000_001.0 / (1_000_999.0 * 4_294_967_291.0);
        double gotSmall = (double) Integer.toUnsignedLong(small[0]) / Integer.toUnsignedLong(small[1]);
        assertEquals(exactSmall, gotSmall, exactSmall * 1e-6);
    }

    @Test
    void utcIsPerKernel() {
        Kernel other = Kernel.forTesting(2);
        UtcClock.of(kernel).setOffset(123);
        setNanos(1_000);
        assertEquals(1_123, UtcClock.of(kernel).at(1_000));
        assertNotEquals(123, UtcClock.of(other).offset());
        assertEquals(Long.MAX_VALUE, UtcClock.of(kernel).at(Long.MAX_VALUE), "saturates");
    }
}
