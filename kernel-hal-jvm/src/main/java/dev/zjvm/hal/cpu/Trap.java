package dev.zjvm.hal.cpu;

/**
 * The guest faulted. {@code faultAddress} is what the kernel reported in siginfo.si_addr: the
 * accessed address for page faults (the x86 cr2), the instruction for #UD and #DE, 0 for #GP and #AC.
 * {@code errorCode} and {@code vector} are the x86 ones (page faults: P/W/U/I bits). The registers are
 * those at the faulting instruction (for int3: rip after it). The context holds the same state, so
 * the guest can be resumed with {@link UserContext#requestExactResume()} and {@link UserContext#run()}.
 *
 * <p>A hardware breakpoint ({@link TrapKind#HW_BREAKPOINT}, vector 1) reports the debug registers'
 * address in faultAddress and the hit in {@code debugStatus} as DR6 does (B0-B3, bit n = DRn); the
 * registers are those before the instruction of an instruction breakpoint, after the access of a
 * data breakpoint. {@code debugStatus} is 0 for every other trap.
 */
public record Trap(TrapKind kind, long faultAddress, long errorCode, int vector, int signal, int signalCode,
                   GeneralRegisters registers, long debugStatus) implements RunResult {

    /** True for a page fault caused by a write (error code bit 1). */
    public boolean isWrite() { return kind == TrapKind.FATAL_PAGE_FAULT && (errorCode & 2) != 0; }
}
