package dev.zjvm.object.dev;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.vm.Vmo;

/**
 * A pinned memory token: VMO pages pinned for a device through a {@link Bti}. While pinned the VMO
 * is kept alive and the pages hold a pin on it (no decommit, no shrink over them). {@code zx_pmt_unpin} ends the pin; losing the last handle without unpinning puts
 * the pin in the BTI's quarantine until {@code zx_bti_release_quarantine} (as in Zircon, where a
 * device might still be writing to the pages).
 */
public final class Pmt extends KernelObject {
    private final Bti bti;
    private final Vmo vmo;
    private final long offset;
    private final long size;
    private final long physicalAddress;
    private boolean unpinned;

    Pmt(Kernel kernel, Bti bti, Vmo vmo, long offset, long size, long physicalAddress) {
        super(kernel);
        this.bti = bti;
        this.vmo = vmo;
        this.offset = offset;
        this.size = size;
        this.physicalAddress = physicalAddress;
    }

    @Override
    public ObjectType type() {
        return ObjectType.PMT;
    }

    public Vmo vmo() {
        return vmo;
    }

    public long offset() {
        return offset;
    }

    public long size() {
        return size;
    }

    /** Physical (= bus, behind the dummy IOMMU) address of the first pinned byte; the run is contiguous. */
    public long physicalAddress() {
        return physicalAddress;
    }

    /** {@code zx_pmt_unpin}: the pages are no longer pinned (also takes the pin out of quarantine). */
    public void unpin() {
        if (!markUnpinned()) return;
        bti.forget(this);
        vmo.unpin(offset, size);
        vmo.release();
    }

    /** True for the one caller that ends the pin. */
    private boolean markUnpinned() {
        synchronized (lock) {
            if (unpinned) return false;
            unpinned = true;
            return true;
        }
    }

    public boolean isUnpinned() {
        synchronized (lock) {
            return unpinned;
        }
    }

    @Override
    protected void onZeroHandles() {
        boolean quarantine;
        synchronized (lock) {
            quarantine = !unpinned;
        }
        if (quarantine) bti.quarantine(this);
    }

    /** Quarantine released (the BTI already dropped it): the VMO may go. */
    void releaseFromQuarantine() {
        if (!markUnpinned()) return;
        vmo.unpin(offset, size);
        vmo.release();
    }
}
