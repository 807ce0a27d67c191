package dev.zjvm.hal.time;

import dev.zjvm.hal.cpu.Asm;
import dev.zjvm.hal.host.CpuFeatures;
import dev.zjvm.hal.host.HostMemory;
import dev.zjvm.hal.host.Libc;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The monotonic clock on the CPU's time-stamp counter, the same counter the vDSO reads with rdtsc:
 * {@code ns = ticks * num / den} with the ratio calibrated once against the OS clock when the clock is
 * made, and written by the loader into the vDSO constants so kernel and guest agree on every value.
 * Needs an invariant TSC (constant rate, not stopped in idle states); {@link #calibrate()} refuses
 * otherwise, and the kernel then uses {@link NanoTimeClock} and routes the vDSO's time calls to itself.
 */
@SuppressWarnings("restricted")   // downcalls to code the HAL generated or to libc are its job
public final class TscClock implements MonotonicClock {
    private static final long CALIBRATION_NANOS = 50_000_000L;
    private static final long NS_PER_KHZ_TICK = 1_000_000L;   // ns per tick = 1e6 / (frequency in kHz)

    private final long ticksPerSecond;
    private final int num, den;

    private TscClock(long frequencyKhz) {
        long g = gcd(NS_PER_KHZ_TICK, frequencyKhz);
        long n = NS_PER_KHZ_TICK / g, d = frequencyKhz / g;
        if (n > 0xFFFF_FFFFL || d > 0xFFFF_FFFFL || d == 0) throw new IllegalArgumentException("TSC frequency out of range: " + frequencyKhz + " kHz");
        this.num = (int) n;
        this.den = (int) d;
        this.ticksPerSecond = frequencyKhz * 1000;
    }

    /** Measures the TSC rate against CLOCK_MONOTONIC over 50 ms (bracketed samples: an error of about 1 ppm). */
    public static TscClock calibrate() {
        if (!CpuFeatures.invariantTsc()) throw new UnsupportedOperationException("the TSC is not invariant on this host");
        long[] start = sample(), end;
        long target = start[1] + CALIBRATION_NANOS;
        do {
            try {
                Thread.sleep(Math.max(1, (target - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while calibrating the TSC", e);
            }
            end = sample();
        } while (end[1] < target);
        double hz = (double) (end[0] - start[0]) * 1e9 / (end[1] - start[1]);
        return new TscClock(Math.round(hz / 1000));
    }

    /** A clock with a known TSC frequency (e.g. one calibrated earlier). */
    public static TscClock ofFrequencyKhz(long frequencyKhz) { return new TscClock(frequencyKhz); }

    /** {tsc, nanoTime} read as close together as possible: the tightest of a few tsc brackets. */
    private static long[] sample() {
        long best = Long.MAX_VALUE, tsc = 0, ns = 0;
        for (int i = 0; i < 16; i++) {
            long t0 = rdtsc();
            long n = System.nanoTime();
            long t1 = rdtsc();
            if (t1 - t0 < best) { best = t1 - t0; tsc = t0 + (t1 - t0) / 2; ns = n; }
        }
        return new long[] {tsc, ns};
    }

    @Override public long nowNanos() { return scale(ticks(), num, den); }

    @Override public long ticks() { return rdtsc(); }

    @Override public long ticksPerSecond() { return ticksPerSecond; }

    @Override public int ticksToMonoNumerator() { return num; }

    @Override public int ticksToMonoDenominator() { return den; }

    /**
     * floor(ticks * num / den) exactly, with num and den read as unsigned 32-bit values (as the vDSO
     * does with a 128-bit intermediate), for ticks >= 0.
     */
    public static long scale(long ticks, int num, int den) {
        long n = Integer.toUnsignedLong(num), d = Integer.toUnsignedLong(den);
        long q = ticks / d, r = ticks % d;
        return q * n + Long.divideUnsigned(r * n, d);      // r * n < 2^64: r < d < 2^32, n < 2^32
    }

    private static long gcd(long a, long b) { return b == 0 ? a : gcd(b, a % b); }

    private static long rdtsc() {
        try { return (long) Rdtsc.HANDLE.invokeExact(); } catch (Throwable t) { throw Libc.rethrow(t); }
    }

    /** The rdtsc helper: process-wide immutable code, emitted on first use. */
    private static final class Rdtsc {
        static final MethodHandle HANDLE = emit();

        private static MethodHandle emit() {
            Asm a = new Asm();
            a.lfence();                 // no earlier load may pass the counter read
            a.rdtsc();                  // edx:eax = TSC
            a.shlImm(Asm.RDX, 32);
            a.orRR(Asm.RAX, Asm.RDX);   // rax = TSC
            a.ret();
            long code = HostMemory.installCode(a.finish());
            // critical: a handful of instructions that never block, no thread-state transition needed
            return Libc.LINKER.downcallHandle(MemorySegment.ofAddress(code), FunctionDescriptor.of(JAVA_LONG),
                    Linker.Option.critical(false));
        }
    }
}
