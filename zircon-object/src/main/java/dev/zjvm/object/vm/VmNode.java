package dev.zjvm.object.vm;

/** A child of a VMAR: a sub-region or a mapping. Fields guarded by the address-space lock. */
sealed interface VmNode permits Vmar, VmMapping {
    long base();

    long size();

    default long end() {
        return base() + size();
    }
}
