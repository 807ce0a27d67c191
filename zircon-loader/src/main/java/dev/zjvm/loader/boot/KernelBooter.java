package dev.zjvm.loader.boot;

import dev.zjvm.loader.cli.BootConfig;
import dev.zjvm.loader.cli.BootException;
import dev.zjvm.loader.cli.Booter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The CLI's boot: runs the system on the native kernel, guest console lines to the console logger. */
public final class KernelBooter implements Booter {
    /** Logger carrying guest console output (the CLI prints it as plain text on stdout). */
    private static final Logger CONSOLE = LoggerFactory.getLogger("dev.zjvm.console");

    private final NativeKernel.Warmup warmup;

    /** The CLI creates its booter before parsing arguments: calibrate and link native stubs meanwhile. */
    public KernelBooter() {
        warmup = NativeKernel.warmUp();
    }

    @Override
    public int boot(BootConfig config) throws BootException {
        try (ZirconSystem system = ZirconSystem.boot(config, CONSOLE::info, warmup)) {
            system.feedSerialInput(System.in); // only with kernel.enable-serial-syscalls=true
            return system.awaitExit();
        } catch (InterruptedException e) {
            java.lang.Thread.currentThread().interrupt();
            throw new BootException("interrupted while the system ran", e);
        }
    }
}
