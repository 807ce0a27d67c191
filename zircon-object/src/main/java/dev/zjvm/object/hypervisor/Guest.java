package dev.zjvm.object.hypervisor;

import dev.zjvm.hal.kvm.GuestPhysicalSpace;
import dev.zjvm.hal.kvm.Kvm;
import dev.zjvm.hal.kvm.KvmException;
import dev.zjvm.hal.kvm.KvmVm;
import dev.zjvm.hal.mem.MemoryLimitException;
import dev.zjvm.object.Kernel;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.ipc.Port;
import dev.zjvm.object.task.Thread;
import dev.zjvm.object.vm.VmAddressSpace;
import dev.zjvm.object.vm.Vmar;
import java.util.BitSet;

/**
 * A guest ({@code zx_guest_create}): a KVM virtual machine, its guest-physical address space (a
 * VMAR whose mappings become KVM memory slots) and its traps. It lives while it has handles or
 * VCPUs; then the VM and the guest-physical space are released.
 */
public final class Guest extends KernelObject {
    /** Size of the guest-physical address space (64 GiB, as for a process address space). */
    public static final long PHYSICAL_SIZE = 1L << 36;
    /** Zircon's per-guest VCPU limit. */
    public static final int MAX_VCPUS = 64;
    /** VCPUs ever created per guest (KVM's KVM_MAX_VCPU_IDS is at least this on x86). */
    private static final int MAX_KVM_IDS = 1024;
    private static final long PAGE = 4096;
    /** IO ports a trap may cover: Zircon refuses {@code addr + size > UINT16_MAX}. */
    private static final long IO_LIMIT = 0xffff;

    private final Hypervisor hypervisor;
    private final KvmVm vm;
    private final GuestPhysicalSpace physical;
    private final VmAddressSpace aspace;
    private final TrapTable traps = new TrapTable();
    private final BitSet vcpuIds = new BitSet();
    private final java.util.Set<Vcpu> vcpus = new java.util.HashSet<>();
    /** KVM never frees a VCPU id before the VM ends, so KVM ids only grow (Zircon's ids are reused). */
    private int nextKvmId;
    private boolean noHandles;
    private boolean shut;

    private Guest(Kernel kernel, Hypervisor hypervisor, KvmVm vm, GuestPhysicalSpace physical) {
        super(kernel);
        this.hypervisor = hypervisor;
        this.vm = vm;
        this.physical = physical;
        this.aspace = VmAddressSpace.over(kernel, physical);
    }

    /**
     * A new guest.
     *
     * @throws ZxException NOT_SUPPORTED without usable KVM, NO_MEMORY if the host refuses the VM or
     *     its address space
     */
    public static Guest create(Kernel kernel) {
        Hypervisor h = Hypervisor.of(kernel);
        Kvm kvm = h.kvm();
        if (kvm == null) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED, "no hypervisor: " + h.unavailableReason());
        KvmVm vm;
        try {
            vm = kvm.createVm();
        } catch (KvmException e) {
            throw new ZxException(ZxStatus.ERR_NO_MEMORY, e.getMessage());
        }
        GuestPhysicalSpace physical;
        try {
            physical = new GuestPhysicalSpace(vm, PHYSICAL_SIZE);
        } catch (MemoryLimitException e) {
            vm.close();
            throw new ZxException(ZxStatus.ERR_NO_MEMORY, e.getMessage());
        }
        Guest g = new Guest(kernel, h, vm, physical);
        if (!h.register(g)) {
            g.shutdown();
            throw new ZxException(ZxStatus.ERR_BAD_STATE, "kernel shutting down");
        }
        return g;
    }

    @Override
    public ObjectType type() {
        return ObjectType.GUEST;
    }

    /** The root VMAR of guest-physical memory. */
    public Vmar physicalVmar() {
        return aspace.root();
    }

    KvmVm vm() {
        return vm;
    }

    GuestPhysicalSpace physical() {
        return physical;
    }

    TrapTable traps() {
        return traps;
    }

    /**
     * {@code zx_guest_set_trap} after handle checks; {@code port} is null for ZX_HANDLE_INVALID.
     *
     * @throws ZxException INVALID_ARGS (bad kind, port use, alignment, empty), OUT_OF_RANGE,
     *     ALREADY_EXISTS, NO_MEMORY
     */
    public void setTrap(int kind, long addr, long size, Port port, long key) {
        switch (kind) {
            case Trap.MEM -> { if (port != null) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "MEM traps are synchronous"); }
            case Trap.BELL -> { if (port == null) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "BELL traps need a port"); }
            case Trap.IO -> { if (port != null) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "IO traps are synchronous"); }
            default -> throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "trap kind " + kind);
        }
        if (size == 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "empty trap");
        if (Long.compareUnsigned(addr + size, addr) < 0) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE);
        if (kind == Trap.IO) {
            if (Long.compareUnsigned(addr + size, IO_LIMIT) > 0) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE, "IO ports end at 0xffff");
            traps.insert(new Trap(kind, addr, addr + size, null, key));
            return;
        }
        if (addr % PAGE != 0 || size % PAGE != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "unaligned trap");
        if (Long.compareUnsigned(addr + size, PHYSICAL_SIZE) > 0) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE);
        synchronized (lock) {
            if (shut) throw new ZxException(ZxStatus.ERR_BAD_STATE);
            Trap t = new Trap(kind, addr, addr + size, port, key);
            traps.insert(t);
            try {
                physical.addHole(addr, size);
            } catch (MemoryLimitException e) {
                traps.remove(t);
                throw new ZxException(ZxStatus.ERR_NO_MEMORY, e.getMessage());
            }
        }
    }

    /**
     * {@code zx_vcpu_create} after handle checks: a VCPU owned by {@code thread}, entering at {@code entry}.
     *
     * @throws ZxException INVALID_ARGS (entry outside guest-physical memory), BAD_STATE (the thread has a
     *     VCPU already), NO_RESOURCES (VCPU limit), NO_MEMORY (host refusal)
     */
    public Vcpu createVcpu(Thread thread, long entry) {
        if (Long.compareUnsigned(entry, PHYSICAL_SIZE) >= 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "entry outside the guest");
        int id;
        synchronized (lock) {
            if (shut) throw new ZxException(ZxStatus.ERR_BAD_STATE);
            id = vcpuIds.nextClearBit(0);
            if (id >= MAX_VCPUS) throw new ZxException(ZxStatus.ERR_NO_RESOURCES);
            vcpuIds.set(id);
        }
        try {
            Vcpu v = Vcpu.create(this, hypervisor, thread, id, entry);
            synchronized (lock) {
                vcpus.add(v);
            }
            return v;
        } catch (RuntimeException e) {
            vcpuGone(id);
            throw e;
        }
    }

    /** A fresh KVM VCPU id. */
    int allocateKvmId() {
        synchronized (lock) {
            if (nextKvmId >= MAX_KVM_IDS) throw new ZxException(ZxStatus.ERR_NO_RESOURCES, "KVM VCPU ids used up");
            return nextKvmId++;
        }
    }

    /** A VCPU released its id; the guest ends if nothing refers to it any more. */
    void vcpuGone(int id) {
        vcpuGone(id, null);
    }

    void vcpuGone(int id, Vcpu vcpu) {
        boolean end;
        synchronized (lock) {
            if (vcpu != null) vcpus.remove(vcpu);
            vcpuIds.clear(id);
            end = noHandles && vcpuIds.isEmpty();
        }
        if (end) shutdown();
    }

    @Override
    protected void onZeroHandles() {
        boolean end;
        synchronized (lock) {
            noHandles = true;
            end = vcpuIds.isEmpty();
        }
        if (end) shutdown();
    }

    /** Releases the VM and guest-physical memory (kernel shutdown or last reference gone). Idempotent. */
    void shutdown() {
        java.util.List<Vcpu> live;
        synchronized (lock) {
            if (shut) return;
            shut = true;
            live = java.util.List.copyOf(vcpus);
        }
        for (Vcpu v : live) v.close();
        hypervisor.unregister(this);
        aspace.close();
        vm.close();
    }

    public boolean isShutDown() {
        synchronized (lock) {
            return shut;
        }
    }
}
