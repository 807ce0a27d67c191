package dev.zjvm.object.dev;

/** Resource kinds ({@code zx_rsrc_kind_t}), constants.md §17. */
public enum ResourceKind {
    MMIO(0), IRQ(1), IOPORT(2), HYPERVISOR(3), ROOT(4), VMEX(5), SMC(6);

    public static final int FLAG_EXCLUSIVE = 0x0001_0000;
    public static final int KIND_MASK = 0xffff;
    public static final int FLAGS_MASK = 0xffff_0000;

    private final int value;

    ResourceKind(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    /** The kind for an ABI value, or null if none. */
    public static ResourceKind of(int value) {
        for (ResourceKind k : values()) if (k.value == value) return k;
        return null;
    }

    /** Ranged kinds must lie inside their parent's range. */
    public boolean ranged() {
        return this == MMIO || this == IRQ || this == IOPORT || this == SMC;
    }
}
