package dev.zjvm.object.vm;

/** {@code zx_info_vmo_t} (ZX_INFO_VMO, ZX_INFO_PROCESS_VMOS), constants.md §12. */
public record VmoInfo(
        long koid,
        byte[] name,
        long sizeBytes,
        long parentKoid,
        long numChildren,
        long numMappings,
        long shareCount,
        int flags,
        long committedBytes,
        int handleRights,
        int cachePolicy) {
    /** Size of the C struct. */
    public static final int SIZE = 104;
}
