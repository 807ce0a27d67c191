package dev.zjvm.object.hypervisor;

import dev.zjvm.object.ipc.Port;

/**
 * One {@code zx_guest_set_trap} range {@code [start, end)}: guest-physical addresses for BELL and MEM,
 * IO ports for IO. {@code port} is null for synchronous traps (the packet is returned by
 * {@code zx_vcpu_resume}); a BELL trap always has one (the packet is queued and the VCPU goes on).
 */
public record Trap(int kind, long start, long end, Port port, long key) {
    public static final int BELL = 0;
    public static final int MEM = 1;
    public static final int IO = 2;

    public boolean contains(long address) {
        return address >= start && address < end;
    }
}
