package dev.zjvm.object.task;

/**
 * What the host measured for the Java thread running a guest thread ({@code zx_info_thread_stats_t}).
 *
 * @param runtimeNanos CPU time of the runner while it ran this thread (guest code and the kernel
 *                     calls it made), 0 if it never ran
 * @param hostCpu      host CPU the runner last ran on, or -1 if it never ran
 */
public record ThreadRuntime(long runtimeNanos, int hostCpu) {
    public static final ThreadRuntime NEVER_RAN = new ThreadRuntime(0, -1);
}
