package dev.zjvm.hal.cpu;

/**
 * A snapshot of a guest thread's general registers, in the field order of Zircon's
 * {@code zx_thread_state_general_regs_t} (x86-64).
 */
public record GeneralRegisters(long rax, long rbx, long rcx, long rdx, long rsi, long rdi, long rbp, long rsp,
                               long r8, long r9, long r10, long r11, long r12, long r13, long r14, long r15,
                               long rip, long rflags, long fsBase, long gsBase) {

    public long get(Register r) {
        return switch (r) {
            case RAX -> rax; case RBX -> rbx; case RCX -> rcx; case RDX -> rdx; case RSI -> rsi; case RDI -> rdi;
            case RBP -> rbp; case RSP -> rsp; case R8 -> r8; case R9 -> r9; case R10 -> r10; case R11 -> r11;
            case R12 -> r12; case R13 -> r13; case R14 -> r14; case R15 -> r15;
        };
    }

    static GeneralRegisters of(long[] byNumber, long rip, long rflags, long fsBase, long gsBase) {
        return new GeneralRegisters(byNumber[Asm.RAX], byNumber[Asm.RBX], byNumber[Asm.RCX], byNumber[Asm.RDX],
                byNumber[Asm.RSI], byNumber[Asm.RDI], byNumber[Asm.RBP], byNumber[Asm.RSP], byNumber[Asm.R8],
                byNumber[Asm.R9], byNumber[Asm.R10], byNumber[Asm.R11], byNumber[Asm.R12], byNumber[Asm.R13],
                byNumber[Asm.R14], byNumber[Asm.R15], rip, rflags, fsBase, gsBase);
    }
}
