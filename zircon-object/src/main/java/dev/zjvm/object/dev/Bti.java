package dev.zjvm.object.dev;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.task.BlockingContext;
import dev.zjvm.object.vm.Vmo;
import java.util.ArrayList;
import java.util.List;

/**
 * A bus transaction initiator: the DMA view of one device behind an {@link Iommu}. Pinning commits
 * the VMO's pages, pins them on the VMO, keeps the VMO alive and reports their physical addresses
 * ({@link DmaAddresses}). With only the dummy IOMMU every page is reachable, so no translation can
 * fail.
 *
 * <p>Quarantine (as Zircon 2020): a token closed without {@code zx_pmt_unpin} keeps its pages
 * pinned in the quarantine until {@code zx_bti_release_quarantine}, since a device may still use
 * them. Once the BTI's last handle is gone nothing can release the quarantine, so those pins (and
 * tokens closed later) stay for good: leaking is safer than freeing memory a device might write.
 */
public final class Bti extends KernelObject {
    public static final int PERM_READ = 1;
    public static final int PERM_WRITE = 1 << 1;
    public static final int PERM_EXECUTE = 1 << 2;
    public static final int COMPRESS = 1 << 3;
    public static final int CONTIGUOUS = 1 << 4;
    /** {@code minimum_contiguity} of ZX_INFO_BTI: one page, so COMPRESS yields one address per page. */
    public static final long MINIMUM_CONTIGUITY = Vmo.PAGE_SIZE;
    /** {@code aspace_size} of ZX_INFO_BTI for the dummy IOMMU: everything. */
    public static final long ASPACE_SIZE = -1L;

    private final Iommu iommu;
    private final long btiId;
    private final List<Pmt> pinned = new ArrayList<>();
    private final List<Pmt> quarantined = new ArrayList<>();
    private boolean zeroHandles;

    private Bti(Kernel kernel, Iommu iommu, long btiId) {
        super(kernel);
        this.iommu = iommu;
        this.btiId = btiId;
    }

    /** {@code zx_bti_create}: options must be 0; the dummy IOMMU accepts every id. */
    public static Bti create(Iommu iommu, int options, long btiId) {
        if (options != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        return new Bti(iommu.kernel(), iommu, btiId);
    }

    public long btiId() {
        return btiId;
    }

    @Override
    public long relatedKoid() {
        return iommu.koid();
    }

    @Override
    public ObjectType type() {
        return ObjectType.BTI;
    }

    /**
     * Pins {@code [offset, offset+size)} of {@code vmo} (page aligned, checked by the caller).
     *
     * @throws ZxException INVALID_ARGS for an empty range, OUT_OF_RANGE beyond the VMO's size,
     *     BAD_STATE for a destroyed VMO or a BTI without handles, NO_MEMORY
     */
    public Pmt pin(Vmo vmo, long offset, long size) {
        return pin(vmo, offset, size, BlockingContext.NONE);
    }

    /** As {@link #pin(Vmo, long, long)}, waiting for a pager as {@code who}. */
    public Pmt pin(Vmo vmo, long offset, long size, BlockingContext who) {
        if (size == 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        long end = offset + size;
        if (offset < 0 || end < offset || end > vmo.size()) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE);
        synchronized (lock) {
            if (zeroHandles) throw new ZxException(ZxStatus.ERR_BAD_STATE, "bti closed");
        }
        vmo.retain();
        long paddr;
        try {
            paddr = vmo.pin(offset, size, who);
        } catch (ZxException e) {
            vmo.release();
            throw e;
        }
        Pmt pmt = new Pmt(kernel(), this, vmo, offset, size, paddr);
        synchronized (lock) {
            pinned.add(pmt);
        }
        return pmt;
    }

    @Override
    protected void onZeroHandles() {
        synchronized (lock) {
            zeroHandles = true;
        }
    }

    void forget(Pmt pmt) {
        synchronized (lock) {
            pinned.remove(pmt);
            quarantined.remove(pmt);
        }
    }

    void quarantine(Pmt pmt) {
        synchronized (lock) {
            if (pinned.remove(pmt)) quarantined.add(pmt);
        }
    }

    /** {@code zx_bti_release_quarantine}: drops pins whose tokens were closed without unpinning. */
    public void releaseQuarantine() {
        List<Pmt> released;
        synchronized (lock) {
            released = new ArrayList<>(quarantined);
            quarantined.clear();
        }
        for (Pmt p : released) p.releaseFromQuarantine();
    }

    /** {@code pmo_count} of ZX_INFO_BTI: live pins. */
    public int pinnedCount() {
        synchronized (lock) {
            return pinned.size();
        }
    }

    /** {@code quarantine_count} of ZX_INFO_BTI. */
    public int quarantineCount() {
        synchronized (lock) {
            return quarantined.size();
        }
    }
}
