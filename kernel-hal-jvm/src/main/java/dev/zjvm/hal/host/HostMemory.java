package dev.zjvm.hal.host;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** Anonymous host mappings owned by the HAL itself (code pages, context blocks, stacks). */
public final class HostMemory {
    public static final int PAGE_SIZE = 4096;

    private HostMemory() {}

    public static long pageAlign(long len) { return (len + PAGE_SIZE - 1) & -PAGE_SIZE; }

    /** mmap(anonymous, private, noreserve): pages are committed when first touched. */
    public static long map(long len, int prot) {
        long p = HostSyscall.call(HostSyscall.MMAP, 0L, pageAlign(len), prot,
                Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | Libc.MAP_NORESERVE, -1, 0L);
        if (HostSyscall.failed(p)) throw new IllegalStateException("mmap of " + len + " bytes failed: errno " + HostSyscall.errno(p));
        return p;
    }

    public static void protect(long addr, long len, int prot) {
        long rc = HostSyscall.call(HostSyscall.MPROTECT, addr, pageAlign(len), prot);
        if (rc != 0) throw new IllegalStateException(String.format("mprotect(0x%x, %d, %d) failed", addr, len, prot));
    }

    public static void unmap(long addr, long len) {
        long rc = HostSyscall.call(HostSyscall.MUNMAP, addr, pageAlign(len));
        if (rc != 0) throw new IllegalStateException(String.format("munmap(0x%x, %d) failed", addr, len));
    }

    /**
     * Copies machine code into a fresh mapping and makes it read+execute (W^X: it is never writable
     * and executable at the same time). The mapping is never freed: generated code is process-wide.
     */
    public static long installCode(byte[] code) {
        long len = pageAlign(code.length);
        long p = map(len, Libc.PROT_READ | Libc.PROT_WRITE);
        MemorySegment.copy(code, 0, Libc.EVERYTHING, JAVA_BYTE, p, code.length);
        protect(p, len, Libc.PROT_READ | Libc.PROT_EXEC);
        return p;
    }

    public static long getLong(long addr) { return Libc.EVERYTHING.get(JAVA_LONG, addr); }

    public static void putLong(long addr, long v) { Libc.EVERYTHING.set(JAVA_LONG, addr, v); }

    public static MemorySegment segment(long addr, long len) { return Libc.EVERYTHING.asSlice(addr, len); }
}
