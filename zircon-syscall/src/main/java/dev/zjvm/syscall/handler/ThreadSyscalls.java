package dev.zjvm.syscall.handler;

import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.task.GeneralRegs;
import dev.zjvm.object.task.Process;
import dev.zjvm.object.task.Thread;
import dev.zjvm.syscall.dispatch.Support;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;
import dev.zjvm.syscall.user.UserMemory;

/** thread_create, thread_start, thread_exit, thread_read_state, thread_write_state. */
public final class ThreadSyscalls implements SyscallFamily {
    // zx_thread_state_topic_t (constants.md §14).
    static final int STATE_GENERAL_REGS = 0;
    static final int STATE_FP_REGS = 1;
    static final int STATE_VECTOR_REGS = 2;
    static final int STATE_DEBUG_REGS = 4;
    static final int STATE_SINGLE_STEP = 5;
    static final int STATE_FS = 6;
    static final int STATE_GS = 7;

    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("thread_create", (c, p, name, nameSize, options, out, a5, a6, a7) ->
                create(c, p, name, nameSize, options, out));
        r.register("thread_start", (c, t, entry, stack, arg1, arg2, a5, a6, a7) -> start(c, t, entry, stack, arg1, arg2));
        r.register("thread_exit", (c, a0, a1, a2, a3, a4, a5, a6, a7) -> exit(c));
        // Every kind, for natively run threads (debug registers as host perf breakpoints, single step by
        // TF; see docs/hal-native-execution.md). Threads without a native runner (test harnesses, where
        // no guest code runs) have no register state: NOT_SUPPORTED.
        Support regs = Support.IMPLEMENTED;
        r.register("thread_read_state", regs, (c, h, kind, buf, size, a4, a5, a6, a7) -> readState(c, h, kind, buf, size));
        r.register("thread_write_state", regs, (c, h, kind, buf, size, a4, a5, a6, a7) ->
                writeState(c, h, kind, buf, size));
    }

    static long create(SyscallContext c, long process, long name, long nameSize, long options, long out) {
        Process p = c.get(process, Process.class, Rights.MANAGE_THREAD);
        if ((int) options != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        Thread t = p.createThread(TaskSyscalls.readName(c, name, nameSize));
        c.installHandle(out, Handle.createDefault(t));
        return ZxStatus.OK;
    }

    static long start(SyscallContext c, long thread, long entry, long stack, long arg1, long arg2) {
        c.get(thread, Thread.class, Rights.MANAGE_THREAD).start(entry, stack, arg1, arg2);
        return ZxStatus.OK;
    }

    static long exit(SyscallContext c) {
        Thread self = c.thread();
        if (self == null) throw new ZxException(ZxStatus.ERR_BAD_STATE);
        self.exit();
        return ZxStatus.OK; // never seen by the guest
    }

    /** Size of a state kind's struct; INVALID_ARGS for unknown kinds. */
    static int stateSize(int kind) {
        return switch (kind) {
            case STATE_GENERAL_REGS, STATE_FP_REGS -> 160;
            case STATE_VECTOR_REGS -> 2120;
            case STATE_DEBUG_REGS -> 48;
            case STATE_SINGLE_STEP -> 4;
            case STATE_FS, STATE_GS -> 8;
            default -> throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        };
    }

    static long readState(SyscallContext c, long handle, long kindArg, long buffer, long bufferSize) {
        Thread t = c.get(handle, Thread.class, Rights.READ);
        int kind = (int) kindArg;
        int size = stateSize(kind);
        if (Long.compareUnsigned(bufferSize, size) < 0) throw new ZxException(ZxStatus.ERR_BUFFER_TOO_SMALL);
        byte[] out = switch (kind) {
            case STATE_GENERAL_REGS -> t.readGeneralRegs().toBytes();
            case STATE_SINGLE_STEP -> u32((t.readGeneralRegs().rflags() & GeneralRegs.TF) != 0 ? 1 : 0);
            case STATE_FS -> u64(t.readGeneralRegs().fsBase());
            case STATE_GS -> u64(t.readGeneralRegs().gsBase());
            default -> {
                byte[] b = t.readExtendedRegs(kind);
                if (b == null) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
                if (b.length != size) throw new IllegalStateException("runner returned " + b.length + " bytes for kind " + kind);
                yield b;
            }
        };
        c.memory().writeBytes(buffer, out);
        return ZxStatus.OK;
    }

    static long writeState(SyscallContext c, long handle, long kindArg, long buffer, long bufferSize) {
        Thread t = c.get(handle, Thread.class, Rights.WRITE);
        int kind = (int) kindArg;
        int size = stateSize(kind);
        if (bufferSize != size) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        byte[] in = c.memory().readBytes(buffer, size);
        switch (kind) {
            case STATE_GENERAL_REGS -> t.writeGeneralRegs(GeneralRegs.fromBytes(in));
            case STATE_SINGLE_STEP -> {
                int v = (int) UserMemory.I32.get(in, 0);
                if (v != 0 && v != 1) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
                GeneralRegs g = t.readGeneralRegs();
                t.writeGeneralRegs(g.withRflags(v == 1 ? g.rflags() | GeneralRegs.TF : g.rflags() & ~GeneralRegs.TF));
            }
            case STATE_FS -> t.writeGeneralRegs(t.readGeneralRegs().withFsBase((long) UserMemory.I64.get(in, 0)));
            case STATE_GS -> t.writeGeneralRegs(t.readGeneralRegs().withGsBase((long) UserMemory.I64.get(in, 0)));
            default -> {
                if (!t.writeExtendedRegs(kind, in)) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
            }
        }
        return ZxStatus.OK;
    }

    private static byte[] u32(int v) {
        byte[] b = new byte[4];
        UserMemory.I32.set(b, 0, v);
        return b;
    }

    private static byte[] u64(long v) {
        byte[] b = new byte[8];
        UserMemory.I64.set(b, 0, v);
        return b;
    }
}
