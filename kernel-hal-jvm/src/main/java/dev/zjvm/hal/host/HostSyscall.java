package dev.zjvm.hal.host;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Raw Linux system calls through one generated stub, {@code long sys(nr, a1..a6)}, that returns the
 * kernel's result unchanged ({@code -errno} on failure).
 *
 * <p>Why: each distinct downcall signature costs the JVM a few milliseconds to link at first use,
 * and errno capture adds another signature and a per-call allocation. Routing the HAL's host calls
 * (mmap, memfd, fallocate, lseek...) through a single signature removes most of the native set-up
 * from the time to the first guest line (docs/benchmarks-boot.md), and errors come back in-band.
 */
@SuppressWarnings("restricted")   // calling code the HAL generated is its job
public final class HostSyscall {
    // x86-64 Linux system call numbers
    public static final long READ = 0, CLOSE = 3, FSTAT = 5, LSEEK = 8, MMAP = 9, MPROTECT = 10, MUNMAP = 11,
            RT_SIGPROCMASK = 14, MADVISE = 28, GETPID = 39, FTRUNCATE = 77, GETRLIMIT = 97, GETPPID = 110,
            SIGALTSTACK = 131, GETTID = 186, SCHED_SETAFFINITY = 203, SCHED_GETAFFINITY = 204, CLOCK_GETTIME = 228,
            FALLOCATE = 285, SCHED_SETATTR = 314, SCHED_GETATTR = 315, MEMFD_CREATE = 319;
    public static final int EINTR = 4, ENXIO = 6, EEXIST = 17, EINVAL = 22;

    /**
     * rax = nr; the six arguments move to rdi, rsi, rdx, r10, r8, r9 (the seventh Java argument is
     * on the stack above the return address); syscall; return rax as is.
     */
    private static final byte[] STUB = {
        0x48, (byte) 0x89, (byte) 0xf8,               // mov rax, rdi
        0x48, (byte) 0x89, (byte) 0xf7,               // mov rdi, rsi
        0x48, (byte) 0x89, (byte) 0xd6,               // mov rsi, rdx
        0x48, (byte) 0x89, (byte) 0xca,               // mov rdx, rcx
        0x4d, (byte) 0x89, (byte) 0xc2,               // mov r10, r8
        0x4d, (byte) 0x89, (byte) 0xc8,               // mov r8, r9
        0x4c, (byte) 0x8b, 0x4c, 0x24, 0x08,          // mov r9, [rsp+8]
        0x0f, 0x05,                                   // syscall
        (byte) 0xc3,                                  // ret
    };
    private static final FunctionDescriptor SIGNATURE = FunctionDescriptor.of(JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    /** Not critical: some calls block (fallocate on a large range, a long SEEK_HOLE walk). */
    private static final MethodHandle SYS = Libc.LINKER.downcallHandle(MemorySegment.ofAddress(install()), SIGNATURE);

    private HostSyscall() {}

    /** Maps the stub with glibc's own syscall(2): the one variadic call the HAL makes. */
    private static long install() {
        MethodHandle libcSyscall = Libc.LINKER.downcallHandle(
                Libc.LINKER.defaultLookup().find("syscall").orElseThrow(() -> new UnsatisfiedLinkError("syscall")),
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
                Linker.Option.firstVariadicArg(1));
        try {
            long page = (long) libcSyscall.invokeExact(MMAP, 0L, (long) HostMemory.PAGE_SIZE,
                    (long) (Libc.PROT_READ | Libc.PROT_WRITE), (long) (Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS), -1L, 0L);
            if (page == -1L) throw new IllegalStateException("mmap of the host syscall stub failed");
            MemorySegment.copy(STUB, 0, Libc.EVERYTHING, JAVA_BYTE, page, STUB.length);
            long rc = (long) libcSyscall.invokeExact(MPROTECT, page, (long) HostMemory.PAGE_SIZE,
                    (long) (Libc.PROT_READ | Libc.PROT_EXEC), 0L, 0L, 0L);
            if (rc != 0) throw new IllegalStateException("mprotect of the host syscall stub failed");
            return page;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** The raw result: a value, or {@code -errno} (in -4095..-1) on failure. */
    public static long call(long nr, long a1, long a2, long a3, long a4, long a5, long a6) {
        try {
            return (long) SYS.invokeExact(nr, a1, a2, a3, a4, a5, a6);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    public static long call(long nr) { return call(nr, 0, 0, 0, 0, 0, 0); }

    public static long call(long nr, long a1) { return call(nr, a1, 0, 0, 0, 0, 0); }

    public static long call(long nr, long a1, long a2) { return call(nr, a1, a2, 0, 0, 0, 0); }

    public static long call(long nr, long a1, long a2, long a3) { return call(nr, a1, a2, a3, 0, 0, 0); }

    public static long call(long nr, long a1, long a2, long a3, long a4) { return call(nr, a1, a2, a3, a4, 0, 0); }

    /** The raw result, or a {@link HostCallException} naming {@code call} for an error result. */
    public static long check(String call, long result) {
        if (failed(result)) throw new HostCallException(call, errno(result));
        return result;
    }

    /** mmap(2); the mapping's address, or a {@link HostCallException}. */
    public static long mmap(long addr, long len, int prot, int flags, int fd, long offset) {
        return check("mmap", call(MMAP, addr, len, prot, flags, fd, offset));
    }

    /** munmap(2), or a {@link HostCallException}. */
    public static void munmap(long addr, long len) {
        check("munmap", call(MUNMAP, addr, len));
    }

    /** mprotect(2), or a {@link HostCallException}. */
    public static void mprotect(long addr, long len, int prot) {
        check("mprotect", call(MPROTECT, addr, len, prot));
    }

    /** True for a raw result that reports an error. */
    public static boolean failed(long result) { return result < 0 && result >= -4095; }

    /** The errno of a failed raw result. */
    public static int errno(long result) { return (int) -result; }
}
