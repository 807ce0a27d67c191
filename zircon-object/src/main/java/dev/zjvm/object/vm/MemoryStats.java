package dev.zjvm.object.vm;

/** Memory fields of {@code zx_info_task_stats_t} (ZX_INFO_TASK_STATS). */
public record MemoryStats(long mappedBytes, long privateBytes, long sharedBytes, long scaledSharedBytes) {}
