package dev.zjvm.hal.mem;

/**
 * The store that backs VMO pages ("physical memory" of the library OS).
 *
 * <p>It hands out {@link MemoryExtent}s: private, page-granular ranges that start zero-filled and
 * uncommitted. The production implementation is a sparse memfd (one file, one extent per VMO);
 * {@link HeapPhysicalMemory} is a pure-Java implementation for tests of the object layer.
 *
 * <p>Physical addresses: the store is one linear space {@code [0, physicalSize())} and every extent
 * is one contiguous run of it starting at {@link MemoryExtent#physicalAddress()} (for the memfd, the
 * file offset). {@link #window} reaches any range of that space, whoever owns it.
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

    /**
     * As {@link #allocate(long)}, but the run's physical address is a multiple of {@code alignment}
     * (a power of two, at least a page).
     *
     * @throws MemoryLimitException if no free run of that size and alignment exists
     */
    MemoryExtent allocateContiguous(long capacity, long alignment);

    /**
     * A window onto the physical range {@code [address, address + length)}, whoever owns its pages:
     * reads and writes reach the same pages as their owner's extent (or free pages, which the store
     * zero-fills again before handing them out). Closing a window frees nothing.
     *
     * @throws IllegalArgumentException unless the range is page aligned, non-empty and inside
     *     {@code [0, physicalSize())}
     */
    MemoryExtent window(long address, long length);

    /** Size of the physical address space: valid physical addresses are {@code [0, physicalSize())}. */
    long physicalSize();

    /** Bytes committed over all live extents. */
    long committedBytes();

    /** Releases the store; extents must not be used afterwards. */
    @Override
    void close();
}
