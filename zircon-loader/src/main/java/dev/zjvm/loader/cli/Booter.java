package dev.zjvm.loader.cli;

/**
 * Boots a validated configuration: builds the userboot process as the Zircon kernel does
 * (design.md §6) and runs until the system shuts down.
 *
 * <p>The CLI finds its implementation with {@link java.util.ServiceLoader} (a provider registered
 * in {@code META-INF/services/dev.zjvm.loader.cli.Booter}), so the boot sequence plugs in
 * without changing the CLI. Embedders may call an implementation directly.
 */
public interface Booter {
    /**
     * Boots and waits for the end.
     *
     * @return the loader's exit status: with {@code userboot.shutdown}, the exit code of the
     *         program userboot ran; otherwise 0 on an orderly power-off
     * @throws BootException when booting fails; its message is one line for the user
     */
    int boot(BootConfig config) throws BootException;
}
