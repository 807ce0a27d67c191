package dev.zjvm.hal.host;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The few libc functions the native HAL needs, as downcall handles, and thin wrappers of plain
 * system calls made through {@link HostSyscall}. Pointers are passed as raw {@code long} addresses
 * because every caller works on memory it mapped itself.
 *
 * <p>Note: {@code sigaction} found through the default lookup is libc's own, so it bypasses
 * libjsig interposition (the signal shim relies on that, see signals spike pitfall 7).
 */
@SuppressWarnings("restricted")   // downcalls to code the HAL generated or to libc are its job
public final class Libc {
    public static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();

    private static MethodHandle fn(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError(name)), fd);
    }

    public static final MethodHandle GETAUXVAL = fn("getauxval", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
    /** int sigaction(int, const struct sigaction *, struct sigaction *) -- glibc struct layout. */
    public static final MethodHandle SIGACTION = fn("sigaction", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    /** Same signature as sigaction, so it costs no extra link at start-up. */
    public static final MethodHandle PTHREAD_SIGMASK = fn("pthread_sigmask", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));

    public static final int PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
    public static final int MAP_PRIVATE = 0x02, MAP_ANONYMOUS = 0x20, MAP_NORESERVE = 0x4000;
    public static final long AT_HWCAP2 = 26;

    /** A segment spanning the whole address space, for access to memory the HAL mapped itself. */
    public static final MemorySegment EVERYTHING = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private Libc() {}

    public static int sigaction(int sig, long act, long old) {
        try { return (int) SIGACTION.invokeExact(sig, act, old); } catch (Throwable t) { throw rethrow(t); }
    }

    /** 0, or -1 on failure (as libc's). */
    public static int sigaltstack(long ss, long old) {
        return HostSyscall.failed(HostSyscall.call(HostSyscall.SIGALTSTACK, ss, old)) ? -1 : 0;
    }

    public static int pthreadSigmask(int how, long set, long old) {
        try { return (int) PTHREAD_SIGMASK.invokeExact(how, set, old); } catch (Throwable t) { throw rethrow(t); }
    }

    public static int gettid() {
        return (int) HostSyscall.call(HostSyscall.GETTID);
    }

    public static int getpid() {
        return (int) HostSyscall.call(HostSyscall.GETPID);
    }

    public static int getppid() {
        return (int) HostSyscall.call(HostSyscall.GETPPID);
    }

    public static long getauxval(long type) {
        try { return (long) GETAUXVAL.invokeExact(type); } catch (Throwable t) { throw rethrow(t); }
    }

    /** Wraps checked throwables from {@code invokeExact}; errors and runtime exceptions pass through. */
    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
