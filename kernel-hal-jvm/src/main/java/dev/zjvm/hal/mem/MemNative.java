package dev.zjvm.hal.mem;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * libc bindings for the memory HAL (x86-64 Linux). Every call captures errno so failures carry the
 * host's reason. Constants are the Linux x86-64 values. Immutable: the handles are safe to share.
 */
@SuppressWarnings("restricted") // native memory access is what this class is for
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

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout ERRNO_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = ERRNO_STATE.varHandle(
            java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    /** struct stat on x86-64: st_size at 48, st_blocks at 64; 144 bytes in all. */
    private static final long STAT_SIZE = 144, ST_SIZE = 48, ST_BLOCKS = 64;

    private static final MethodHandle MMAP = libc("mmap",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = libc("munmap", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle MPROTECT = libc("mprotect",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    private static final MethodHandle MADVISE = libc("madvise",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    private static final MethodHandle MEMFD_CREATE = libc("memfd_create",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle FTRUNCATE = libc("ftruncate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle FALLOCATE = libc("fallocate",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle LSEEK = libc("lseek", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    /**
     * lseek without errno capture: the hot path of reads; a failure is redone with capture. Not a
     * critical call: a SEEK_HOLE walk over a large committed range can take milliseconds.
     */
    private static final MethodHandle LSEEK_FAST = LINKER.downcallHandle(LIBC.find("lseek").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle FSTAT = libc("fstat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle CLOSE = libc("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle GETRLIMIT = libc("getrlimit", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private MemNative() {}

    private static MethodHandle libc(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(), fd, Linker.Option.captureCallState("errno"));
    }

    /** Thrown when a host call fails; carries errno. */
    static final class HostCallException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int errno;

        HostCallException(String call, int errno) {
            super(call + " failed: errno " + errno);
            this.errno = errno;
        }
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    static long mmap(long addr, long len, int prot, int flags, int fd, long offset) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(ERRNO_STATE);
            long p = (long) MMAP.invokeExact(st, addr, len, prot, flags, fd, offset);
            if (p == -1L) throw new HostCallException("mmap", errno(st));
            return p;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void munmap(long addr, long len) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(ERRNO_STATE);
            if ((int) MUNMAP.invokeExact(st, addr, len) != 0) throw new HostCallException("munmap", errno(st));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void mprotect(long addr, long len, int prot) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(ERRNO_STATE);
            if ((int) MPROTECT.invokeExact(st, addr, len, prot) != 0) throw new HostCallException("mprotect", errno(st));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void madvise(long addr, long len, int advice) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(ERRNO_STATE);
            while (true) {
                if ((int) MADVISE.invokeExact(st, addr, len, advice) == 0) return;
                int e = errno(st);
                if (e != EINTR) throw new HostCallException("madvise", e);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int memfdCreate(String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(ERRNO_STATE);
            int fd = (int) MEMFD_CREATE.invokeExact(st, a.allocateFrom(name), MFD_CLOEXEC);
            if (fd < 0) throw new HostCallException("memfd_create", errno(st));
            return fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void ftruncate(int fd, long len) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(ERRNO_STATE);
            if ((int) FTRUNCATE.invokeExact(st, fd, len) != 0) throw new HostCallException("ftruncate", errno(st));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void fallocate(int fd, int mode, long offset, long len) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(ERRNO_STATE);
            while (true) {
                if ((int) FALLOCATE.invokeExact(st, fd, mode, offset, len) == 0) return;
                int e = errno(st);
                if (e != EINTR) throw new HostCallException("fallocate", e);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** lseek; returns -1 for ENXIO (no data/hole at or after the offset), throws on other errors. */
    static long lseek(int fd, long offset, int whence) {
        try {
            long r = (long) LSEEK_FAST.invokeExact(fd, offset, whence);
            if (r >= 0) return r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(ERRNO_STATE);
            long r = (long) LSEEK.invokeExact(st, fd, offset, whence);
            if (r < 0) {
                int e = errno(st);
                if (e == ENXIO) return -1;
                throw new HostCallException("lseek", e);
            }
            return r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Allocated bytes of the file (st_blocks * 512). */
    static long allocatedBytes(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(ERRNO_STATE);
            MemorySegment buf = a.allocate(STAT_SIZE, 8);
            if ((int) FSTAT.invokeExact(st, fd, buf) != 0) throw new HostCallException("fstat", errno(st));
            return buf.get(JAVA_LONG, ST_BLOCKS) * 512;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** File size (st_size). */
    static long fileSize(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(ERRNO_STATE);
            MemorySegment buf = a.allocate(STAT_SIZE, 8);
            if ((int) FSTAT.invokeExact(st, fd, buf) != 0) throw new HostCallException("fstat", errno(st));
            return buf.get(JAVA_LONG, ST_SIZE);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void close(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(ERRNO_STATE);
            if ((int) CLOSE.invokeExact(st, fd) != 0) throw new HostCallException("close", errno(st));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Soft limit of a resource (getrlimit rlim_cur); Long.MAX_VALUE for RLIM_INFINITY. */
    static long softLimit(int resource) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(ERRNO_STATE);
            MemorySegment buf = a.allocate(16, 8);
            if ((int) GETRLIMIT.invokeExact(st, resource, buf) != 0) throw new HostCallException("getrlimit", errno(st));
            long cur = buf.get(JAVA_LONG, 0);
            return cur < 0 ? Long.MAX_VALUE : cur;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
