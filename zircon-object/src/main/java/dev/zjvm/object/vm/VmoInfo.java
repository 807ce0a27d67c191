package dev.zjvm.object.vm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

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

    /** The C struct's bytes (little-endian, x86-64 layout). */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, koid);
        b.put(8, name, 0, Math.min(name.length, 31));
        b.putLong(40, sizeBytes).putLong(48, parentKoid).putLong(56, numChildren).putLong(64, numMappings);
        b.putLong(72, shareCount).putInt(80, flags).putLong(88, committedBytes).putInt(96, handleRights).putInt(100, cachePolicy);
        return b.array();
    }
}
