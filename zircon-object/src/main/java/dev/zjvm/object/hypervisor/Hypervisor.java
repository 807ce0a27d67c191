package dev.zjvm.object.hypervisor;

import dev.zjvm.hal.kvm.Kvm;
import dev.zjvm.hal.kvm.KvmException;
import dev.zjvm.hal.mem.MemfdPhysicalMemory;
import dev.zjvm.object.Kernel;
import dev.zjvm.object.task.Thread;
import java.util.HashSet;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * A kernel's hypervisor: its {@code /dev/kvm}, the live guests (closed with the kernel) and which
 * guest thread owns which VCPU (Zircon ties a VCPU to the thread that created it). A kernel service.
 */
public final class Hypervisor implements AutoCloseable {
    private final Kernel kernel;
    private Kvm kvm;
    private String unavailable;
    private final Set<Guest> guests = new HashSet<>();
    private final WeakHashMap<Thread, Vcpu> vcpuOfThread = new WeakHashMap<>();
    private final GuestStats stats = new GuestStats(Math.min(Runtime.getRuntime().availableProcessors(), 512));
    private boolean closed;

    private Hypervisor(Kernel kernel) {
        this.kernel = kernel;
    }

    /** VM entries and exits of this kernel's guests, per host CPU. */
    public GuestStats stats() {
        return stats;
    }

    public static Hypervisor of(Kernel kernel) {
        return kernel.service(Hypervisor.class, Hypervisor::new);
    }

    /**
     * The KVM device, opened on first use, or null when guests cannot exist here: no usable
     * {@code /dev/kvm}, or VMO memory that cannot be shared with a VM (only memfd pages can).
     */
    synchronized Kvm kvm() {
        if (closed) return null;
        if (kvm != null || unavailable != null) return kvm;
        if (!(kernel.memory() instanceof MemfdPhysicalMemory)) {
            unavailable = "VMO memory is not memfd-backed";
            return null;
        }
        try {
            kvm = Kvm.open();
        } catch (KvmException | LinkageError e) {
            unavailable = e.getMessage();
        }
        return kvm;
    }

    /** Why guests are not supported, or null if they are (after {@link #kvm()} was tried). */
    public synchronized String unavailableReason() {
        kvm();
        return unavailable;
    }

    synchronized boolean register(Guest g) {
        if (closed) return false;
        guests.add(g);
        return true;
    }

    synchronized void unregister(Guest g) {
        guests.remove(g);
    }

    /** Binds {@code vcpu} to {@code thread}; false if the thread already has a VCPU. */
    synchronized boolean bindThread(Thread thread, Vcpu vcpu) {
        if (vcpuOfThread.containsKey(thread)) return false;
        vcpuOfThread.put(thread, vcpu);
        return true;
    }

    synchronized void unbindThread(Thread thread, Vcpu vcpu) {
        vcpuOfThread.remove(thread, vcpu);
    }

    @Override
    public void close() {
        Set<Guest> live;
        synchronized (this) {
            if (closed) return;
            closed = true;
            live = Set.copyOf(guests);
        }
        for (Guest g : live) g.shutdown();
        synchronized (this) {
            if (kvm != null) kvm.close();
        }
    }
}
