package dev.zjvm.hal.kvm;

import dev.zjvm.hal.host.HostCallException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** One KVM virtual machine: its memory slots and its VCPUs. Methods are serialized per VM. */
public final class KvmVm implements AutoCloseable {
    static final long KVM_CREATE_VCPU = 0xAE41L, KVM_SET_USER_MEMORY_REGION = 0x4020AE46L, KVM_SET_TSS_ADDR = 0xAE47L;
    /**
     * Three guest-physical pages Intel hosts without unrestricted guest need for real-mode emulation
     * (later VCPUs start in real mode); the address QEMU uses, just below the 4 GiB MMIO hole's top.
     */
    static final long TSS_ADDRESS = 0xfeffd000L;
    private static final int PAGE = 4096;

    private final Kvm kvm;
    private final int fd;
    private boolean closed;

    KvmVm(Kvm kvm, int fd) {
        this.kvm = kvm;
        this.fd = fd;
    }

    /** Sets the real-mode TSS area (a no-op on AMD); a refusal only matters to real-mode guests on Intel. */
    void setTssAddress() {
        KvmNative.ioctlErrno(fd, KVM_SET_TSS_ADDR, TSS_ADDRESS);
    }

    public int maxMemorySlots() {
        return kvm.maxMemorySlots();
    }

    /**
     * Sets memory slot {@code slot} to map guest-physical {@code [gpa, gpa + size)} to host
     * {@code [hostAddress, ...)}; size 0 deletes the slot. Page-aligned arguments only.
     *
     * @throws KvmException when the host refuses (slot overlap, too many slots)
     */
    public synchronized void setMemorySlot(int slot, long gpa, long size, long hostAddress) {
        if (closed) throw new IllegalStateException("VM closed");
        if (slot < 0 || slot >= kvm.maxMemorySlots() || gpa % PAGE != 0 || size % PAGE != 0 || hostAddress % PAGE != 0 || size < 0) {
            throw new IllegalArgumentException("bad memory slot " + slot + " @0x" + Long.toHexString(gpa) + "+0x" + Long.toHexString(size));
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment r = a.allocate(32, 8);
            r.set(JAVA_INT, 0, slot);
            r.set(JAVA_INT, 4, 0);
            r.set(JAVA_LONG, 8, gpa);
            r.set(JAVA_LONG, 16, size);
            r.set(JAVA_LONG, 24, size == 0 ? 0 : hostAddress);
            KvmNative.ioctl(fd, KVM_SET_USER_MEMORY_REGION, r.address());
        } catch (HostCallException e) {
            throw new KvmException("KVM_SET_USER_MEMORY_REGION: " + e.getMessage(), e.errno);
        }
    }

    /** A new VCPU with KVM id {@code id}, given the host's CPUID table. */
    public synchronized KvmVcpu createVcpu(int id) {
        if (closed) throw new IllegalStateException("VM closed");
        int vcpuFd;
        try {
            vcpuFd = KvmNative.ioctl(fd, KVM_CREATE_VCPU, id);
        } catch (HostCallException e) {
            throw new KvmException("KVM_CREATE_VCPU: " + e.getMessage(), e.errno);
        }
        try {
            return new KvmVcpu(vcpuFd, kvm.vcpuMmapSize(), kvm.supportedCpuid());
        } catch (RuntimeException e) {
            KvmNative.close(vcpuFd);
            throw e;
        }
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        KvmNative.close(fd);
    }
}
