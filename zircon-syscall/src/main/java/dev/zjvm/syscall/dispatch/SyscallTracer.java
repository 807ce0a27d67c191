package dev.zjvm.syscall.dispatch;

/**
 * Observes every dispatched syscall (the loader's {@code --trace}). Called on the calling thread
 * after the handler returned; must not throw.
 */
@FunctionalInterface
public interface SyscallTracer {
    void onSyscall(SyscallContext ctx, int number, String name, long a0, long a1, long a2, long a3, long a4, long a5,
            long a6, long a7, long result);
}
