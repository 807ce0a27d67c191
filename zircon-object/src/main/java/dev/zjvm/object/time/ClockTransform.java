package dev.zjvm.object.time;

import java.math.BigInteger;

/**
 * An affine map from a reference timeline to a clock's synthetic timeline ({@code
 * zx_clock_transformation_t}): {@code synthetic = syntheticOffset + (ref - referenceOffset) *
 * syntheticTicks / referenceTicks}, rounded toward negative infinity and saturated to the i64 range.
 */
public record ClockTransform(long referenceOffset, long syntheticOffset, int syntheticTicks, int referenceTicks) {
    /** Bytes of {@code zx_clock_transformation_t}. */
    public static final int SIZE = 24;
    private static final long U32_MAX = 0xffff_ffffL;

    public ClockTransform {
        if (referenceTicks == 0) throw new IllegalArgumentException("reference_ticks is 0");
    }

    /** The synthetic time at reference time {@code ref}. */
    public long apply(long ref) {
        long n = Integer.toUnsignedLong(syntheticTicks);
        long d = Integer.toUnsignedLong(referenceTicks);
        try {
            long delta = Math.subtractExact(ref, referenceOffset);
            return Math.addExact(syntheticOffset, Math.floorDiv(Math.multiplyExact(delta, n), d));
        } catch (ArithmeticException overflow) {
            BigInteger v = BigInteger.valueOf(ref).subtract(BigInteger.valueOf(referenceOffset))
                    .multiply(BigInteger.valueOf(n));
            BigInteger[] qr = v.divideAndRemainder(BigInteger.valueOf(d));
            BigInteger q = qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
            BigInteger r = q.add(BigInteger.valueOf(syntheticOffset));
            if (r.bitLength() < 64) return r.longValue();
            return r.signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /**
     * The ratio {@code num/den} (both positive) reduced so both fit in u32. When the exact reduced
     * ratio does not fit, the closest ratio whose larger term is as large as u32 allows is used
     * (relative error about 1/that term); a ratio beyond the u32 range saturates.
     */
    static int[] ratio(long num, long den) {
        long g = gcd(num, den);
        num /= g;
        den /= g;
        if (num <= U32_MAX && den <= U32_MAX) return new int[] {(int) num, (int) den};
        double v = (double) num / den;
        if (v >= 1) {
            long d = Math.max(1, (long) Math.floor(U32_MAX / v));
            long n = Math.min(U32_MAX, Math.round(d * v));
            return new int[] {(int) n, (int) d};
        }
        long n = Math.max(1, (long) Math.floor(U32_MAX * v));
        long d = Math.min(U32_MAX, Math.round(n / v));
        return new int[] {(int) n, (int) d};
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a == 0 ? 1 : a;
    }
}
