package dev.zjvm.hal.cpu;

/**
 * The guest faulted. {@code faultAddress} is what the kernel reported in siginfo.si_addr: the
 * accessed address for page faults (the x86 cr2), the instruction for #UD and #DE, 0 for #GP and #AC.
 * {@code errorCode} and {@code vector} are the x86 ones (page faults: P/W/U/I bits). The registers are
 * those at the faulting instruction (for int3: rip after it). The context holds the same state, so
 * the guest can be resumed with {@link UserContext#requestExactResume()} and {@link UserContext#run()}.
 */
public record Trap(TrapKind kind, long faultAddress, long errorCode, int vector, int signal, int signalCode,
                   GeneralRegisters registers) implements RunResult {

    /** True for a page fault caused by a write (error code bit 1). */
    public boolean isWrite() { return kind == TrapKind.FATAL_PAGE_FAULT && (errorCode & 2) != 0; }
}
