package dev.zjvm.object.ipc;

import dev.zjvm.object.handle.Handle;
import java.util.ArrayDeque;

/**
 * Destroys handles that die with a message or queue. Destroying a channel handle can close that
 * channel, whose queue holds more handles, and so on: a guest can nest channels arbitrarily deep.
 * Handles found while a reap is already running on this thread are queued and destroyed by the
 * outer loop, so the depth of the Java stack stays constant.
 */
final class HandleReaper {
    // Per-thread scratch (not kernel state): the work list of the reap running on this thread.
    private static final ThreadLocal<ArrayDeque<Handle>> PENDING = new ThreadLocal<>();

    private HandleReaper() {}

    static void destroy(Iterable<Handle> handles) {
        ArrayDeque<Handle> running = PENDING.get();
        if (running != null) {
            for (Handle h : handles) running.add(h);
            return;
        }
        ArrayDeque<Handle> work = new ArrayDeque<>();
        for (Handle h : handles) work.add(h);
        PENDING.set(work);
        try {
            for (Handle h; (h = work.poll()) != null; ) h.destroy();
        } finally {
            PENDING.remove();
        }
    }
}
