package dev.zjvm.syscall.exec;

import dev.zjvm.hal.cpu.GeneralRegisters;
import dev.zjvm.hal.cpu.UserContext;
import dev.zjvm.hal.cpu.XState;
import dev.zjvm.hal.host.HostCallException;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.task.GeneralRegs;
import dev.zjvm.object.task.ThreadRegisters;

/**
 * A guest thread's HAL {@link UserContext} as the kernel's {@link ThreadRegisters} (debugger
 * register access, ZX_PROP_REGISTER_FS/GS). A guest gs base needs the HAL's FSGSBASE mode; in the
 * arch_prctl fallback a non-zero one is NOT_SUPPORTED.
 */
final class ContextRegisters implements ThreadRegisters {
    private final UserContext ctx;
    private volatile boolean inTrap;

    ContextRegisters(UserContext ctx) {
        this.ctx = ctx;
    }

    /** Set while the thread is stopped in a trap: a register write must then resume exactly. */
    void setInTrap(boolean value) {
        inTrap = value;
        written = null; // a new stop: the trap's own state (or, after it, the one resumed with)
    }

    @Override
    public GeneralRegs readGeneral() {
        GeneralRegisters g = ctx.generalRegisters();
        return new GeneralRegs(g.rax(), g.rbx(), g.rcx(), g.rdx(), g.rsi(), g.rdi(), g.rbp(), g.rsp(), g.r8(), g.r9(),
                g.r10(), g.r11(), g.r12(), g.r13(), g.r14(), g.r15(), g.rip(), g.rflags(), g.fsBase(), g.gsBase());
    }

    @Override
    public void writeGeneral(GeneralRegs r) {
        if (r.gsBase() != 0 && !ctx.supportsGsBase()) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
        ctx.setGeneralRegisters(new GeneralRegisters(r.rax(), r.rbx(), r.rcx(), r.rdx(), r.rsi(), r.rdi(), r.rbp(),
                r.rsp(), r.r8(), r.r9(), r.r10(), r.r11(), r.r12(), r.r13(), r.r14(), r.r15(), r.rip(), r.rflags(),
                r.fsBase(), r.gsBase()));
        if (inTrap) ctx.requestExactResume();
    }

    @Override
    public void setFsBase(long value) {
        ctx.setFsBase(value);
    }

    // ---- FP, vector and debug registers (zx_thread_read_state / write_state) ----

    static final int KIND_FP = 1, KIND_VECTOR = 2, KIND_DEBUG = 4;
    static final int DEBUG_REGS_SIZE = 48;
    /** DR7: bits a user may set (L0-3, G0-3, RW/LEN 0-3), and the ones always read as 1 (bit 10, LE, GE). */
    static final long DR7_USER_MASK = 0xFFFF_00FFL, DR7_FIXED = 0x700;
    /** DR6: the bits software can write (B0-3, BD, BS, BT); the others read as the CPU's fixed 1s. */
    static final long DR6_WRITABLE = 0xE00F, DR6_FIXED = 0xFFFF_0FF0L;
    private static final long USER_LIMIT = 1L << 47;
    private static final int EINVAL = 22, ENOSPC = 28;

    private XState written; // state written during this stop, loaded on resume; under the thread lock
    private final long[] debug = new long[6]; // dr0-3, dr6, dr7: validated as Zircon does, armed in the HAL

    /**
     * The vector state at this stop: what was written, else the trap's, else the one the entry kept
     * (a suspension requested while the guest ran), else what survives a call (controls only).
     */
    private XState current() {
        if (written != null) return written;
        XState x = inTrap || ctx.xstateCapturedAtEntry() ? ctx.xstate() : null;
        return x != null ? x : XState.afterCall(ctx.mxcsr(), ctx.x87ControlWord(), dev.zjvm.hal.cpu.HostThreadState.xcr0());
    }

    @Override
    public byte[] readExtended(int kind) {
        return switch (kind) {
            case KIND_FP -> current().fpRegs();
            case KIND_VECTOR -> current().vectorRegs();
            case KIND_DEBUG -> {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(DEBUG_REGS_SIZE).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                for (long v : debug) b.putLong(v);
                yield b.array();
            }
            default -> null;
        };
    }

    @Override
    public boolean writeExtended(int kind, byte[] state) {
        switch (kind) {
            case KIND_FP, KIND_VECTOR -> {
                XState x = current();
                if (kind == KIND_FP) x.setFpRegs(state);
                else x.setVectorRegs(state);
                written = x;
                ctx.resumeWithXstate(x);
            }
            case KIND_DEBUG -> writeDebug(state);
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * As the 2020 kernel: every non-zero address must be a canonical user address (else
     * INVALID_ARGS); DR7 keeps only the user bits plus its fixed ones; DR6 its writable bits. Then
     * armed as host hardware breakpoints on the runner's thread (HAL), so they fire as
     * ZX_EXCP_HW_BREAKPOINT. If the host refuses (perf breakpoints not permitted: NOT_SUPPORTED; all
     * four in use: NO_RESOURCES) nothing changes.
     */
    private void writeDebug(byte[] state) {
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(state).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long[] dr = new long[4];
        for (int i = 0; i < 4; i++) {
            dr[i] = in.getLong(8 * i);
            if (dr[i] != 0 && Long.compareUnsigned(dr[i], USER_LIMIT) >= 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        }
        long dr7 = DR7_FIXED | (in.getLong(40) & DR7_USER_MASK);
        try {
            ctx.setDebugRegisters(dr, dr7);
        } catch (HostCallException e) {
            throw new ZxException(switch (e.errno) {
                case ENOSPC -> ZxStatus.ERR_NO_RESOURCES;
                case EINVAL -> ZxStatus.ERR_INVALID_ARGS;
                default -> ZxStatus.ERR_NOT_SUPPORTED;   // EACCES, EPERM, ENOENT, ENODEV, EOPNOTSUPP, ENOSYS
            });
        }
        System.arraycopy(dr, 0, debug, 0, 4);
        debug[4] = DR6_FIXED | (in.getLong(32) & DR6_WRITABLE);
        debug[5] = dr7;
    }

    /**
     * A #DB stopped the thread: DR6 reads as the CPU's after it (fixed bits plus the B0-B3 bits of the
     * breakpoints that hit, or BS for a single step), as Zircon reports it.
     */
    void hardwareBreakpointHit(long status) {
        debug[4] = DR6_FIXED | (status & (0xF | UserContext.DR6_BS));
    }

    @Override
    public void stopRequested() {
        ctx.setCaptureXstate(true);
    }

    @Override
    public void stopEnded() {
        // Resume with the state the stop showed: the written one is already queued; a kept one is
        // loaded too, so the guest's vector registers survive the stop (as in Zircon).
        if (written == null && !inTrap && ctx.xstateCapturedAtEntry()) {
            XState x = ctx.xstate();
            if (x != null) ctx.resumeWithXstate(x);
        }
        written = null;
        ctx.setCaptureXstate(false);
    }

    @Override
    public boolean setGsBase(long value) {
        if (value != 0 && !ctx.supportsGsBase()) return false;
        ctx.setGsBase(value);
        return true;
    }
}
