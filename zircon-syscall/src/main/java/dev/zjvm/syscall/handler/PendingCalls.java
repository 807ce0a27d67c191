package dev.zjvm.syscall.handler;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.ipc.Channel;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Channel calls interrupted between {@code channel_call_noretry} and {@code channel_call_finish}
 * (a suspend), per calling thread. Weak keys: a thread that dies without finishing leaves nothing.
 */
final class PendingCalls {
    record Pending(Channel channel, Channel.Call call) {}

    private final Map<Object, Pending> byThread = new WeakHashMap<>();

    private PendingCalls(Kernel kernel) {}

    static PendingCalls of(Kernel kernel) {
        return kernel.service(PendingCalls.class, PendingCalls::new);
    }

    synchronized void put(Object thread, Pending p) {
        byThread.put(thread, p);
    }

    /** Removes and returns the thread's pending call, or null. */
    synchronized Pending take(Object thread) {
        return thread == null ? null : byThread.remove(thread);
    }
}
