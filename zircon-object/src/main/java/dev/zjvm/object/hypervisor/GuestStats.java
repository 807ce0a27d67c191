package dev.zjvm.object.hypervisor;

/**
 * Per-host-CPU VM entry and exit counters of a kernel's guests ({@code ZX_INFO_GUEST_STATS}). Exits
 * KVM handles itself (CPUID, MSR, control register, XSETBV, PAUSE, VMCALL) never reach us and stay 0;
 * MMIO exits and memory faults count as EPT violations. Thread-safe.
 */
public final class GuestStats {
    /** The x86 {@code zx_info_guest_stats_t} counters after cpu_number and flags, in order. */
    public static final int VM_ENTRIES = 0, VM_EXITS = 1, INTERRUPTS = 2, INTERRUPT_WINDOWS = 3, CPUID = 4, HLT = 5,
            CONTROL_REGISTER = 6, IO = 7, RDMSR = 8, WRMSR = 9, EPT_VIOLATIONS = 10, XSETBV = 11, PAUSE = 12, VMCALL = 13,
            COUNTERS = 14;

    private final long[][] perCpu;

    GuestStats(int cpus) {
        perCpu = new long[Math.max(1, cpus)][COUNTERS];
    }

    public int cpus() {
        return perCpu.length;
    }

    void add(int cpu, int counter) {
        if (cpu < 0 || cpu >= perCpu.length) cpu = 0; // a CPU the JVM was not told about: count it somewhere
        synchronized (perCpu[cpu]) {
            perCpu[cpu][counter]++;
        }
    }

    /** A copy of one CPU's counters. */
    public long[] of(int cpu) {
        synchronized (perCpu[cpu]) {
            return perCpu[cpu].clone();
        }
    }
}
