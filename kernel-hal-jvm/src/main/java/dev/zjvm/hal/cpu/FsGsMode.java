package dev.zjvm.hal.cpu;

import dev.zjvm.hal.host.CpuFeatures;

/**
 * How the trampoline switches the fs base between guest and host and finds the context.
 *
 * <ul>
 *   <li>{@link #FSGSBASE}: {@code rdfsbase/wrfsbase/rdgsbase/wrgsbase}, a few ns each. Needs the
 *       kernel to enable FSGSBASE for user space (AT_HWCAP2 bit 1).</li>
 *   <li>{@link #ARCH_PRCTL}: two {@code arch_prctl(ARCH_SET_FS)} system calls per round trip, and the
 *       gs base set once per (thread, context) by Java. Roughly 4x slower; works on any x86-64 Linux.
 *       The guest's fs base is then only what the kernel set through {@link UserContext#setFsBase}
 *       (it cannot be read back from the CPU). Not safe for virtual threads that change carrier
 *       while a context is bound (the gs base is per OS thread and only re-set on bind).</li>
 * </ul>
 */
public enum FsGsMode {
    FSGSBASE, ARCH_PRCTL;

    /** FSGSBASE when the host supports it, otherwise the arch_prctl fallback. */
    public static FsGsMode detect() { return CpuFeatures.fsgsbase() ? FSGSBASE : ARCH_PRCTL; }

    /** Whether this mode can run on the current host. */
    public boolean supported() { return this == ARCH_PRCTL || CpuFeatures.fsgsbase(); }
}
