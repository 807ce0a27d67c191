package dev.zjvm.object.dev;

import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.vm.Vmo;

/**
 * The address list {@code zx_bti_pin} reports for a {@link Pmt}. Behind the dummy IOMMU a bus
 * address is the physical address: the page's address in the kernel's physical memory
 * ({@code PhysicalMemory}), the same number {@code zx_vmo_create_physical} accepts. A pin's pages
 * are one physically contiguous run in this library OS, so every encoding derives from its base.
 */
public final class DmaAddresses {
    private DmaAddresses() {}

    /**
     * The {@code count} addresses for {@code pmt} (2020 {@code EncodeAddrs}): with
     * {@code contiguous} one address for the whole run (the VMO must be contiguous); with
     * {@code compress} one per {@code minContiguity} chunk; otherwise one per page.
     *
     * @throws ZxException INVALID_ARGS when {@code count} is not the number the encoding yields
     */
    public static long[] encode(Pmt pmt, boolean compress, boolean contiguous, long count, long minContiguity) {
        long step;
        long expected;
        if (contiguous) {
            if (!pmt.vmo().isContiguous()) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "vmo not contiguous");
            step = 0;
            expected = 1;
        } else {
            step = compress ? minContiguity : Vmo.PAGE_SIZE;
            expected = (pmt.size() + step - 1) / step;
        }
        if (count != expected) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "num_addrs " + count + ", expected " + expected);
        long[] out = new long[Math.toIntExact(expected)];
        for (int i = 0; i < out.length; i++) out[i] = pmt.physicalAddress() + i * step;
        return out;
    }
}
