package dev.zjvm.hal.kvm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * libc calls the KVM HAL needs, each capturing errno. Arguments are raw addresses of memory this
 * package allocated itself; callers validate every guest-supplied value before getting here.
 */
@SuppressWarnings("restricted") // downcalls into libc are what this class is for
final class KvmNative {
    static final int O_RDWR = 2, O_CLOEXEC = 0x80000;
    static final int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
    static final int MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20;
    static final int EINTR = 4, EAGAIN = 11, EFAULT = 14, EEXIST = 17;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout ERRNO_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = ERRNO_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle OPEN = libc("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = libc("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    /** ioctl(int, unsigned long, ...): the third argument is variadic, passed as a 64-bit value. */
    private static final MethodHandle IOCTL = libc("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle MMAP = libc("mmap",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = libc("munmap", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle MPROTECT = libc("mprotect", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    private static final MethodHandle TGKILL = libc("tgkill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle GETTID = libc("gettid", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle SCHED_GETCPU = LINKER.downcallHandle(LIBC.find("sched_getcpu").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle GETPID = libc("getpid", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle SIGACTION = libc("sigaction", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle PTHREAD_SIGMASK = LINKER.downcallHandle(LIBC.find("pthread_sigmask").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));

    private KvmNative() {}

    private static MethodHandle libc(String name, FunctionDescriptor fd, Linker.Option... extra) {
        Linker.Option[] opts = new Linker.Option[extra.length + 1];
        opts[0] = Linker.Option.captureCallState("errno");
        System.arraycopy(extra, 0, opts, 1, extra.length);
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError(name)), fd, opts);
    }

    /** A failed host call and its errno. */
    static final class HostError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int errno;

        HostError(String call, int errno) {
            super(call + " failed: errno " + errno);
            this.errno = errno;
        }
    }

    private static int errno(MemorySegment st) {
        return (int) ERRNO.get(st, 0L);
    }

    static int open(String path, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(ERRNO_STATE);
            int fd = (int) OPEN.invokeExact(st, a.allocateFrom(path), flags);
            if (fd < 0) throw new HostError("open " + path, errno(st));
            return fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void close(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(ERRNO_STATE);
            int ignored = (int) CLOSE.invokeExact(st, fd); // close never needs a retry on Linux
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** ioctl returning its non-negative result; throws HostError with errno otherwise. */
    static int ioctl(int fd, long request, long arg) {
        int r = ioctlErrno(fd, request, arg);
        if (r < 0) throw new HostError("ioctl 0x" + Long.toHexString(request), -r);
        return r;
    }

    /** ioctl returning its result, or minus errno on failure (no exception: KVM_RUN's EINTR is routine). */
    static int ioctlErrno(int fd, long request, long arg) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(ERRNO_STATE);
            int r = (int) IOCTL.invokeExact(st, fd, request, arg);
            return r < 0 ? -errno(st) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long mmap(long addr, long len, int prot, int flags, int fd, long off) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(ERRNO_STATE);
            long p = (long) MMAP.invokeExact(st, addr, len, prot, flags, fd, off);
            if (p == -1L) throw new HostError("mmap", errno(st));
            return p;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void munmap(long addr, long len) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(ERRNO_STATE);
            if ((int) MUNMAP.invokeExact(st, addr, len) != 0) throw new HostError("munmap", errno(st));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void mprotect(long addr, long len, int prot) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(ERRNO_STATE);
            if ((int) MPROTECT.invokeExact(st, addr, len, prot) != 0) throw new HostError("mprotect", errno(st));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Sends {@code sig} to one thread of this process; false if the thread is gone. */
    static boolean tgkill(int tid, int sig) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(ERRNO_STATE);
            int pid = (int) GETPID.invokeExact(st);
            return (int) TGKILL.invokeExact(st, pid, tid, sig) == 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int gettid() {
        try (Arena a = Arena.ofConfined()) {
            return (int) GETTID.invokeExact(a.allocate(ERRNO_STATE));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The host CPU the calling thread runs on now, or -1. */
    static int schedGetcpu() {
        try {
            return (int) SCHED_GETCPU.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int sigaction(int sig, long act, long old) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(ERRNO_STATE);
            int r = (int) SIGACTION.invokeExact(st, sig, act, old);
            if (r != 0) throw new HostError("sigaction", errno(st));
            return r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void pthreadSigmask(int how, long set, long old) {
        try {
            int r = (int) PTHREAD_SIGMASK.invokeExact(how, set, old);
            if (r != 0) throw new HostError("pthread_sigmask", r);
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
