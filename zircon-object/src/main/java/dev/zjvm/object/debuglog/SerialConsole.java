package dev.zjvm.object.debuglog;

import dev.zjvm.object.Kernel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The kernel's serial console output ({@code zx_debug_write}); the embedder decides where it goes. */
public final class SerialConsole {
    private final List<Consumer<byte[]>> listeners = new CopyOnWriteArrayList<>();

    public static SerialConsole of(Kernel kernel) {
        return kernel.service(SerialConsole.class, k -> new SerialConsole());
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
}
