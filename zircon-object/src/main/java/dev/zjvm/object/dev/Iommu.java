package dev.zjvm.object.dev;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;

/** An IOMMU. Only the dummy type exists in a library OS (there is no device to translate for). */
public final class Iommu extends KernelObject {
    public static final int TYPE_DUMMY = 0;
    public static final int TYPE_INTEL = 1;
    /** {@code ZX_IOMMU_MAX_DESC_LEN}. */
    public static final int MAX_DESC_LEN = 4096;

    private Iommu(Kernel kernel) {
        super(kernel);
    }

    /**
     * {@code zx_iommu_create} after the resource check.
     *
     * @throws ZxException NOT_SUPPORTED for any type but dummy, INVALID_ARGS for a bad descriptor size
     */
    public static Iommu create(Kernel kernel, int type, long descSize) {
        if (type != TYPE_DUMMY) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
        // zx_iommu_desc_dummy_t is one reserved byte.
        if (descSize != 1) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        return new Iommu(kernel);
    }

    @Override
    public ObjectType type() {
        return ObjectType.IOMMU;
    }
}
