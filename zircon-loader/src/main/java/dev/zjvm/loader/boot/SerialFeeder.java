package dev.zjvm.loader.boot;

import dev.zjvm.object.debuglog.SerialInput;
import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a host stream (the loader's standard input) into the kernel's serial input on a daemon
 * thread, so {@code zx_debug_read} sees what the user types or pipes in. Stops at end of stream,
 * on a read error, or when the kernel closes its console; never loses bytes to a full buffer
 * (it waits for the guest to read).
 */
final class SerialFeeder {
    private static final Logger LOG = LoggerFactory.getLogger(SerialFeeder.class);

    private SerialFeeder() {}

    /** Starts feeding {@code in} into {@code input}; returns the (daemon) thread. */
    static Thread start(InputStream in, SerialInput input) {
        return Thread.ofPlatform().name("serial-input").daemon().start(() -> {
            byte[] buf = new byte[512];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    if (!input.put(buf, 0, n)) return;
                }
            } catch (IOException e) {
                LOG.debug("serial input stream failed; no more input", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
