package dev.zjvm.object.sched;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.task.Thread;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The profile last applied to each thread by {@code zx_object_set_profile}, for diagnostics (the
 * effect is the thread's {@link dev.zjvm.object.task.ThreadSchedule}). One per kernel; threads are
 * held weakly.
 */
public final class ThreadProfiles {
    private final Map<Thread, Profile> applied = new WeakHashMap<>();

    public static ThreadProfiles of(Kernel kernel) {
        return kernel.service(ThreadProfiles.class, k -> new ThreadProfiles());
    }

    public synchronized void apply(Thread thread, Profile profile) {
        applied.put(thread, profile);
    }

    /** The profile applied to {@code thread}, or null. */
    public synchronized Profile of(Thread thread) {
        return applied.get(thread);
    }
}
