package dev.zjvm.hal.kvm;

import dev.zjvm.hal.host.HostCallException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * An open {@code /dev/kvm}: the entry to hardware virtualization on a Linux host. One per kernel;
 * it creates {@link KvmVm}s. {@link #available()} tells, without throwing, whether the host lets us.
 */
public final class Kvm implements AutoCloseable {
    static final String DEVICE = "/dev/kvm";
    static final long KVM_GET_API_VERSION = 0xAE00L, KVM_CREATE_VM = 0xAE01L, KVM_CHECK_EXTENSION = 0xAE03L,
            KVM_GET_VCPU_MMAP_SIZE = 0xAE04L, KVM_GET_SUPPORTED_CPUID = 0xC008AE05L;
    static final int API_VERSION = 12;
    static final int CAP_USER_MEMORY = 3, CAP_NR_MEMSLOTS = 10, CAP_IMMEDIATE_EXIT = 136;
    /** struct kvm_cpuid2 header plus this many 40-byte entries. */
    static final int CPUID_ENTRIES = 256, CPUID_ENTRY_SIZE = 40;

    private final int fd;
    private final int vcpuMmapSize;
    private final int maxMemorySlots;
    /** The host's supported CPUID table (struct kvm_cpuid2), given to every VCPU. */
    private final byte[] supportedCpuid;
    private boolean closed;

    private Kvm(int fd) {
        this.fd = fd;
        if (KvmNative.ioctl(fd, KVM_GET_API_VERSION, 0) != API_VERSION) throw new IllegalStateException("KVM API version");
        if (KvmNative.ioctl(fd, KVM_CHECK_EXTENSION, CAP_USER_MEMORY) <= 0
                || KvmNative.ioctl(fd, KVM_CHECK_EXTENSION, CAP_IMMEDIATE_EXIT) <= 0) {
            throw new IllegalStateException("KVM lacks user memory or immediate exit");
        }
        int slots = KvmNative.ioctl(fd, KVM_CHECK_EXTENSION, CAP_NR_MEMSLOTS);
        this.maxMemorySlots = slots > 0 ? slots : 32;
        this.vcpuMmapSize = KvmNative.ioctl(fd, KVM_GET_VCPU_MMAP_SIZE, 0);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(8 + (long) CPUID_ENTRIES * CPUID_ENTRY_SIZE, 8);
            buf.set(JAVA_INT, 0, CPUID_ENTRIES);
            KvmNative.ioctl(fd, KVM_GET_SUPPORTED_CPUID, buf.address());
            this.supportedCpuid = buf.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        }
        KickSignal.ensureHandler();
    }

    /**
     * True if {@code /dev/kvm} opens, speaks API 12 and creating a VM works. Never throws: a host
     * without KVM (or without the rights) simply answers false.
     */
    public static boolean available() {
        try (Kvm kvm = open(); KvmVm vm = kvm.createVm()) {
            return vm != null;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /**
     * Opens the device.
     *
     * @throws KvmException if the host has no usable KVM
     */
    public static Kvm open() {
        int fd;
        try {
            fd = KvmNative.open(DEVICE, KvmNative.O_RDWR | KvmNative.O_CLOEXEC);
        } catch (HostCallException e) {
            throw new KvmException("cannot open " + DEVICE + ": " + e.getMessage(), e.errno);
        }
        try {
            return new Kvm(fd);
        } catch (RuntimeException e) {
            KvmNative.close(fd);
            throw e instanceof KvmException k ? k : new KvmException("KVM unusable: " + e.getMessage(), 0);
        }
    }

    /** A new, empty virtual machine. */
    public synchronized KvmVm createVm() {
        if (closed) throw new IllegalStateException("KVM closed");
        try {
            KvmVm vm = new KvmVm(this, KvmNative.ioctl(fd, KVM_CREATE_VM, 0));
            vm.setTssAddress();
            return vm;
        } catch (HostCallException e) {
            throw new KvmException("KVM_CREATE_VM: " + e.getMessage(), e.errno);
        }
    }

    int vcpuMmapSize() {
        return vcpuMmapSize;
    }

    public int maxMemorySlots() {
        return maxMemorySlots;
    }

    byte[] supportedCpuid() {
        return supportedCpuid;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        KvmNative.close(fd);
    }
}
