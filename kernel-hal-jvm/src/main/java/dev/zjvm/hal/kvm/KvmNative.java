package dev.zjvm.hal.kvm;

import dev.zjvm.hal.host.HostCallException;
import dev.zjvm.hal.host.HostSyscall;
import dev.zjvm.hal.host.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Host calls the KVM HAL needs, as raw system calls through {@link HostSyscall} (and glibc's own
 * sigaction and pthread_sigmask through {@link Libc}). Arguments are raw addresses of memory this
 * package allocated itself; callers validate every guest-supplied value before getting here.
 */
final class KvmNative {
    static final int O_RDWR = 2, O_CLOEXEC = 0x80000;
    static final int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
    static final int MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20;
    static final int EINTR = 4, EAGAIN = 11, EFAULT = 14, EEXIST = 17;
    // x86-64 system call numbers of the calls only KVM needs
    private static final long SYS_IOCTL = 16, SYS_TGKILL = 234, SYS_OPENAT = 257, SYS_GETCPU = 309;
    private static final long AT_FDCWD = -100;

    private KvmNative() {}

    static int open(String path, int flags) {
        try (Arena a = Arena.ofConfined()) {
            return (int) HostSyscall.check("open " + path, HostSyscall.call(SYS_OPENAT, AT_FDCWD, a.allocateFrom(path).address(), flags, 0));
        }
    }

    static void close(int fd) {
        HostSyscall.call(HostSyscall.CLOSE, fd); // close never needs a retry on Linux; its error is of no use here
    }

    /** ioctl returning its non-negative result; throws HostCallException otherwise. */
    static int ioctl(int fd, long request, long arg) {
        int r = ioctlErrno(fd, request, arg);
        if (r < 0) throw new HostCallException("ioctl 0x" + Long.toHexString(request), -r);
        return r;
    }

    /** ioctl returning its result, or minus errno on failure (no exception: KVM_RUN's EINTR is routine). */
    static int ioctlErrno(int fd, long request, long arg) {
        return (int) HostSyscall.call(SYS_IOCTL, fd, request, arg);
    }

    /** Sends {@code sig} to one thread of this process; false if the thread is gone. */
    static boolean tgkill(int tid, int sig) {
        return HostSyscall.call(SYS_TGKILL, Libc.getpid(), tid, sig) == 0;
    }

    static int gettid() {
        return Libc.gettid();
    }

    /** The host CPU the calling thread runs on now, or -1. */
    static int schedGetcpu() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cpu = a.allocate(ValueLayout.JAVA_INT);
            return HostSyscall.failed(HostSyscall.call(SYS_GETCPU, cpu.address(), 0, 0)) ? -1 : cpu.get(ValueLayout.JAVA_INT, 0);
        }
    }

    static int sigaction(int sig, long act, long old) {
        if (Libc.sigaction(sig, act, old) != 0) throw new HostCallException("sigaction", HostSyscall.EINVAL);
        return 0;
    }

    static void pthreadSigmask(int how, long set, long old) {
        int r = Libc.pthreadSigmask(how, set, old);
        if (r != 0) throw new HostCallException("pthread_sigmask", r);
    }
}
