package dev.zjvm.object.boot;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.vm.Vmo;
import java.util.Optional;

/**
 * The kernel's own view of the display ({@code udisplay} in 2020): the framebuffer VMO a display
 * driver registers with {@code zx_framebuffer_set_range}, and the geometry it declared. The
 * kernel only keeps it (2020 drew its panic "bluescreen" there); what
 * {@code zx_framebuffer_get_info} reports is the boot loader's framebuffer ({@link BootItems}),
 * which this never changes. An embedder may read it (e.g. to save the picture).
 */
public final class Display {
    /** The registered framebuffer: the VMO (held by the kernel) and the geometry as given. */
    public record Framebuffer(Vmo vmo, int format, int width, int height, int stride) {}

    private Framebuffer current;

    public static Display of(Kernel kernel) {
        return kernel.service(Display.class, k -> new Display());
    }

    /**
     * Registers {@code vmo}. As in 2020 the previous one is dropped first and the geometry is not
     * checked against the VMO (it is the driver's word); an empty VMO cannot be mapped.
     *
     * @throws ZxException INVALID_ARGS for a zero-sized VMO (the display is then cleared)
     */
    public synchronized void set(Vmo vmo, int format, int width, int height, int stride) {
        current = null;
        if (vmo.size() == 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "empty framebuffer VMO");
        current = new Framebuffer(vmo, format, width, height, stride);
    }

    /** {@code zx_framebuffer_set_range} with no VMO: forget the framebuffer. */
    public synchronized void clear() {
        current = null;
    }

    public synchronized Optional<Framebuffer> framebuffer() {
        return Optional.ofNullable(current);
    }
}
