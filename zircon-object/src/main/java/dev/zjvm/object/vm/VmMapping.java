package dev.zjvm.object.vm;

/**
 * A range of a VMO mapped into a VMAR. Immutable except for its permissions; unmapping or
 * re-protecting part of a mapping replaces it with pieces.
 */
public final class VmMapping implements VmNode {
    private final Vmar parent;
    private final long base;
    private final long size;
    private final Vmo vmo;
    private final long vmoOffset;
    /** CAN_MAP_READ/WRITE/EXECUTE: the most {@code vmar_protect} may grant. */
    private final int maxFlags;
    private int perms;

    VmMapping(Vmar parent, long base, long size, Vmo vmo, long vmoOffset, int perms, int maxFlags) {
        this.parent = parent;
        this.base = base;
        this.size = size;
        this.vmo = vmo;
        this.vmoOffset = vmoOffset;
        this.perms = perms;
        this.maxFlags = maxFlags;
    }

    @Override
    public long base() {
        return base;
    }

    @Override
    public long size() {
        return size;
    }

    public Vmo vmo() {
        return vmo;
    }

    public long vmoOffset() {
        return vmoOffset;
    }

    /** Current ZX_VM_PERM_* bits. */
    public int perms() {
        return perms;
    }

    void setPerms(int perms) {
        this.perms = perms;
    }

    int maxFlags() {
        return maxFlags;
    }

    Vmar parent() {
        return parent;
    }

    VmAddressSpace addressSpace() {
        return parent.addressSpace();
    }

    /** True when {@code perms} (PERM_* bits) lie within what the mapping was created to allow. */
    boolean allows(int perms) {
        return (VmOptions.canMapFor(perms) & ~maxFlags) == 0;
    }

    /** A piece {@code [from, from + len)} of this mapping with the given permissions. */
    VmMapping piece(long from, long len, int pieceperms) {
        return new VmMapping(parent, from, len, vmo, vmoOffset + (from - base), pieceperms, maxFlags);
    }

    @Override
    public String toString() {
        return String.format("VmMapping[0x%x+0x%x %s@0x%x perms=%d]", base, size, vmo, vmoOffset, perms);
    }
}
