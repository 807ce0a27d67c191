package dev.zjvm.hal.cpu;

import dev.zjvm.hal.host.HostMemory;
import dev.zjvm.hal.signal.SignalShim;

/**
 * Prepares the calling OS thread for a context (run() asked with RUN_NEED_BIND) and undoes it when a
 * guest thread ends. Binding is per (context, OS thread): one system-call round trip to Java, taken on
 * a context's first run on a thread.
 */
final class ThreadBinding {
    private ThreadBinding() {}

    static void bind(long ctx, FsGsMode mode, SignalShim shim) {
        long fs = shim.prepareCurrentThread();
        if (mode == FsGsMode.ARCH_PRCTL) HostThreadState.setGsBase(ctx);   // run() cannot wrgsbase here
        HostMemory.putLong(ctx + ContextLayout.BOUND_REC, shim.currentThreadRecord());
        HostMemory.putLong(ctx + ContextLayout.BOUND_FS, fs);
    }

    /**
     * Called on a thread that will run no more guests (it is about to end): frees its alternate signal
     * stack and unbinds every context bound to it, because glibc reuses a dead thread's TCB (its fs
     * base) for new threads, which must not pass run()'s bind check.
     */
    static void releaseCurrentThread(SignalShim shim) {
        long fs = HostThreadState.fsBase();
        ContextArena.global().forEachAllocated(c -> {
            if (HostMemory.getLong(c + ContextLayout.BOUND_FS) == fs) HostMemory.putLong(c + ContextLayout.BOUND_FS, 0);
        });
        shim.releaseCurrentThread();
    }
}
