package dev.zjvm.object.vm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** One {@code zx_info_maps_t} record (ZX_INFO_PROCESS_MAPS), in depth-first pre-order. */
public record MapsEntry(byte[] name, long base, long size, long depth, int type, int mmuFlags, long vmoKoid, long vmoOffset, long committedPages) {
    public static final int TYPE_ASPACE = 1;
    public static final int TYPE_VMAR = 2;
    public static final int TYPE_MAPPING = 3;
    /** Size of the C struct. */
    public static final int SIZE = 96;

    /** The C struct's bytes (little-endian, x86-64 layout). */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, name, 0, Math.min(name.length, 31));
        b.putLong(32, base).putLong(40, size).putLong(48, depth).putInt(56, type);
        if (type == TYPE_MAPPING) b.putInt(64, mmuFlags).putLong(72, vmoKoid).putLong(80, vmoOffset).putLong(88, committedPages);
        return b.array();
    }
}
