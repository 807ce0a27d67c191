package dev.zjvm.object.dev;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;

/**
 * A bus transaction initiator. With no devices in a library OS nothing can be pinned for DMA, so
 * {@code zx_bti_pin} reports NOT_SUPPORTED after its argument checks; creation and quarantine work.
 */
public final class Bti extends KernelObject {
    private final Iommu iommu;
    private final long btiId;

    private Bti(Kernel kernel, Iommu iommu, long btiId) {
        super(kernel);
        this.iommu = iommu;
        this.btiId = btiId;
    }

    /** {@code zx_bti_create}: options must be 0. */
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
}
