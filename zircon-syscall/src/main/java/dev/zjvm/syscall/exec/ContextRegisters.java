package dev.zjvm.syscall.exec;

import dev.zjvm.hal.cpu.GeneralRegisters;
import dev.zjvm.hal.cpu.UserContext;
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

    @Override
    public boolean setGsBase(long value) {
        if (value != 0 && !ctx.supportsGsBase()) return false;
        ctx.setGsBase(value);
        return true;
    }
}
