package dev.zjvm.hal.cpu;

/** The sixteen x86-64 general registers, in hardware encoding order (rax=0 ... r15=15). */
public enum Register {
    RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15;

    /** The hardware register number, as used by {@link Asm}. */
    public int number() { return ordinal(); }
}
