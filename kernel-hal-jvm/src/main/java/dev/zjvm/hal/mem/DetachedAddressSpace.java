package dev.zjvm.hal.mem;

/**
 * An address range with no host mappings behind it: for processes that never run native code
 * (syscall tests from JUnit). The kernel still tracks mappings in its VMARs and reaches the memory
 * through the VMOs, so every user-memory check is exercised exactly as for a native process.
 */
public final class DetachedAddressSpace implements GuestAddressSpace {
    private final long base;
    private final long size;

    public DetachedAddressSpace(long base, long size) {
        if (base % PhysicalMemory.PAGE_SIZE != 0 || size % PhysicalMemory.PAGE_SIZE != 0 || size <= 0) {
            throw new IllegalArgumentException("address space must be page aligned and non-empty");
        }
        this.base = base;
        this.size = size;
    }

    @Override public long base() { return base; }
    @Override public long size() { return size; }
    @Override public void map(long vaddr, MemoryExtent extent, long extentOffset, long length, int prot) {}
    @Override public void protect(long vaddr, long length, int prot) {}
    @Override public void unmap(long vaddr, long length) {}
    @Override public boolean isNative() { return false; }
    @Override public void close() {}
}
