package dev.zjvm.hal.mem;

import java.lang.foreign.MemorySegment;

/**
 * A range of physical memory owned by one VMO. Offsets are relative to the extent and must lie in
 * {@code [0, capacity())}; violating that is a kernel bug and throws {@link IndexOutOfBoundsException}.
 * Reading uncommitted memory yields zeros without committing it.
 */
public interface MemoryExtent extends AutoCloseable {
    long capacity();

    /** Physical address of offset 0: the extent is the run {@code [physicalAddress(), + capacity())}. */
    long physicalAddress();

    /** Copies {@code length} bytes at {@code offset} into {@code dst} starting at {@code dstOffset}. */
    void read(long offset, MemorySegment dst, long dstOffset, long length);

    /** Copies {@code length} bytes from {@code src} at {@code srcOffset} to {@code offset}; commits pages. */
    void write(long offset, MemorySegment src, long srcOffset, long length);

    /** Convenience wrappers over heap arrays. */
    default void read(long offset, byte[] dst, int dstOffset, int length) {
        read(offset, MemorySegment.ofArray(dst), dstOffset, length);
    }

    default void write(long offset, byte[] src, int srcOffset, int length) {
        write(offset, MemorySegment.ofArray(src), srcOffset, length);
    }

    /** Copies a range of this extent into another (or the same, non-overlapping) extent. */
    void copyTo(long offset, MemoryExtent dst, long dstOffset, long length);

    /** Commits (allocates, zero-filled) the pages covering the range. */
    void commit(long offset, long length);

    /** Frees the pages covering the range; they read as zero afterwards. Page-aligned range. */
    void decommit(long offset, long length);

    /** Bytes currently committed in this extent (exact, page granular). */
    long committedBytes();

    /** Frees all pages and the extent itself. Idempotent. */
    @Override
    void close();
}
