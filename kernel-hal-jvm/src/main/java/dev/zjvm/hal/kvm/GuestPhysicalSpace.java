package dev.zjvm.hal.kvm;

import dev.zjvm.hal.mem.GuestAddressReservation;
import dev.zjvm.hal.mem.GuestAddressSpace;
import dev.zjvm.hal.mem.MemoryExtent;
import dev.zjvm.hal.mem.MemoryLimitException;
import dev.zjvm.hal.mem.NativeAddressSpace;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * A guest's physical address space {@code [0, size)} as a {@link GuestAddressSpace}, so the kernel's
 * VMAR code manages it like any address space. Guest-physical {@code g} lives at host address
 * {@code host.base() + g} in a native slice of its own reservation; VMO mappings are real shared
 * mappings of the VMO's memfd pages there, and KVM memory slots expose the mapped ranges to the VCPUs.
 *
 * <p>Trap ranges ({@link #addHole}) are left out of every slot, so guest accesses there leave
 * {@code KVM_RUN} as MMIO exits. Slots cover the mapped ranges (merged when adjacent) minus the holes;
 * they are recomputed after each change. Methods are serialized on this object, which also keeps host
 * reads of guest memory ({@link #read}) from racing an unmap.
 */
public final class GuestPhysicalSpace implements GuestAddressSpace {
    private static final int PAGE = 4096;

    private record Region(long start, long end, int prot) {}

    private record Slot(int id, long start, long end) {}

    private final KvmVm vm;
    private final long size;
    private final GuestAddressReservation reservation;
    private final NativeAddressSpace host;
    private final TreeMap<Long, Region> regions = new TreeMap<>();
    private final TreeMap<Long, Long> holes = new TreeMap<>();
    private final TreeMap<Long, Slot> slots = new TreeMap<>();
    private final BitSet usedSlotIds = new BitSet();
    private boolean closed;

    /**
     * @throws MemoryLimitException if the host has no room for the reservation
     */
    public GuestPhysicalSpace(KvmVm vm, long size) {
        if (size <= 0 || size % PAGE != 0) throw new IllegalArgumentException("guest-physical size");
        this.vm = vm;
        this.size = size;
        this.reservation = GuestAddressReservation.create(size);
        try {
            this.host = reservation.carve(size);
        } catch (RuntimeException e) {
            reservation.close();
            throw e;
        }
    }

    @Override public long base() { return 0; }
    @Override public long size() { return size; }
    /** Guest-physical addresses are not host addresses: no process thread runs here. */
    @Override public boolean isNative() { return false; }

    @Override
    public synchronized void map(long vaddr, MemoryExtent extent, long extentOffset, long length, int prot) {
        check(vaddr, length);
        host.map(host.base() + vaddr, extent, extentOffset, length, prot);
        replace(vaddr, vaddr + length, new Region(vaddr, vaddr + length, prot));
        try {
            syncSlots();
        } catch (MemoryLimitException e) {
            host.unmap(host.base() + vaddr, length);
            replace(vaddr, vaddr + length, null);
            syncSlotsQuietly();
            throw e;
        }
    }

    @Override
    public synchronized void protect(long vaddr, long length, int prot) {
        check(vaddr, length);
        host.protect(host.base() + vaddr, length, prot);
        List<Region> covered = new ArrayList<>();
        split(vaddr);
        split(vaddr + length);
        for (Region r : regions.subMap(vaddr, true, vaddr + length, false).values()) covered.add(r);
        for (Region r : covered) regions.put(r.start(), new Region(r.start(), r.end(), prot));
    }

    @Override
    public synchronized void unmap(long vaddr, long length) {
        check(vaddr, length);
        host.unmap(host.base() + vaddr, length);
        replace(vaddr, vaddr + length, null);
        syncSlotsQuietly();
    }

    /**
     * Keeps {@code [start, start + length)} out of the memory slots, so guest accesses exit to us.
     *
     * @throws MemoryLimitException if KVM has no slot left for the split
     */
    public synchronized void addHole(long start, long length) {
        check(start, length);
        holes.put(start, start + length);
        try {
            syncSlots();
        } catch (MemoryLimitException e) {
            holes.remove(start);
            syncSlotsQuietly();
            throw e;
        }
    }

    /**
     * Copies guest-physical memory to {@code dst} if every byte is mapped readable; false otherwise
     * (nothing is read then, so an unmapped page can never fault the JVM).
     */
    public synchronized boolean read(long gpa, byte[] dst) {
        if (closed || gpa < 0 || gpa > size - dst.length) return false;
        long at = gpa, end = gpa + dst.length;
        while (at < end) {
            Map.Entry<Long, Region> e = regions.floorEntry(at);
            if (e == null || e.getValue().end() <= at || (e.getValue().prot() & PROT_READ) == 0) return false;
            at = e.getValue().end();
        }
        MemorySegment src = MemorySegment.ofAddress(host.base() + gpa).reinterpret(dst.length);
        MemorySegment.copy(src, JAVA_BYTE, 0, dst, 0, dst.length);
        return true;
    }

    /** Number of KVM memory slots in use (tests). */
    public synchronized int slotCount() {
        return slots.size();
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (Slot s : slots.values()) {
            try {
                vm.setMemorySlot(s.id(), s.start(), 0, 0);
            } catch (RuntimeException ignored) {
                // the VM may be closed already; its slots went with it
            }
        }
        slots.clear();
        host.close();
        reservation.close();
    }

    private void check(long start, long length) {
        if (closed) throw new IllegalStateException("guest-physical space closed");
        if (start < 0 || length <= 0 || start % PAGE != 0 || length % PAGE != 0 || start > size - length) {
            throw new IllegalArgumentException("bad guest-physical range 0x" + Long.toHexString(start) + "+0x" + Long.toHexString(length));
        }
    }

    /** Splits the region containing {@code at} so a region boundary falls on it. */
    private void split(long at) {
        Map.Entry<Long, Region> e = regions.lowerEntry(at);
        if (e == null || e.getValue().end() <= at) return;
        Region r = e.getValue();
        regions.put(r.start(), new Region(r.start(), at, r.prot()));
        regions.put(at, new Region(at, r.end(), r.prot()));
    }

    private void replace(long start, long end, Region with) {
        split(start);
        split(end);
        regions.subMap(start, true, end, false).clear();
        if (with != null) regions.put(start, with);
    }

    /** The ranges slots should cover: mapped regions merged when adjacent, minus the holes. */
    private List<long[]> wantedSlots() {
        List<long[]> merged = new ArrayList<>();
        for (Region r : regions.values()) {
            long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && last[1] == r.start()) last[1] = r.end();
            else merged.add(new long[] {r.start(), r.end()});
        }
        List<long[]> out = new ArrayList<>();
        for (long[] m : merged) {
            long at = m[0];
            Map.Entry<Long, Long> h = holes.floorEntry(at);
            if (h != null && h.getValue() > at) at = h.getValue();
            for (Map.Entry<Long, Long> hole : holes.subMap(at, true, m[1], false).entrySet()) {
                if (hole.getKey() > at) out.add(new long[] {at, hole.getKey()});
                at = Math.max(at, hole.getValue());
            }
            if (at < m[1]) out.add(new long[] {at, m[1]});
        }
        return out;
    }

    private void syncSlots() {
        if (closed) return;
        List<long[]> wanted = wantedSlots();
        TreeMap<Long, Long> want = new TreeMap<>();
        for (long[] w : wanted) want.put(w[0], w[1]);
        if (want.size() > vm.maxMemorySlots()) {
            throw new MemoryLimitException("guest memory needs " + want.size() + " KVM slots, host allows " + vm.maxMemorySlots());
        }
        // Delete first: KVM refuses overlapping slots.
        for (Slot s : List.copyOf(slots.values())) {
            Long end = want.get(s.start());
            if (end != null && end == s.end()) continue;
            vm.setMemorySlot(s.id(), s.start(), 0, 0);
            slots.remove(s.start());
            usedSlotIds.clear(s.id());
        }
        for (Map.Entry<Long, Long> w : want.entrySet()) {
            if (slots.containsKey(w.getKey())) continue;
            int id = usedSlotIds.nextClearBit(0);
            try {
                vm.setMemorySlot(id, w.getKey(), w.getValue() - w.getKey(), host.base() + w.getKey());
            } catch (KvmException e) {
                throw new MemoryLimitException("KVM refused a memory slot: " + e.getMessage());
            }
            usedSlotIds.set(id);
            slots.put(w.getKey(), new Slot(id, w.getKey(), w.getValue()));
        }
    }

    private void syncSlotsQuietly() {
        try {
            syncSlots();
        } catch (RuntimeException ignored) {
            // shrinking never needs more slots; a refusal here leaves slots over unmapped (PROT_NONE) memory,
            // which the guest only reaches as a memory fault
        }
    }
}
