package dev.zjvm.object.task;

/**
 * Runs guest threads; provided by whoever can execute guest code (the loader, over the HAL) and
 * installed with {@code kernel.installService(ThreadLauncher.class, ...)}.
 *
 * <p>Protocol: {@link #launch} is called when a thread starts. The launcher's Java thread calls
 * {@link Thread#bindCurrent()} before running guest code (false = the thread was already killed:
 * run nothing), runs the guest, and after every syscall stops if {@link Thread#isDying()}, calling
 * {@link Thread#exit()} (the dispatcher already does this for syscalls it runs). Without a launcher,
 * started threads have no runner and a kill ends them at once.
 */
@FunctionalInterface
public interface ThreadLauncher {
    /** Starts executing {@code thread} at the given registers; must not block. */
    void launch(Thread thread, StartInfo start);

    /** Initial registers of a new thread: PC, SP and the two argument registers. */
    record StartInfo(long entry, long stack, long arg1, long arg2) {}
}
