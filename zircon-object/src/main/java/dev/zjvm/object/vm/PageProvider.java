package dev.zjvm.object.vm;

/** Fills pages of a {@link VmoPages} that are not present yet (a user pager, or a copy-on-write parent). */
interface PageProvider {
    /**
     * Makes every page overlapping {@code [offset, offset + length)} present, blocking if needed.
     * Called without any VMO lock held.
     *
     * @throws dev.zjvm.object.ZxException the status the pages failed with
     */
    void provide(VmoPages pages, long offset, long length);

    /** The pager behind these pages, or null. */
    default Pager pager() {
        return null;
    }
}
