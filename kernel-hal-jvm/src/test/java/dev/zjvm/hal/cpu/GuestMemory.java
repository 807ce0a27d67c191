package dev.zjvm.hal.cpu;

import dev.zjvm.hal.host.HostMemory;
import dev.zjvm.hal.host.Libc;

/** Test helper: guest stacks and data pages mapped directly (the address-space code is not under test here). */
final class GuestMemory {
    static final int PAGE = HostMemory.PAGE_SIZE;

    private GuestMemory() {}

    /** A stack of size bytes with an inaccessible page below (guard) and above it; returns its top. */
    static long stack(int size) {
        long base = HostMemory.map(size + 2L * PAGE, Libc.PROT_READ | Libc.PROT_WRITE);
        HostMemory.protect(base, PAGE, Libc.PROT_NONE);
        HostMemory.protect(base + PAGE + size, PAGE, Libc.PROT_NONE);
        return base + PAGE + size;
    }

    static long page(int prot) { return HostMemory.map(PAGE, prot); }

    /** The lowest address of a stack made by {@link #stack}: the guard page starts one page below. */
    static long guardOf(long top, int size) { return top - size - PAGE; }
}
