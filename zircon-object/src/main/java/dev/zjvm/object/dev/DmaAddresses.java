package dev.zjvm.object.dev;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.vm.Vmo;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The bus addresses devices would use for VMO pages. A library OS has no devices and no fixed
 * physical pages, so each VMO that is ever pinned gets its own window of this fake "physical"
 * space, and a page's address is {@code window base + offset}: stable for the VMO's lifetime,
 * unique across VMOs, and contiguous within a VMO (so contiguous VMOs really are contiguous).
 * One per kernel; VMOs are held weakly.
 */
public final class DmaAddresses {
    /** Window stride: the largest VMO ({@link Vmo#MAX_SIZE}). */
    public static final int WINDOW_SHIFT = 46;
    /** Windows 1..MAX_WINDOW keep every address below 2^63 and never 0. */
    static final long MAX_WINDOW = (1L << (63 - WINDOW_SHIFT)) - 1;

    private final Map<Vmo, Long> windows = new WeakHashMap<>();
    private long nextWindow = 1;

    public static DmaAddresses of(Kernel kernel) {
        return kernel.service(DmaAddresses.class, k -> new DmaAddresses());
    }

    /**
     * Bus address of byte {@code offset} of {@code vmo}.
     *
     * @throws ZxException NO_RESOURCES when the kernel ran out of windows
     */
    public synchronized long address(Vmo vmo, long offset) {
        Long w = windows.get(vmo);
        if (w == null) {
            if (nextWindow > MAX_WINDOW) throw new ZxException(ZxStatus.ERR_NO_RESOURCES, "bus address space exhausted");
            w = nextWindow++;
            windows.put(vmo, w);
        }
        return (w << WINDOW_SHIFT) + offset;
    }
}
