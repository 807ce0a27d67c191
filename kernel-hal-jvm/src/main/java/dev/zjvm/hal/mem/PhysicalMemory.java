package dev.zjvm.hal.mem;

/**
 * The store that backs VMO pages ("physical memory" of the library OS).
 *
 * <p>It hands out {@link MemoryExtent}s: private, page-granular ranges that start zero-filled and
 * uncommitted. The production implementation is a sparse memfd (one file, one extent per VMO);
 * {@link HeapPhysicalMemory} is a pure-Java implementation for tests of the object layer.
 */
public interface PhysicalMemory extends AutoCloseable {
    /** Page size of the store; VMO sizes and offsets are multiples of it. */
    int PAGE_SIZE = 4096;

    /**
     * Reserves an extent able to hold {@code capacity} bytes (rounded up to pages). Reserving
     * costs no memory; pages are committed on first write (or {@link MemoryExtent#commit}).
     *
     * @throws MemoryLimitException if the store cannot provide the extent
     */
    MemoryExtent allocate(long capacity);

    /** Bytes committed over all live extents. */
    long committedBytes();

    /** Releases the store; extents must not be used afterwards. */
    @Override
    void close();
}
