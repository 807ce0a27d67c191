package dev.zjvm.hal.mem;

/**
 * Host limits the memory HAL works within, for the kernel to show (and a snapshot of their use).
 *
 * @param maxMapCount        {@code vm.max_map_count}: mappings the host allows this process
 * @param mappingBudget      mappings the HAL lets guest address spaces use (set well below the host limit)
 * @param mappingsInUse      mappings the HAL holds now (an upper bound: the reservation and its splits)
 * @param processMappings    mappings the whole process has now (JVM included)
 * @param openFilesSoftLimit soft {@code RLIMIT_NOFILE}; the HAL itself uses one descriptor (the memfd)
 */
public record HostLimits(long maxMapCount, long mappingBudget, long mappingsInUse, long processMappings,
                         long openFilesSoftLimit) {
}
