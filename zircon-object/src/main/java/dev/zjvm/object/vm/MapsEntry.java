package dev.zjvm.object.vm;

/** One {@code zx_info_maps_t} record (ZX_INFO_PROCESS_MAPS), in depth-first pre-order. */
public record MapsEntry(byte[] name, long base, long size, long depth, int type, int mmuFlags, long vmoKoid, long vmoOffset, long committedPages) {
    public static final int TYPE_ASPACE = 1;
    public static final int TYPE_VMAR = 2;
    public static final int TYPE_MAPPING = 3;
    /** Size of the C struct. */
    public static final int SIZE = 96;
}
