package dev.zjvm.syscall.handler;

import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.exception.ExceptionObject;
import dev.zjvm.object.task.Job;
import dev.zjvm.object.task.Process;
import dev.zjvm.object.task.Thread;
import dev.zjvm.syscall.dispatch.Support;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;
import java.util.Arrays;

/**
 * {@code zx_object_get_property} / {@code zx_object_set_property} (constants.md §13): NAME on
 * every object, the process, thread, job and exception properties. An unknown property is
 * INVALID_ARGS (the 2020 kernel's answer); object families add theirs with a case here.
 */
public final class PropertySyscalls implements SyscallFamily {
    static final int REGISTER_GS = 2;
    static final int NAME = 3;
    static final int REGISTER_FS = 4;
    static final int PROCESS_DEBUG_ADDR = 5;
    static final int PROCESS_VDSO_BASE_ADDRESS = 6;
    static final int PROCESS_BREAK_ON_LOAD = 7;
    static final int PROCESS_HW_TRACE_CONTEXT_ID = 8;
    static final int JOB_KILL_ON_OOM = 15;
    static final int EXCEPTION_STATE = 16;

    /** Highest user address + 1 (x86-64 lower half). */
    private static final long USER_TOP = 1L << 47;

    @Override
    public void registerInto(SyscallRegistry r) {
        Support s = Support.partial("NAME and the task/exception properties; socket and VMO properties not yet");
        r.register("object_get_property", s, (c, h, prop, value, size, a4, a5, a6, a7) -> get(c, h, prop, value, size));
        r.register("object_set_property", s, (c, h, prop, value, size, a4, a5, a6, a7) -> set(c, h, prop, value, size));
    }

    static long get(SyscallContext c, long handle, long propArg, long value, long size) {
        KernelObject o = c.get(handle, KernelObject.class, Rights.GET_PROPERTY);
        if (value == 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        int prop = (int) propArg;
        switch (prop) {
            case NAME -> {
                need(size, KernelObject.MAX_NAME_LEN);
                c.memory().writeBytes(value, Arrays.copyOf(o.nameBytes(), KernelObject.MAX_NAME_LEN));
            }
            case PROCESS_DEBUG_ADDR -> putU64(c, value, size, as(o, Process.class).debugAddr());
            case PROCESS_VDSO_BASE_ADDRESS -> putU64(c, value, size, as(o, Process.class).vdsoBase());
            case PROCESS_BREAK_ON_LOAD -> putU64(c, value, size, as(o, Process.class).breakOnLoad());
            case PROCESS_HW_TRACE_CONTEXT_ID -> {
                as(o, Process.class);
                throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED); // no debugging syscalls here
            }
            case EXCEPTION_STATE -> {
                ExceptionObject e = as(o, ExceptionObject.class);
                need(size, 4);
                c.memory().writeU32(value, e.state());
            }
            default -> throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        }
        return ZxStatus.OK;
    }

    static long set(SyscallContext c, long handle, long propArg, long value, long size) {
        KernelObject o = c.get(handle, KernelObject.class, Rights.SET_PROPERTY);
        if (value == 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        int prop = (int) propArg;
        switch (prop) {
            case NAME -> {
                if (!isNamed(o.type())) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
                long n = Long.compareUnsigned(size, KernelObject.MAX_NAME_LEN - 1) > 0 ? KernelObject.MAX_NAME_LEN - 1 : size;
                o.setName(c.memory().readBytes(value, n));
            }
            case REGISTER_FS, REGISTER_GS -> {
                Thread t = as(o, Thread.class);
                need(size, 8);
                long base = c.memory().readU64(value);
                if (t != c.thread()) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED);
                if (base < 0 || base >= USER_TOP) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
                t.setOwnSegmentBase(prop == REGISTER_FS, base);
            }
            case PROCESS_DEBUG_ADDR -> {
                Process p = as(o, Process.class);
                p.setDebugAddr(getU64(c, value, size));
            }
            case PROCESS_BREAK_ON_LOAD -> {
                Process p = as(o, Process.class);
                p.setBreakOnLoad(getU64(c, value, size));
            }
            case JOB_KILL_ON_OOM -> {
                Job j = as(o, Job.class);
                long v = getU64(c, value, size);
                if (v != 0 && v != 1) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
                j.setKillOnOom(v == 1);
            }
            case EXCEPTION_STATE -> {
                ExceptionObject e = as(o, ExceptionObject.class);
                need(size, 4);
                e.setState(c.memory().readU32(value)); // INVALID_ARGS unless TRY_NEXT or HANDLED
            }
            default -> throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        }
        return ZxStatus.OK;
    }

    /** Objects whose name can be set (constants.md §13). */
    private static boolean isNamed(ObjectType type) {
        return switch (type) {
            case JOB, PROCESS, THREAD, VMO, RESOURCE -> true;
            default -> false;
        };
    }

    private static <T> T as(KernelObject o, Class<T> type) {
        if (!type.isInstance(o)) throw new ZxException(ZxStatus.ERR_WRONG_TYPE);
        return type.cast(o);
    }

    private static void need(long size, int bytes) {
        if (Long.compareUnsigned(size, bytes) < 0) throw new ZxException(ZxStatus.ERR_BUFFER_TOO_SMALL);
    }

    private static void putU64(SyscallContext c, long value, long size, long v) {
        need(size, 8);
        c.memory().writeU64(value, v);
    }

    private static long getU64(SyscallContext c, long value, long size) {
        need(size, 8);
        return c.memory().readU64(value);
    }
}
