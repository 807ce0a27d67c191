package dev.zjvm.syscall.exec;

import dev.zjvm.hal.cpu.GeneralRegisters;
import dev.zjvm.hal.cpu.UserContext;
import dev.zjvm.object.task.GeneralRegs;
import dev.zjvm.object.task.ThreadRegisters;

/**
 * A native guest thread's registers for the kernel (thread_read/write_state, ZX_PROP_REGISTER_FS):
 * the HAL's saved {@link UserContext}. The kernel only uses it while the thread is stopped at a
 * syscall boundary or in an exception, so the runner is not touching the context meanwhile.
 */
record ContextRegisters(UserContext context) implements ThreadRegisters {
    @Override
    public GeneralRegs readGeneral() {
        GeneralRegisters r = context.generalRegisters();
        return new GeneralRegs(r.rax(), r.rbx(), r.rcx(), r.rdx(), r.rsi(), r.rdi(), r.rbp(), r.rsp(), r.r8(), r.r9(),
                r.r10(), r.r11(), r.r12(), r.r13(), r.r14(), r.r15(), r.rip(), r.rflags(), r.fsBase(), r.gsBase());
    }

    @Override
    public void writeGeneral(GeneralRegs g) {
        // gs base belongs to the HAL (it finds the context through it); the guest's is always 0.
        context.setGeneralRegisters(new GeneralRegisters(g.rax(), g.rbx(), g.rcx(), g.rdx(), g.rsi(), g.rdi(), g.rbp(),
                g.rsp(), g.r8(), g.r9(), g.r10(), g.r11(), g.r12(), g.r13(), g.r14(), g.r15(), g.rip(), g.rflags(),
                g.fsBase(), 0));
    }

    @Override
    public void setFsBase(long value) {
        context.setFsBase(value);
    }
}
