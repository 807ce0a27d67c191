package dev.zjvm.hal.cpu;

/**
 * The kernel's side of a {@link GuestThread}: called on the guest thread's own Java thread, with no
 * native frame below, so it may block, park, allocate and throw like any Java code.
 */
public interface SyscallHandler {
    /**
     * Handles one syscall and returns the value the guest sees in rax. To end the guest thread (its
     * Java thread then ends), call {@link GuestThread#exit()}; the returned value is then ignored.
     * An exception ends the guest thread too ({@link GuestThread.ExitReason#FAILED}).
     */
    long onSyscall(GuestThread thread, SyscallExit call);

    /**
     * Called once on the guest thread's own Java thread before it first enters the guest (the kernel
     * binds its thread object here). Return false to end the thread without running guest code.
     */
    default boolean onStart(GuestThread thread) { return true; }

    /**
     * The guest faulted. Return {@link TrapAction#RESUME} to run the context again (after fixing the
     * cause or changing registers; the guest then continues exactly, with its flags and vector state),
     * or {@link TrapAction#EXIT} to end the thread. The default ends it.
     */
    default TrapAction onTrap(GuestThread thread, Trap trap) { return TrapAction.EXIT; }

    enum TrapAction { RESUME, EXIT }
}
