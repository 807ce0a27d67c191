package dev.zjvm.hal.mem;

import dev.zjvm.hal.host.HostCallException;
import dev.zjvm.hal.host.HostSyscall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Host calls of the memory HAL (x86-64 Linux), made as raw system calls through
 * {@link HostSyscall}: failures carry the host's errno. Constants are the Linux x86-64 values.
 */
final class MemNative {
    static final int PROT_NONE = 0;
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int PROT_EXEC = 4;
    static final int MAP_SHARED = 0x01;
    static final int MAP_PRIVATE = 0x02;
    static final int MAP_FIXED = 0x10;
    static final int MAP_ANONYMOUS = 0x20;
    static final int MAP_NORESERVE = 0x4000;
    static final int MAP_FIXED_NOREPLACE = 0x100000;
    static final int MFD_CLOEXEC = 1;
    static final int FALLOC_FL_KEEP_SIZE = 1;
    static final int FALLOC_FL_PUNCH_HOLE = 2;
    static final int SEEK_DATA = 3;
    static final int SEEK_HOLE = 4;
    static final int RLIMIT_NOFILE = 7;
    static final int MADV_POPULATE_WRITE = 23;
    static final int EEXIST = 17;
    static final int ENXIO = 6;
    static final int EINTR = 4;
    static final int EINVAL = 22;

    /** struct stat on x86-64: st_size at 48, st_blocks at 64; 144 bytes in all. */
    private static final long STAT_SIZE = 144, ST_SIZE = 48, ST_BLOCKS = 64;

    private MemNative() {}

    /** Repeats a call interrupted by a signal (EINTR). */
    private static long retrying(String call, long nr, long a1, long a2, long a3, long a4) {
        while (true) {
            long r = HostSyscall.call(nr, a1, a2, a3, a4);
            if (r != -EINTR) return HostSyscall.check(call, r);
        }
    }

    static void madvise(long addr, long len, int advice) {
        retrying("madvise", HostSyscall.MADVISE, addr, len, advice, 0);
    }

    static int memfdCreate(String name) {
        try (Arena a = Arena.ofConfined()) {
            return (int) HostSyscall.check("memfd_create", HostSyscall.call(HostSyscall.MEMFD_CREATE, a.allocateFrom(name).address(), MFD_CLOEXEC));
        }
    }

    static void ftruncate(int fd, long len) {
        HostSyscall.check("ftruncate", HostSyscall.call(HostSyscall.FTRUNCATE, fd, len));
    }

    static void fallocate(int fd, int mode, long offset, long len) {
        retrying("fallocate", HostSyscall.FALLOCATE, fd, mode, offset, len);
    }

    /** lseek; returns -1 for ENXIO (no data/hole at or after the offset), throws on other errors. */
    static long lseek(int fd, long offset, int whence) {
        long r = HostSyscall.call(HostSyscall.LSEEK, fd, offset, whence);
        if (r == -ENXIO) return -1;
        return HostSyscall.check("lseek", r);
    }

    /** Allocated bytes of the file (st_blocks * 512). */
    static long allocatedBytes(int fd) {
        return stat(fd, ST_BLOCKS) * 512;
    }

    /** File size (st_size). */
    static long fileSize(int fd) {
        return stat(fd, ST_SIZE);
    }

    private static long stat(int fd, long field) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(STAT_SIZE, 8);
            HostSyscall.check("fstat", HostSyscall.call(HostSyscall.FSTAT, fd, buf.address()));
            return buf.get(JAVA_LONG, field);
        }
    }

    static void close(int fd) {
        HostSyscall.check("close", HostSyscall.call(HostSyscall.CLOSE, fd));
    }

    /** Soft limit of a resource (getrlimit rlim_cur); Long.MAX_VALUE for RLIM_INFINITY. */
    static long softLimit(int resource) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(16, 8);
            HostSyscall.check("getrlimit", HostSyscall.call(HostSyscall.GETRLIMIT, resource, buf.address()));
            long cur = buf.get(JAVA_LONG, 0);
            return cur < 0 ? Long.MAX_VALUE : cur;
        }
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
