package dev.zjvm.hal.cpu;

import dev.zjvm.hal.host.HostMemory;
import dev.zjvm.hal.host.Libc;

import java.util.BitSet;
import java.util.function.LongConsumer;

/**
 * Every context block of the process lives in one reserved region of 4 KiB slots. The signal handler
 * gets a candidate context from a thread's gs base, which it must not trust; because each valid
 * context is a slot here, two compares and an alignment test validate it before anything is read.
 * Process-wide by necessity (the handler is), so all kernels in the JVM share it; slots are committed
 * by the OS only when touched.
 */
public final class ContextArena {
    public static final int SLOTS = 4096;

    private static final class Holder {
        static final ContextArena INSTANCE = new ContextArena();
    }

    private final long low;
    private final BitSet used = new BitSet(SLOTS);

    private ContextArena() {
        low = HostMemory.map((long) SLOTS * ContextLayout.SIZE, Libc.PROT_READ | Libc.PROT_WRITE);
    }

    public static ContextArena global() { return Holder.INSTANCE; }

    public long low() { return low; }

    public long high() { return low + (long) SLOTS * ContextLayout.SIZE; }

    /** A zeroed slot with SELF and MAGIC set. */
    synchronized long allocate() {
        int i = used.nextClearBit(0);
        if (i >= SLOTS) throw new IllegalStateException("all " + SLOTS + " guest contexts are in use");
        used.set(i);
        long c = low + (long) i * ContextLayout.SIZE;
        HostMemory.segment(c, ContextLayout.SIZE).fill((byte) 0);
        HostMemory.putLong(c + ContextLayout.SELF, c);
        HostMemory.putLong(c + ContextLayout.MAGIC, ContextLayout.MAGIC_VALUE);
        return c;
    }

    /** The slot must not be running on any thread. Clearing MAGIC makes the signal handler ignore it. */
    synchronized void free(long c) {
        HostMemory.putLong(c + ContextLayout.MAGIC, 0);
        HostMemory.putLong(c + ContextLayout.BOUND_FS, 0);
        used.clear((int) ((c - low) / ContextLayout.SIZE));
    }

    /** Applies f to the address of every allocated context. */
    public synchronized void forEachAllocated(LongConsumer f) {
        for (int i = used.nextSetBit(0); i >= 0; i = used.nextSetBit(i + 1)) f.accept(low + (long) i * ContextLayout.SIZE);
    }
}
