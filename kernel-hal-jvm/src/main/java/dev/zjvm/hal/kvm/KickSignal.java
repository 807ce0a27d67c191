package dev.zjvm.hal.kvm;

import dev.zjvm.hal.host.HostSyscall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The signal that knocks a thread out of {@code KVM_RUN} (the ioctl returns EINTR once a handled
 * signal is pending). It is SIGRTMAX-2: the JDK's own NIO wake-up signal, with an empty handler, and
 * the one real-time signal guest threads leave unblocked. If the JDK has not installed its handler
 * yet, an equally empty one is installed (a single {@code ret}), because the default action would
 * end the JVM.
 */
final class KickSignal {
    static final int SIGNAL = 64 - 2;
    private static final int SIGACTION_SIZE = 152, SA_FLAGS = 136, SA_RESTART = 0x1000_0000;
    private static final long SIG_DFL = 0, SIG_IGN = 1;
    private static final int SIG_UNBLOCK = 1;

    private KickSignal() {}

    /** Makes sure the signal has a handler (idempotent; the handler page stays for the process's life). */
    static synchronized void ensureHandler() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment old = a.allocate(SIGACTION_SIZE, 8);
            KvmNative.sigaction(SIGNAL, 0, old.address());
            long handler = old.get(JAVA_LONG, 0);
            if (handler != SIG_DFL && handler != SIG_IGN) return;
            long page = HostSyscall.mmap(0, 4096, KvmNative.PROT_READ | KvmNative.PROT_WRITE,
                    KvmNative.MAP_PRIVATE | KvmNative.MAP_ANONYMOUS, -1, 0);
            MemorySegment.ofAddress(page).reinterpret(1).set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 0xc3);
            HostSyscall.mprotect(page, 4096, KvmNative.PROT_READ | KvmNative.PROT_EXEC);
            MemorySegment act = a.allocate(SIGACTION_SIZE, 8);
            act.set(JAVA_LONG, 0, page);
            act.set(JAVA_INT, SA_FLAGS, SA_RESTART);
            KvmNative.sigaction(SIGNAL, act.address(), 0);
        }
    }

    /** Unblocks the signal on the calling thread (it may have inherited a guest thread's mask). */
    static void unblockOnCurrentThread() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment set = a.allocate(128, 8);
            set.set(JAVA_LONG, 0, 1L << (SIGNAL - 1));
            KvmNative.pthreadSigmask(SIG_UNBLOCK, set.address(), 0);
        }
    }
}
