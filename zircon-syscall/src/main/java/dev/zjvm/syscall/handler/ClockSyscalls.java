package dev.zjvm.syscall.handler;

import dev.zjvm.object.task.JobPolicy;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.time.Clock;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;

/** Kernel clock objects: clock_create, clock_read, clock_get_details, clock_update. */
public final class ClockSyscalls implements SyscallFamily {
    static final int VERSION_SHIFT = 58;
    static final long VERSION_MASK = 0x3fL << VERSION_SHIFT;
    static final long ARGS_V1 = 1L << VERSION_SHIFT;
    /** {@code sizeof(zx_clock_update_args_v1_t)}. */
    static final int UPDATE_ARGS_V1_SIZE = 24;

    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("clock_create", (c, options, args, out, a3, a4, a5, a6, a7) -> create(c, options, args, out));
        r.register("clock_read", (c, h, out, a2, a3, a4, a5, a6, a7) -> read(c, h, out));
        r.register("clock_get_details", (c, h, options, out, a3, a4, a5, a6, a7) -> details(c, h, options, out));
        r.register("clock_update", (c, h, options, args, a3, a4, a5, a6, a7) -> update(c, h, options, args));
    }

    static long create(SyscallContext c, long options, long args, long out) {
        c.process().enforcePolicy(JobPolicy.NEW_ANY, c.thread());
        long backstop = switch ((int) ((options & VERSION_MASK) >>> VERSION_SHIFT)) {
            case 0 -> {
                if (args != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "version 0 takes no args");
                yield 0;
            }
            case 1 -> c.memory().readU64(args); // zx_clock_create_args_v1_t.backstop_time
            default -> throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "unknown args version");
        };
        Clock clock = Clock.create(c.kernel(), options & ~VERSION_MASK, backstop);
        c.installHandle(out, Handle.createDefault(clock));
        return ZxStatus.OK;
    }

    static long read(SyscallContext c, long handle, long out) {
        long now = c.get(handle, Clock.class, Rights.READ).read();
        c.memory().writeU64(out, now);
        return ZxStatus.OK;
    }

    /** Options and pointer are checked before the handle, as in the 2020 kernel. */
    static long details(SyscallContext c, long handle, long options, long out) {
        if (options != ARGS_V1 || out == 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "details version must be 1");
        Clock clock = c.get(handle, Clock.class, Rights.READ);
        c.memory().writeBytes(out, clock.details().encode());
        return ZxStatus.OK;
    }

    /** The arguments are read and checked before the handle, as in the 2020 kernel. */
    static long update(SyscallContext c, long handle, long options, long args) {
        if ((options & VERSION_MASK) != ARGS_V1 || args == 0) {
            throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "args version must be 1");
        }
        byte[] a = c.memory().readBytes(args, UPDATE_ARGS_V1_SIZE);
        long flags = options & ~VERSION_MASK;
        if (flags == 0 || (flags & ~Clock.UPDATE_ALL) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(a).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int ppm = b.getInt(0);
        if ((flags & Clock.UPDATE_RATE_ADJUST_VALID) != 0 && (ppm < -Clock.MAX_PPM || ppm > Clock.MAX_PPM)) {
            throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "rate adjustment out of range");
        }
        Clock clock = c.get(handle, Clock.class, Rights.WRITE);
        clock.update((int) flags, ppm, b.getLong(8), b.getLong(16));
        return ZxStatus.OK;
    }
}
