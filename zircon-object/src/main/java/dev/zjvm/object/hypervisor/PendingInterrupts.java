package dev.zjvm.object.hypervisor;

/** The vectors raised on a VCPU and not yet injected (Zircon's interrupt tracker). Not thread-safe. */
final class PendingInterrupts {
    private final long[] bits = new long[4];

    void add(int vector) {
        bits[vector >>> 6] |= 1L << (vector & 63);
    }

    void remove(int vector) {
        bits[vector >>> 6] &= ~(1L << (vector & 63));
    }

    boolean has(int vector) {
        return (bits[vector >>> 6] & (1L << (vector & 63))) != 0;
    }

    boolean any() {
        return (bits[0] | bits[1] | bits[2] | bits[3]) != 0;
    }

    /** The highest pending vector, or -1. */
    int highest() {
        for (int i = 3; i >= 0; i--) if (bits[i] != 0) return i * 64 + 63 - Long.numberOfLeadingZeros(bits[i]);
        return -1;
    }
}
