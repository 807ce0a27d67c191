package dev.zjvm.object.debuglog;

import dev.zjvm.object.Kernel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The kernel's serial console: output ({@code zx_debug_write}, the embedder decides where it goes)
 * and input ({@link #input()}, filled by the embedder, read by {@code zx_debug_read}).
 */
public final class SerialConsole implements AutoCloseable {
    private final List<Consumer<byte[]>> listeners = new CopyOnWriteArrayList<>();
    private final SerialInput input;

    private SerialConsole(Kernel kernel) {
        this.input = new SerialInput(kernel.clock());
    }

    public static SerialConsole of(Kernel kernel) {
        return kernel.service(SerialConsole.class, SerialConsole::new);
    }

    public void write(byte[] data) {
        for (Consumer<byte[]> l : listeners) l.accept(data.clone());
    }

    public void addListener(Consumer<byte[]> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<byte[]> listener) {
        listeners.remove(listener);
    }

    /** The receive side. */
    public SerialInput input() {
        return input;
    }

    /** Closed with the kernel: readers and feeders stop waiting. */
    @Override
    public void close() {
        input.close();
    }
}
