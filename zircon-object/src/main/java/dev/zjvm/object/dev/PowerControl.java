package dev.zjvm.object.dev;

import dev.zjvm.object.Kernel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The machine's power switch as the guest sees it through {@code zx_system_powerctl}: a shutdown
 * or reboot request ends the run of the system, and whoever embeds the kernel (the loader) waits
 * for it. One per kernel.
 */
public final class PowerControl {
    public static final int CMD_ENABLE_ALL_CPUS = 1;
    public static final int CMD_DISABLE_ALL_CPUS_BUT_PRIMARY = 2;
    public static final int CMD_ACPI_TRANSITION_S_STATE = 3;
    public static final int CMD_X86_SET_PKG_PL1 = 4;
    public static final int CMD_REBOOT = 5;
    public static final int CMD_REBOOT_BOOTLOADER = 6;
    public static final int CMD_REBOOT_RECOVERY = 7;
    public static final int CMD_SHUTDOWN = 8;

    /** What ended the system. */
    public enum Request { SHUTDOWN, REBOOT }

    private final CompletableFuture<Request> request = new CompletableFuture<>();

    public static PowerControl of(Kernel kernel) {
        return kernel.service(PowerControl.class, k -> new PowerControl());
    }

    /** Records a request; the first one wins. */
    public void request(Request r) {
        request.complete(r);
    }

    public boolean isRequested() {
        return request.isDone();
    }

    /** Waits up to {@code nanos} for a request; null if none came. */
    public Request await(long nanos) throws InterruptedException {
        try {
            return request.get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code action} once a request arrives (on the requesting thread). */
    public void onRequest(Runnable action) {
        request.thenRun(action);
    }
}
