package dev.zjvm.object.vm;

import dev.zjvm.object.task.BlockingContext;

/** Fills pages of a {@link VmoPages} that are not present yet (a user pager, or a copy-on-write parent). */
interface PageProvider {
    /**
     * Makes every page overlapping {@code [offset, offset + length)} present, blocking if needed.
     * Called without any VMO lock held; {@code who} is the blocking thread (a kill ends the wait).
     *
     * @throws dev.zjvm.object.ZxException the status the pages failed with
     */
    void provide(VmoPages pages, long offset, long length, BlockingContext who);

    /** Wakes every thread waiting for pages so it re-checks (the VMO shrank). Caller holds pages.lock. */
    default void wakeAllLocked() {}

    /** The pager behind these pages, or null. */
    default Pager pager() {
        return null;
    }
}
