package dev.zjvm.hal.signal;

import dev.zjvm.hal.host.HostMemory;
import dev.zjvm.hal.host.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Alternate signal stacks for the OS threads that run guests, each with a "thread record" page right
 * above it, all in one reserved region. The handler finds the record of the interrupted thread through
 * the kernel's copy of its sigaltstack settings (ucontext.uc_stack) and range-checks it against this
 * region, so it never has to trust fs or gs. Sized generously: HotSpot's own handlers (crash reporting
 * included) run on these stacks for guest threads.
 *
 * <pre>slot = [guard page][stack: STACK_SIZE bytes, registered with sigaltstack][record page]</pre>
 */
final class AltStackArena {
    static final int SLOT = 256 * 1024, SLOTS = 1024, PAGE = HostMemory.PAGE_SIZE;
    static final int STACK_SIZE = SLOT - 2 * PAGE;
    // record fields
    static final int REC_MAGIC = 0x00, REC_HOST_FS = 0x08, REC_TID = 0x10,
            REC_CHAINED = 0x18, REC_FORWARDED = 0x20, REC_TRAPS = 0x28, REC_BASEMASK = 0x30,
            REC_GUEST_CTX = 0x38;   // ctx of a guest with its own gs base last entered on this thread
    static final long REC_MAGIC_VALUE = 0x4345_5254_5848_4e5aL; // "ZNHXTREC"

    final long low;
    private final BitSet used = new BitSet(SLOTS);

    AltStackArena() {
        low = HostMemory.map((long) SLOTS * SLOT, Libc.PROT_READ | Libc.PROT_WRITE);
    }

    long high() { return low + (long) SLOTS * SLOT; }

    /** The calling thread's record, or 0 if its alternate stack (if any) is not one of ours. */
    long currentRecord() {
        try (Arena ar = Arena.ofConfined()) {
            MemorySegment ss = ar.allocate(24, 8);
            check(Libc.sigaltstack(0, ss.address()), "sigaltstack query");
            long sp = ss.get(JAVA_LONG, 0);
            int flags = ss.get(JAVA_INT, 8);
            long size = ss.get(JAVA_LONG, 16);
            if ((flags & LinuxSignals.SS_DISABLE) != 0 || sp < low || sp >= high() || size != STACK_SIZE) return 0;
            return sp + size;
        }
    }

    /** Gives the calling thread one of our alternate stacks and a fresh record; returns the record. */
    long attachCurrentThread(long hostFs) {
        int i = claimSlot();
        long slot = low + (long) i * SLOT, sp = slot + PAGE, rec = sp + STACK_SIZE;
        HostMemory.protect(slot, PAGE, Libc.PROT_NONE);              // guard page below the stack
        HostMemory.segment(rec, 0x40).fill((byte) 0);
        HostMemory.putLong(rec + REC_HOST_FS, hostFs);
        HostMemory.putLong(rec + REC_TID, Libc.gettid());
        HostMemory.putLong(rec + REC_MAGIC, REC_MAGIC_VALUE);
        try (Arena ar = Arena.ofConfined()) {
            MemorySegment ss = ar.allocate(24, 8);
            ss.set(JAVA_LONG, 0, sp);
            ss.set(JAVA_INT, 8, 0);
            ss.set(JAVA_LONG, 16, STACK_SIZE);
            check(Libc.sigaltstack(ss.address(), 0), "sigaltstack register");
        }
        return rec;
    }

    /** Unregisters the calling thread's alternate stack (if ours) and frees its slot. */
    void detachCurrentThread() {
        long rec = currentRecord();
        if (rec == 0) return;
        try (Arena ar = Arena.ofConfined()) {
            MemorySegment ss = ar.allocate(24, 8);
            ss.set(JAVA_INT, 8, LinuxSignals.SS_DISABLE);
            check(Libc.sigaltstack(ss.address(), 0), "sigaltstack disable");
        }
        release(rec);
    }

    private synchronized void release(long rec) {
        HostMemory.putLong(rec + REC_MAGIC, 0);
        used.clear((int) ((rec - low) / SLOT));
    }

    private synchronized int claimSlot() {
        int i = used.nextClearBit(0);
        if (i >= SLOTS) {
            reclaimDeadThreads();
            i = used.nextClearBit(0);
            if (i >= SLOTS) throw new IllegalStateException("all " + SLOTS + " alternate signal stacks are in use");
        }
        used.set(i);
        return i;
    }

    /** Threads that ended without detaching (they did not run under GuestThread) leave their slot behind. */
    private void reclaimDeadThreads() {
        for (int i = used.nextSetBit(0); i >= 0; i = used.nextSetBit(i + 1)) {
            long rec = low + (long) i * SLOT + PAGE + STACK_SIZE;
            long tid = HostMemory.getLong(rec + REC_TID);
            if (!Files.exists(Path.of("/proc/self/task/" + tid))) {
                HostMemory.putLong(rec + REC_MAGIC, 0);
                used.clear(i);
            }
        }
    }

    static void check(int rc, String what) {
        if (rc != 0) throw new IllegalStateException(what + " failed: " + rc);
    }
}
