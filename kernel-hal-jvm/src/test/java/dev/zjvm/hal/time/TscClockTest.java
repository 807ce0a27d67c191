package dev.zjvm.hal.time;

import dev.zjvm.hal.host.CpuFeatures;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TscClockTest {

    @Test
    void scaleIsExactFloorOfTheRatio() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < 100_000; i++) {
            long ticks = rnd.nextLong(0, Long.MAX_VALUE / 4);
            int num = (int) rnd.nextLong(1, 1L << 32), den = (int) rnd.nextLong(1, 1L << 32);
            BigInteger exact = BigInteger.valueOf(ticks).multiply(BigInteger.valueOf(Integer.toUnsignedLong(num)))
                    .divide(BigInteger.valueOf(Integer.toUnsignedLong(den)));
            if (exact.bitLength() < 63) assertEquals(exact.longValueExact(), TscClock.scale(ticks, num, den));
        }
    }

    @Test
    void ratioFitsU32AndMatchesTheFrequency() {
        TscClock c = TscClock.ofFrequencyKhz(2_495_312);
        long num = Integer.toUnsignedLong(c.ticksToMonoNumerator()), den = Integer.toUnsignedLong(c.ticksToMonoDenominator());
        assertEquals(2_495_312_000L, c.ticksPerSecond());
        assertEquals(1_000_000_000L, TscClock.scale(c.ticksPerSecond(), (int) num, (int) den));
        assertTrue(num <= 0xFFFF_FFFFL && den <= 0xFFFF_FFFFL);
        assertThrows(IllegalArgumentException.class, () -> TscClock.ofFrequencyKhz(0));
    }

    @Test
    void calibratedClockIsMonotonicAndAgreesWithTheOsClock() {
        assumeTrue(CpuFeatures.invariantTsc());
        TscClock c = TscClock.calibrate();
        assertTrue(c.ticksPerSecond() > 100_000_000L && c.ticksPerSecond() < 10_000_000_000L, "plausible TSC rate");
        long last = c.nowNanos();
        for (int i = 0; i < 100_000; i++) {
            long now = c.nowNanos();
            assertTrue(now >= last, "went back");
            last = now;
        }
        assertEquals(TscClock.scale(c.ticks(), c.ticksToMonoNumerator(), c.ticksToMonoDenominator()) / 1_000_000_000L,
                c.nowNanos() / 1_000_000_000L, 1, "nowNanos is ticks scaled by the published ratio");
        // the rate: TSC-derived and OS-derived elapsed times over the same interval (ratio, not a duration)
        long t0 = c.nowNanos(), n0 = System.nanoTime();
        long spin = 0;
        while (System.nanoTime() - n0 < 200_000_000L) spin++;
        long t1 = c.nowNanos(), n1 = System.nanoTime();
        double ratio = (double) (t1 - t0) / (n1 - n0);
        assertTrue(spin > 0 && ratio > 0.9 && ratio < 1.1, "TSC ns / OS ns = " + ratio);
    }
}
