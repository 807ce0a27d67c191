package dev.zjvm.hal.kvm;

import dev.zjvm.hal.host.HostSyscall;
import dev.zjvm.hal.host.HostCallException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * One KVM VCPU (x86-64): its fd and the shared {@code struct kvm_run}. {@link #run} is called by one
 * runner thread at a time; {@link #kick} may come from any thread and makes a running or about to run
 * {@code KVM_RUN} return (immediate_exit, then the {@link KickSignal} to the runner's host thread).
 * Register, event and translation calls are only made while the VCPU is not running.
 */
public final class KvmVcpu implements AutoCloseable {
    static final long KVM_RUN = 0xAE80L, KVM_GET_REGS = 0x8090AE81L, KVM_SET_REGS = 0x4090AE82L,
            KVM_GET_SREGS = 0x8138AE83L, KVM_SET_SREGS = 0x4138AE84L, KVM_TRANSLATE = 0xC018AE85L,
            KVM_INTERRUPT = 0x4004AE86L, KVM_SET_CPUID2 = 0x4008AE90L, KVM_NMI = 0xAE9AL,
            KVM_GET_VCPU_EVENTS = 0x8040AE9FL, KVM_SET_VCPU_EVENTS = 0x4040AEA0L;

    /** kvm_run exit reasons. */
    public static final int EXIT_UNKNOWN = 0, EXIT_EXCEPTION = 1, EXIT_IO = 2, EXIT_DEBUG = 4, EXIT_HLT = 5,
            EXIT_MMIO = 6, EXIT_IRQ_WINDOW_OPEN = 7, EXIT_SHUTDOWN = 8, EXIT_FAIL_ENTRY = 9, EXIT_INTR = 10,
            EXIT_INTERNAL_ERROR = 17;
    /** {@link #run} results that are not exits: interrupted by a kick, or guest memory the host cannot back. */
    public static final int RUN_KICKED = -1, RUN_MEMORY_FAULT = -2;

    // struct kvm_run (x86-64)
    private static final long RUN_REQUEST_IRQ_WINDOW = 0, RUN_IMMEDIATE_EXIT = 1, RUN_EXIT_REASON = 8,
            RUN_READY_FOR_IRQ = 12, RUN_IF_FLAG = 13;
    private static final long IO_DIRECTION = 32, IO_SIZE = 33, IO_PORT = 34, IO_COUNT = 36, IO_DATA_OFFSET = 40;
    private static final long MMIO_ADDR = 32, MMIO_DATA = 40, MMIO_LEN = 48, MMIO_IS_WRITE = 52;
    static final int REGS_SIZE = 144, SREGS_SIZE = 312, EVENTS_SIZE = 64;

    private final int fd;
    private final int runSize;
    private final long runAddress;
    private final MemorySegment run;
    private volatile int runnerTid;
    private boolean closed;

    KvmVcpu(int fd, int runSize, byte[] cpuid) {
        this.fd = fd;
        this.runSize = runSize;
        this.runAddress = HostSyscall.mmap(0, runSize, KvmNative.PROT_READ | KvmNative.PROT_WRITE, KvmNative.MAP_SHARED, fd, 0);
        this.run = MemorySegment.ofAddress(runAddress).reinterpret(runSize);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(cpuid.length, 8);
            buf.copyFrom(MemorySegment.ofArray(cpuid));
            KvmNative.ioctl(fd, KVM_SET_CPUID2, buf.address());
        } catch (RuntimeException e) {
            HostSyscall.munmap(runAddress, runSize);
            throw e;
        }
    }

    /** Makes the calling thread the one that runs this VCPU (the target of kicks). */
    public void bindRunnerThread() {
        KickSignal.unblockOnCurrentThread();
        runnerTid = KvmNative.gettid();
    }

    /**
     * One {@code KVM_RUN}. Clears a previous kick's immediate_exit first, so the caller must check its
     * own reasons to stop (set before {@link #kick}) after calling {@link #clearKick} and before this.
     *
     * @return an EXIT_* reason, {@link #RUN_KICKED} or {@link #RUN_MEMORY_FAULT}
     */
    public int run() {
        int r = KvmNative.ioctlErrno(fd, KVM_RUN, 0);
        if (r >= 0) return run.get(JAVA_INT, RUN_EXIT_REASON);
        return switch (-r) {
            case KvmNative.EINTR, KvmNative.EAGAIN -> RUN_KICKED;
            case KvmNative.EFAULT -> RUN_MEMORY_FAULT;
            default -> throw new KvmException("KVM_RUN failed", -r);
        };
    }

    /** The host CPU the calling thread is on (where the last exit happened, when called by the runner); -1 if unknown. */
    public static int hostCpu() {
        return KvmNative.schedGetcpu();
    }

    /** Undoes a kick's immediate_exit; see {@link #run}. */
    public void clearKick() {
        run.set(JAVA_BYTE, RUN_IMMEDIATE_EXIT, (byte) 0);
    }

    /** Makes the current or next {@code KVM_RUN} return {@link #RUN_KICKED}. Any thread; no-op once closed. */
    public synchronized void kick() {
        if (closed) return; // the run area is gone; nothing runs any more
        run.set(JAVA_BYTE, RUN_IMMEDIATE_EXIT, (byte) 1);
        int tid = runnerTid;
        if (tid != 0) KvmNative.tgkill(tid, KickSignal.SIGNAL);
    }

    /**
     * Finishes the instruction of the last IO or MMIO exit (KVM does that on the next entry) without
     * running further guest code: a {@code KVM_RUN} with immediate_exit set.
     */
    public void completePendingAccess() {
        run.set(JAVA_BYTE, RUN_IMMEDIATE_EXIT, (byte) 1);
        int r = KvmNative.ioctlErrno(fd, KVM_RUN, 0);
        run.set(JAVA_BYTE, RUN_IMMEDIATE_EXIT, (byte) 0);
        if (r < 0 && -r != KvmNative.EINTR && -r != KvmNative.EAGAIN) throw new KvmException("KVM_RUN (complete)", -r);
    }

    // ---- exit details ----

    public boolean ioIsIn() { return run.get(JAVA_BYTE, IO_DIRECTION) == 0; }
    public int ioSize() { return run.get(JAVA_BYTE, IO_SIZE) & 0xff; }
    public int ioPort() { return run.get(JAVA_SHORT, IO_PORT) & 0xffff; }
    public int ioCount() { return run.get(JAVA_INT, IO_COUNT); }

    /** The first element of the IO data (little endian, {@link #ioSize} bytes). */
    public int ioData() {
        long off = ioDataOffset();
        int v = 0;
        for (int i = 0; i < ioSize(); i++) v |= (run.get(JAVA_BYTE, off + i) & 0xff) << (8 * i);
        return v;
    }

    /** Sets the data an IN will load when the access completes. */
    public void setIoData(int value) {
        long off = ioDataOffset();
        for (int i = 0; i < ioSize(); i++) run.set(JAVA_BYTE, off + i, (byte) (value >>> (8 * i)));
    }

    private long ioDataOffset() {
        long off = run.get(JAVA_LONG, IO_DATA_OFFSET);
        if (off < 0 || off > runSize - 8) throw new KvmException("IO data outside kvm_run", 0);
        return off;
    }

    public long mmioAddress() { return run.get(JAVA_LONG, MMIO_ADDR); }
    public int mmioLength() { return run.get(JAVA_INT, MMIO_LEN); }
    public boolean mmioIsWrite() { return run.get(JAVA_BYTE, MMIO_IS_WRITE) != 0; }
    public long mmioData() { return run.get(JAVA_LONG, MMIO_DATA); }

    // ---- interrupts ----

    /** True if the guest took an external interrupt right now (IF set, no interrupt shadow). */
    public boolean canTakeInterrupt() {
        return run.get(JAVA_BYTE, RUN_READY_FOR_IRQ) != 0 && run.get(JAVA_BYTE, RUN_IF_FLAG) != 0;
    }

    /** Asks for an {@link #EXIT_IRQ_WINDOW_OPEN} exit as soon as the guest can take an interrupt. */
    public void requestInterruptWindow(boolean on) {
        run.set(JAVA_BYTE, RUN_REQUEST_IRQ_WINDOW, (byte) (on ? 1 : 0));
    }

    /** Queues external interrupt {@code vector} for the next entry. */
    public void injectInterrupt(int vector) {
        if (vector < 0 || vector > 255) throw new IllegalArgumentException("vector " + vector);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment irq = a.allocate(4, 4);
            irq.set(JAVA_INT, 0, vector);
            KvmNative.ioctl(fd, KVM_INTERRUPT, irq.address());
        } catch (HostCallException e) {
            throw new KvmException("KVM_INTERRUPT: " + e.getMessage(), e.errno);
        }
    }

    public void injectNmi() {
        try {
            KvmNative.ioctl(fd, KVM_NMI, 0);
        } catch (HostCallException e) {
            throw new KvmException("KVM_NMI: " + e.getMessage(), e.errno);
        }
    }

    /** Injects hardware exception {@code vector} (no error code) at the next entry. */
    public void injectException(int vector) {
        if (vector < 0 || vector > 31) throw new IllegalArgumentException("exception " + vector);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ev = a.allocate(EVENTS_SIZE, 8);
            KvmNative.ioctl(fd, KVM_GET_VCPU_EVENTS, ev.address());
            ev.set(JAVA_BYTE, 0, (byte) 1);           // exception.injected
            ev.set(JAVA_BYTE, 1, (byte) vector);      // exception.nr
            ev.set(JAVA_BYTE, 2, (byte) 0);           // has_error_code
            ev.set(JAVA_BYTE, 3, (byte) 0);           // pending
            ev.set(JAVA_INT, 4, 0);
            ev.set(JAVA_INT, 20, 0);                  // flags: leave NMI/SIPI/shadow state as read
            KvmNative.ioctl(fd, KVM_SET_VCPU_EVENTS, ev.address());
        } catch (HostCallException e) {
            throw new KvmException("KVM_SET_VCPU_EVENTS: " + e.getMessage(), e.errno);
        }
    }

    // ---- state ----

    /** General registers in {@code struct kvm_regs} order: rax rbx rcx rdx rsi rdi rsp rbp r8-r15 rip rflags. */
    public long[] getRegs() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment r = a.allocate(REGS_SIZE, 8);
            KvmNative.ioctl(fd, KVM_GET_REGS, r.address());
            return r.toArray(JAVA_LONG);
        } catch (HostCallException e) {
            throw new KvmException("KVM_GET_REGS: " + e.getMessage(), e.errno);
        }
    }

    public void setRegs(long[] regs) {
        if (regs.length != REGS_SIZE / 8) throw new IllegalArgumentException("kvm_regs has 18 registers");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment r = a.allocate(REGS_SIZE, 8);
            r.copyFrom(MemorySegment.ofArray(regs));
            KvmNative.ioctl(fd, KVM_SET_REGS, r.address());
        } catch (HostCallException e) {
            throw new KvmException("KVM_SET_REGS: " + e.getMessage(), e.errno);
        }
    }

    /** The special registers ({@code struct kvm_sregs}). */
    public X86SpecialRegisters getSregs() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment r = a.allocate(SREGS_SIZE, 8);
            KvmNative.ioctl(fd, KVM_GET_SREGS, r.address());
            return new X86SpecialRegisters(r.toArray(JAVA_BYTE));
        } catch (HostCallException e) {
            throw new KvmException("KVM_GET_SREGS: " + e.getMessage(), e.errno);
        }
    }

    public void setSregs(X86SpecialRegisters s) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment r = a.allocate(SREGS_SIZE, 8);
            r.copyFrom(MemorySegment.ofArray(s.bytes()));
            KvmNative.ioctl(fd, KVM_SET_SREGS, r.address());
        } catch (HostCallException e) {
            throw new KvmException("KVM_SET_SREGS: " + e.getMessage(), e.errno);
        }
    }

    /** Guest-physical address of guest-linear {@code linear} under the current paging, or -1. */
    public long translate(long linear) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment t = a.allocate(24, 8);
            t.set(JAVA_LONG, 0, linear);
            KvmNative.ioctl(fd, KVM_TRANSLATE, t.address());
            return t.get(JAVA_BYTE, 16) != 0 ? t.get(JAVA_LONG, 8) : -1;
        } catch (HostCallException e) {
            return -1;
        }
    }

    /** Releases the fd and the run area; the VCPU must not be running. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        HostSyscall.munmap(runAddress, runSize);
        KvmNative.close(fd);
    }
}
