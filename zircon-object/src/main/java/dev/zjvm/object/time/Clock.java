package dev.zjvm.object.time;

import dev.zjvm.hal.time.MonotonicClock;
import dev.zjvm.hal.time.TscClock;
import dev.zjvm.object.Kernel;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.signal.Signals;

/**
 * A kernel clock object ({@code zx_clock_create}, constants.md §7): a synthetic timeline defined
 * as an affine function of the kernel's monotonic clock, set and rate-adjusted by its owner with
 * {@code zx_clock_update}. Reads are computed on demand from the kernel's one monotonic clock.
 */
public final class Clock extends KernelObject {
    public static final long OPT_MONOTONIC = 1;
    public static final long OPT_CONTINUOUS = 1 << 1;
    public static final long OPT_AUTO_START = 1 << 2;
    public static final long OPTS_ALL = OPT_MONOTONIC | OPT_CONTINUOUS | OPT_AUTO_START;
    public static final int UPDATE_VALUE_VALID = 1;
    public static final int UPDATE_RATE_ADJUST_VALID = 1 << 1;
    public static final int UPDATE_ERROR_BOUND_VALID = 1 << 2;
    public static final int UPDATE_ALL = UPDATE_VALUE_VALID | UPDATE_RATE_ADJUST_VALID | UPDATE_ERROR_BOUND_VALID;
    public static final int MAX_PPM = 1000;
    public static final long UNKNOWN_ERROR = -1L; // UINT64_MAX
    /** Bytes of {@code zx_clock_details_v1_t}. */
    public static final int DETAILS_V1_SIZE = 112;
    private static final long PPM_SCALE = 1_000_000L;

    private final MonotonicClock mono;
    private final long options;
    private final long backstop;
    private boolean started;
    private int ppm;
    private ClockTransform monoToSynthetic;
    private ClockTransform ticksToSynthetic;
    private long errorBound = UNKNOWN_ERROR;
    private long lastValueUpdateTicks;
    private long lastRateAdjustUpdateTicks;
    private long lastErrorBoundsUpdateTicks;
    private int generation;

    private Clock(Kernel kernel, long options, long backstop) {
        super(kernel);
        this.mono = kernel.clock();
        this.options = options;
        this.backstop = backstop;
        // Not started: rate 0, so every read of the transform yields the backstop.
        this.monoToSynthetic = new ClockTransform(0, backstop, 0, 1);
        this.ticksToSynthetic = monoToSynthetic;
    }

    /**
     * {@code zx_clock_create} with the options word stripped of its args version.
     *
     * @throws ZxException INVALID_ARGS for unknown options, CONTINUOUS without MONOTONIC, a
     *     negative backstop, or AUTO_START with a backstop later than now
     */
    public static Clock create(Kernel kernel, long options, long backstop) {
        if ((options & ~OPTS_ALL) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "unknown clock option");
        if ((options & OPT_CONTINUOUS) != 0 && (options & OPT_MONOTONIC) == 0) {
            throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "CONTINUOUS needs MONOTONIC");
        }
        if (backstop < 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "negative backstop");
        Clock c = new Clock(kernel, options, backstop);
        if ((options & OPT_AUTO_START) != 0) {
            if (c.mono.nowNanos() < backstop) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "backstop is in the future");
            synchronized (c.lock) {
                // A clone of the monotonic clock, anchored at 0 on both timelines.
                c.monoToSynthetic = new ClockTransform(0, 0, 1, 1);
                c.ticksToSynthetic = new ClockTransform(0, 0, c.mono.ticksToMonoNumerator(), c.mono.ticksToMonoDenominator());
                c.start();
            }
        }
        return c;
    }

    @Override
    public ObjectType type() {
        return ObjectType.CLOCK;
    }

    /** The 2020 kernel lets user code set CLOCK_STARTED too. */
    @Override
    protected int allowedUserSignals() {
        return Signals.USER_ALL | Signals.CLOCK_STARTED;
    }

    public long options() {
        return options;
    }

    public long backstop() {
        return backstop;
    }

    public boolean isStarted() {
        synchronized (lock) {
            return started;
        }
    }

    /**
     * {@code zx_clock_read}: the synthetic time now.
     *
     * @throws ZxException BAD_STATE if the clock was never started
     */
    public long read() {
        synchronized (lock) { // sample under the lock so no update can be anchored after our sample
            if (!started) throw new ZxException(ZxStatus.ERR_BAD_STATE, "clock not started");
            return monoToSynthetic.apply(mono.nowNanos());
        }
    }

    /** A snapshot for {@code zx_clock_get_details} (version 1). */
    public Details details() {
        synchronized (lock) {
            return new Details(options, backstop, ticksToSynthetic, monoToSynthetic, errorBound, mono.ticks(),
                    lastValueUpdateTicks, lastRateAdjustUpdateTicks, lastErrorBoundsUpdateTicks, generation);
        }
    }

    /**
     * {@code zx_clock_update} (v1 arguments).
     *
     * @param flags      UPDATE_* bits saying which of the other arguments are valid
     * @throws ZxException INVALID_ARGS for bad flags, a rate outside ±{@value #MAX_PPM} ppm, a
     *     value below the backstop, a jump of a CONTINUOUS clock or a backwards step of a
     *     MONOTONIC one; BAD_STATE when the first update does not set the value
     */
    public void update(int flags, int rateAdjustPpm, long value, long newErrorBound) {
        if (flags == 0 || (flags & ~UPDATE_ALL) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        boolean setValue = (flags & UPDATE_VALUE_VALID) != 0;
        boolean setRate = (flags & UPDATE_RATE_ADJUST_VALID) != 0;
        boolean setError = (flags & UPDATE_ERROR_BOUND_VALID) != 0;
        if (setRate && (rateAdjustPpm < -MAX_PPM || rateAdjustPpm > MAX_PPM)) {
            throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "rate adjustment out of range");
        }
        synchronized (lock) {
            if (!started && !setValue) throw new ZxException(ZxStatus.ERR_BAD_STATE, "first update must set the value");
            if (setValue && value < backstop) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "value before the backstop");
            if (setValue && started && (options & OPT_CONTINUOUS) != 0) {
                throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "a continuous clock cannot jump");
            }
            long ticks = mono.ticks();
            long monoNow = monoAt(ticks);
            long current = monoToSynthetic.apply(monoNow);
            if (setValue && started && (options & OPT_MONOTONIC) != 0 && value < current) {
                throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "a monotonic clock cannot go back");
            }
            // The same rate again without a new value changes no transform (Zircon records only the time).
            boolean sameRate = setRate && rateAdjustPpm == ppm && started;
            if ((setValue || setRate) && !(sameRate && !setValue)) {
                setTransforms(ticks, monoNow, setValue ? value : current, setRate ? rateAdjustPpm : ppm);
            }
            if (setValue) lastValueUpdateTicks = ticks;
            if (setRate || !started) lastRateAdjustUpdateTicks = ticks; // the first start sets the rate too
            if (setError) {
                errorBound = newErrorBound;
                lastErrorBoundsUpdateTicks = ticks;
            }
            generation += 2; // Zircon's seqlock counter: even when stable, +2 per update
            if (!started) start();
        }
    }

    /** Re-anchors both transforms at ({@code ticks}, {@code monoNow}) with value {@code synthetic}. */
    private void setTransforms(long ticks, long monoNow, long synthetic, int newPpm) {
        ppm = newPpm;
        long num = PPM_SCALE + newPpm;
        int[] r = ClockTransform.ratio(num, PPM_SCALE);
        monoToSynthetic = new ClockTransform(monoNow, synthetic, r[0], r[1]);
        int[] t = ClockTransform.ratio(num * Integer.toUnsignedLong(mono.ticksToMonoNumerator()),
                PPM_SCALE * Integer.toUnsignedLong(mono.ticksToMonoDenominator()));
        ticksToSynthetic = new ClockTransform(ticks, synthetic, t[0], t[1]);
    }

    private void start() {
        started = true;
        updateSignals(0, Signals.CLOCK_STARTED);
    }

    private long monoAt(long ticks) {
        return TscClock.scale(ticks, mono.ticksToMonoNumerator(), mono.ticksToMonoDenominator());
    }

    /** The fields of {@code zx_clock_details_v1_t}. */
    public record Details(long options, long backstop, ClockTransform ticksToSynthetic, ClockTransform monoToSynthetic,
            long errorBound, long queryTicks, long lastValueUpdateTicks, long lastRateAdjustUpdateTicks,
            long lastErrorBoundsUpdateTicks, int generationCounter) {
        /** The 112-byte little-endian guest layout. */
        public byte[] encode() {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(DETAILS_V1_SIZE).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            b.putLong(options).putLong(backstop);
            put(b, ticksToSynthetic);
            put(b, monoToSynthetic);
            b.putLong(errorBound).putLong(queryTicks).putLong(lastValueUpdateTicks).putLong(lastRateAdjustUpdateTicks)
                    .putLong(lastErrorBoundsUpdateTicks).putInt(generationCounter).putInt(0);
            return b.array();
        }

        private static void put(java.nio.ByteBuffer b, ClockTransform t) {
            b.putLong(t.referenceOffset()).putLong(t.syntheticOffset()).putInt(t.syntheticTicks()).putInt(t.referenceTicks());
        }
    }
}
