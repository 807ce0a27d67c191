package dev.zjvm.object;

/** Kernel object types ({@code zx_obj_type_t}) with their default handle rights, constants.md §3-4. */
public enum ObjectType {
    NONE(0, 0),
    PROCESS(1, 0x6d3cf),
    THREAD(2, 0x4d2cf),
    VMO(3, 0xd0ef),
    CHANNEL(4, 0xf00e),
    EVENT(5, 0xd003),
    PORT(6, 0x800f),
    INTERRUPT(9, 0xd00f),
    PCI_DEVICE(11, 0xc00f),
    LOG(12, 0xd00b),
    SOCKET(14, 0xf0cf),
    RESOURCE(15, 0x800b),
    EVENTPAIR(16, 0xf003),
    JOB(17, 0x7dfcf),
    VMAR(18, 0x8003),
    FIFO(19, 0xf00f),
    GUEST(20, 0x2800b),
    VCPU(21, 0xd01f),
    TIMER(22, 0xd00b),
    IOMMU(23, 0x8003),
    BTI(24, 0x802f),
    PROFILE(25, 0x88003),
    PMT(26, 0x8000),
    SUSPEND_TOKEN(27, 0x8002),
    PAGER(28, 0x80c2),
    EXCEPTION(29, 0x80c2),
    CLOCK(30, 0xc00f),
    STREAM(31, 0xd0c3),
    MSI_ALLOCATION(32, 0xc003),
    MSI_INTERRUPT(33, 0xd00f);

    private final int value;
    private final int defaultRights;

    ObjectType(int value, int defaultRights) {
        this.value = value;
        this.defaultRights = defaultRights;
    }

    /** The ABI number. */
    public int value() {
        return value;
    }

    /** Rights of a handle to a freshly created object of this type. */
    public int defaultRights() {
        return defaultRights;
    }

    /** An object is waitable iff its default rights include WAIT (constants.md §3). */
    public boolean waitable() {
        return (defaultRights & Rights.WAIT) != 0;
    }
}
