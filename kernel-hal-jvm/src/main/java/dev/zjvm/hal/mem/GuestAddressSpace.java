package dev.zjvm.hal.mem;

/**
 * A range of guest virtual addresses (one process's root VMAR) and the host mappings inside it.
 *
 * <p>The kernel's VMAR code decides what goes where and validates every guest request; this
 * interface only carries out the mapping on the host. In the native HAL the guest addresses are
 * real host addresses inside one boot-time reservation; in {@link DetachedAddressSpace} nothing is
 * mapped on the host and the kernel reaches guest memory only through VMOs.
 */
public interface GuestAddressSpace extends AutoCloseable {
    int PROT_READ = 1;
    int PROT_WRITE = 2;
    int PROT_EXEC = 4;

    /** First guest address of the range. */
    long base();

    /** Size of the range in bytes. */
    long size();

    /** Maps {@code length} bytes of {@code extent} starting at {@code extentOffset} at guest address {@code vaddr}. */
    void map(long vaddr, MemoryExtent extent, long extentOffset, long length, int prot);

    /** Changes protection of a mapped range. */
    void protect(long vaddr, long length, int prot);

    /** Removes mappings in the range (the range becomes inaccessible again). */
    void unmap(long vaddr, long length);

    /** True when guest addresses are live host addresses (guest code can run in this space). */
    boolean isNative();

    /** Unmaps everything and gives the range back. */
    @Override
    void close();
}
