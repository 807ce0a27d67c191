package dev.zjvm.object.vm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Memory fields of {@code zx_info_task_stats_t} (ZX_INFO_TASK_STATS). */
public record MemoryStats(long mappedBytes, long privateBytes, long sharedBytes, long scaledSharedBytes) {
    /** Size of {@code zx_info_task_stats_t}. */
    public static final int SIZE = 32;

    /** The C struct's bytes (little-endian). */
    public byte[] toBytes() {
        return ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(mappedBytes).putLong(privateBytes).putLong(sharedBytes).putLong(scaledSharedBytes).array();
    }
}
