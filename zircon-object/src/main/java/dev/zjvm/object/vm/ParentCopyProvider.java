package dev.zjvm.object.vm;

import dev.zjvm.object.task.BlockingContext;
import java.lang.foreign.MemorySegment;

/**
 * Fills a copy-on-write child of a pager-backed VMO lazily from its parent: a page is copied the
 * first time the child touches it (the parent may have to ask its pager first). Copying eagerly
 * at creation would block the creator on pages nobody asked for.
 */
final class ParentCopyProvider implements PageProvider {
    private final Vmo parent;
    private final long parentOffset;

    ParentCopyProvider(Vmo parent, long parentOffset) {
        this.parent = parent;
        this.parentOffset = parentOffset;
    }

    @Override
    public Pager pager() {
        PageProvider p = parent.pages().provider();
        return p == null ? null : p.pager();
    }

    Vmo parent() {
        return parent;
    }

    @Override
    public void provide(VmoPages pages, long offset, long length, BlockingContext who) {
        long first = offset / VmoPages.PAGE;
        long end = (offset + length + VmoPages.PAGE - 1) / VmoPages.PAGE;
        byte[] buf = new byte[VmoPages.PAGE];
        MemorySegment seg = MemorySegment.ofArray(buf);
        for (long page = first; page < end; page++) {
            synchronized (pages.lock) {
                if (pages.isPresent(page)) continue;
            }
            long at = page * VmoPages.PAGE;
            long parentAt = parentOffset + at;
            long parentSize = parent.size();
            java.util.Arrays.fill(buf, (byte) 0);
            // Beyond the parent's end the child sees zeros (as a clone beyond parent_limit does).
            if (parentAt < parentSize) parent.read(parentAt, seg, 0, Math.min(VmoPages.PAGE, parentSize - parentAt), who);
            synchronized (pages.lock) {
                if (pages.isPresent(page)) continue;
                pages.write(at, seg, 0, VmoPages.PAGE);
                pages.markPresent(page, page + 1);
            }
        }
    }
}
