package dev.zjvm.hal.cpu;

/** Guest fault classes, named and numbered as Zircon's architectural exception types ({@code zx_excp_type_t}). */
public enum TrapKind {
    /** #DE, #GP, #SS, #NP, privileged instructions, non-canonical addresses ... */
    GENERAL(0x008),
    /** #PF, and SIGBUS on a file-backed page (no pager yet) */
    FATAL_PAGE_FAULT(0x108),
    /** #UD */
    UNDEFINED_INSTRUCTION(0x208),
    /** int3 (#BP) */
    SW_BREAKPOINT(0x308),
    /** #DB */
    HW_BREAKPOINT(0x408),
    /** #AC */
    UNALIGNED_ACCESS(0x508);

    private final int zirconType;

    TrapKind(int zirconType) { this.zirconType = zirconType; }

    /** The {@code ZX_EXCP_*} value. */
    public int zirconExceptionType() { return zirconType; }

    private static final int SIGILL = 4, SIGTRAP = 5, TRAP_PERF = 6;

    /** As {@link #of(int, int)}; a SIGTRAP from a perf event is one of the guest's hardware breakpoints (trapno 0). */
    static TrapKind of(int vector, int signal, int signalCode) {
        return signal == SIGTRAP && signalCode == TRAP_PERF ? HW_BREAKPOINT : of(vector, signal);
    }

    /** From the x86 vector the kernel reported (sigcontext.trapno); the signal decides when the vector is unusual. */
    static TrapKind of(int vector, int signal) {
        return switch (vector) {
            case 14 -> FATAL_PAGE_FAULT;
            case 6 -> UNDEFINED_INSTRUCTION;
            case 3 -> SW_BREAKPOINT;
            case 1 -> HW_BREAKPOINT;
            case 17 -> UNALIGNED_ACCESS;
            case 0, 13, 12, 11, 10, 5, 4 -> GENERAL;
            default -> signal == SIGILL ? UNDEFINED_INSTRUCTION : signal == SIGTRAP ? SW_BREAKPOINT : GENERAL;
        };
    }
}
