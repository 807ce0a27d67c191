package dev.zjvm.object.task;

/**
 * Runs guest threads; provided by whoever can execute guest code (the loader, over the HAL) and
 * installed with {@code kernel.installService(ThreadLauncher.class, ...)}.
 *
 * <p>Protocol, all on the runner's own Java thread:
 * <ol>
 *   <li>{@link #launch} is called when a thread starts; it must not block.
 *   <li>The runner calls {@link Thread#bindCurrent()} (false = already killed: run nothing and call
 *       {@link Thread#exit()}), then {@link Thread#attachRegisters} with a view of its saved
 *       registers, then {@code Exceptions.threadStarting(thread)} (debugger notifications).
 *   <li>Before every entry into guest code (first run, after each syscall, after a resolved
 *       exception) it calls {@link Thread#returnToUser()}: that parks the runner while the thread
 *       is suspended and returns false once the thread is dead (the runner then stops).
 *   <li>On a guest fault it calls {@code Exceptions.raise(thread, report)}; RESUME = run the guest
 *       again exactly (registers may have been changed by a debugger), KILL = go to step 3, which
 *       ends the thread.
 * </ol>
 * Without a launcher, started threads have no runner: a kill ends them at once and a suspend
 * stops them at once.
 */
@FunctionalInterface
public interface ThreadLauncher {
    /** Starts executing {@code thread} at the given registers; must not block. */
    void launch(Thread thread, StartInfo start);

    /** Initial registers of a new thread: PC, SP and the two argument registers. */
    record StartInfo(long entry, long stack, long arg1, long arg2) {}
}
