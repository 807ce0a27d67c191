package dev.zjvm.syscall.handler;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.ObjectType;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.signal.Signals;
import dev.zjvm.object.time.Clock;
import dev.zjvm.object.time.ClockTransform;
import dev.zjvm.syscall.testing.ErrorChecks;
import dev.zjvm.syscall.testing.SyscallHarness;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class ClockSyscallsTest {
    private static final long V1 = ClockSyscalls.ARGS_V1;
    private final SyscallHarness h = new SyscallHarness();

    private int create(long options, long args) {
        long out = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("clock_create", options, args, out));
        return h.u32(out);
    }

    private int autoStarted() {
        return h.install(Clock.create(h.kernel, Clock.OPT_AUTO_START, 0));
    }

    private long updateArgs(int ppm, long value, long error) {
        long a = h.alloc(24);
        h.putU32(a, ppm);
        h.putU64(a + 8, value);
        h.putU64(a + 16, error);
        return a;
    }

    private ByteBuffer details(int clock) {
        long out = h.alloc(Clock.DETAILS_V1_SIZE);
        assertEquals(ZxStatus.OK, h.status("clock_get_details", clock, V1, out));
        return ByteBuffer.wrap(h.memory.readBytes(out, Clock.DETAILS_V1_SIZE)).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void createValidatesOptionsAndArgs() {
        int c = create(0, 0);
        assertEquals(ObjectType.CLOCK.defaultRights(), h.rights(c));
        long backstop = h.alloc(8);
        h.putU64(backstop, 1000);
        create(V1 | Clock.OPT_MONOTONIC | Clock.OPT_CONTINUOUS, backstop);
        long out = h.alloc(4);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("clock_create", 0, backstop, out), "v0 with args");
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("clock_create", 2L << 58, backstop, out), "version 2");
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("clock_create", 1L << 3, 0, out), "unknown option");
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("clock_create", Clock.OPT_CONTINUOUS, 0, out));
        h.putU64(backstop, -1);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("clock_create", V1, backstop, out), "negative backstop");
        h.putU64(backstop, h.deadlineIn(3_600_000));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("clock_create", V1 | Clock.OPT_AUTO_START, backstop, out),
                "auto-start before the backstop");
        ErrorChecks.of(h, "clock_create").args(0, 0, 0).out(2).run();
        h.putU64(backstop, 5);
        ErrorChecks.of(h, "clock_create").args(V1, backstop, 0).in(1).out(2).run();
    }

    @Test
    void autoStartedClockTracksMonotonic() {
        int c = create(Clock.OPT_AUTO_START | Clock.OPT_MONOTONIC, 0);
        assertEquals(Signals.CLOCK_STARTED, h.object(c, Clock.class).signals() & Signals.CLOCK_STARTED);
        long out = h.alloc(8);
        long before = h.kernel.clock().nowNanos();
        assertEquals(ZxStatus.OK, h.status("clock_read", c, out));
        assertTrue(before <= h.u64(out) && h.u64(out) <= h.kernel.clock().nowNanos());
    }

    @Test
    void unstartedClockCannotBeReadAndFirstUpdateMustSetTheValue() {
        int c = create(0, 0);
        long out = h.alloc(8);
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("clock_read", c, out));
        assertEquals(0, h.object(c, Clock.class).signals() & Signals.CLOCK_STARTED);
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("clock_update", c, V1 | Clock.UPDATE_RATE_ADJUST_VALID,
                updateArgs(10, 0, 0)));
        assertEquals(ZxStatus.OK, h.status("clock_update", c, V1 | Clock.UPDATE_VALUE_VALID, updateArgs(0, 5_000, 0)));
        assertEquals(Signals.CLOCK_STARTED, h.object(c, Clock.class).signals() & Signals.CLOCK_STARTED);
        assertEquals(ZxStatus.OK, h.status("clock_read", c, out));
        assertTrue(h.u64(out) >= 5_000);
    }

    @Test
    void updateMath() {
        int c = create(0, 0);
        long value = 1_000_000_000_000L;
        long m0 = h.kernel.clock().nowNanos();
        assertEquals(ZxStatus.OK, h.status("clock_update", c,
                V1 | Clock.UPDATE_VALUE_VALID | Clock.UPDATE_RATE_ADJUST_VALID | Clock.UPDATE_ERROR_BOUND_VALID,
                updateArgs(1000, value, 4242)));
        long m1 = h.kernel.clock().nowNanos();
        ByteBuffer d = details(c);
        assertEquals(0, d.getLong(0));
        long refOffset = d.getLong(40);
        assertTrue(m0 <= refOffset && refOffset <= m1, "anchored at the update's monotonic time");
        assertEquals(value, d.getLong(48));
        assertEquals(1001, d.getInt(56)); // 1000 ppm fast: 1001/1000
        assertEquals(1000, d.getInt(60));
        assertEquals(value, d.getLong(24), "ticks transform has the same synthetic offset");
        assertEquals(4242, d.getLong(64));
        assertEquals(2, d.getInt(104), "a seqlock counter: +2 per update");
        assertTrue(d.getLong(80) > 0 && d.getLong(80) == d.getLong(88) && d.getLong(88) == d.getLong(96));

        long out = h.alloc(8);
        long r0 = h.kernel.clock().nowNanos();
        h.call("clock_read", c, out);
        long r1 = h.kernel.clock().nowNanos();
        ClockTransform t = new ClockTransform(refOffset, value, 1001, 1000);
        assertTrue(t.apply(r0) <= h.u64(out) && h.u64(out) <= t.apply(r1));

        // A rate-only update keeps the timeline continuous.
        h.call("clock_read", c, out);
        long beforeRate = h.u64(out);
        assertEquals(ZxStatus.OK, h.status("clock_update", c, V1 | Clock.UPDATE_RATE_ADJUST_VALID, updateArgs(-1000, 0, 0)));
        d = details(c);
        assertEquals(999, d.getInt(56));
        assertTrue(d.getLong(48) >= beforeRate);
        assertEquals(4, d.getInt(104));
    }

    @Test
    void transformArithmetic() {
        ClockTransform t = new ClockTransform(100, 1_000, 3, 2);
        assertEquals(1_000, t.apply(100));
        assertEquals(1_150, t.apply(200));
        assertEquals(998, t.apply(99)); // floor(-1.5)
        assertEquals(Long.MAX_VALUE, new ClockTransform(0, 0, 1001, 1000).apply(Long.MAX_VALUE), "saturates");
        assertEquals(Long.MIN_VALUE, new ClockTransform(0, 0, 1001, 1000).apply(Long.MIN_VALUE));
        // The product overflows 64 bits; the exact quotient is 6917529027641081854.5.
        assertEquals(6917529027641081854L, new ClockTransform(0, 0, 3, 2).apply(Long.MAX_VALUE / 2));
        assertEquals(0, new ClockTransform(0, 77, 0, 1).apply(5) - 77);
    }

    @Test
    void updateRules() {
        long backstop = h.alloc(8);
        h.putU64(backstop, 10_000);
        int mono = create(V1 | Clock.OPT_MONOTONIC, backstop);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("clock_update", mono, V1 | Clock.UPDATE_VALUE_VALID,
                updateArgs(0, 9_999, 0)), "before the backstop");
        assertEquals(ZxStatus.OK, h.status("clock_update", mono, V1 | Clock.UPDATE_VALUE_VALID, updateArgs(0, 1L << 50, 0)));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("clock_update", mono, V1 | Clock.UPDATE_VALUE_VALID,
                updateArgs(0, 20_000, 0)), "monotonic clocks never go back");
        assertEquals(ZxStatus.OK, h.status("clock_update", mono, V1 | Clock.UPDATE_VALUE_VALID, updateArgs(0, 1L << 51, 0)));

        int cont = create(Clock.OPT_MONOTONIC | Clock.OPT_CONTINUOUS, 0);
        assertEquals(ZxStatus.OK, h.status("clock_update", cont, V1 | Clock.UPDATE_VALUE_VALID, updateArgs(0, 1, 0)));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("clock_update", cont, V1 | Clock.UPDATE_VALUE_VALID,
                updateArgs(0, 1L << 50, 0)), "continuous clocks never jump");
        assertEquals(ZxStatus.OK, h.status("clock_update", cont, V1 | Clock.UPDATE_RATE_ADJUST_VALID, updateArgs(7, 0, 0)));

        int c = autoStarted();
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("clock_update", c, V1 | Clock.UPDATE_RATE_ADJUST_VALID,
                updateArgs(1001, 0, 0)));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("clock_update", c, V1 | Clock.UPDATE_RATE_ADJUST_VALID,
                updateArgs(-1001, 0, 0)));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("clock_update", c, V1, updateArgs(0, 0, 0)), "nothing valid");
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("clock_update", c, V1 | 8, updateArgs(0, 0, 0)), "unknown flag");
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("clock_update", c, Clock.UPDATE_VALUE_VALID, updateArgs(0, 0, 0)),
                "version 0");
        assertEquals(0, details(c).getInt(104), "failed updates change nothing");
    }

    @Test
    void handleAndPointerErrors() {
        ErrorChecks.of(h, "clock_read").args(0, 0).handle(0, this::autoStarted, Rights.READ).out(1).run();
        ErrorChecks.of(h, "clock_get_details").args(0, V1, 0).handle(0, this::autoStarted, Rights.READ).out(2).run();
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("clock_get_details", autoStarted(), 0, h.alloc(112)));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("clock_get_details", autoStarted(), 2L << 58, h.alloc(112)));
        ErrorChecks.of(h, "clock_update").args(0, V1 | Clock.UPDATE_ERROR_BOUND_VALID, updateArgs(0, 0, 9))
                .handle(0, this::autoStarted, Rights.WRITE).in(2).run();
    }
}
