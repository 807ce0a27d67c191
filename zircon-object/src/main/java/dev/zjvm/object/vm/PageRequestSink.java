package dev.zjvm.object.vm;

/**
 * Where a pager-backed VMO sends its page requests: the port given to {@code zx_pager_create_vmo}
 * (the syscall layer adapts a Port to this). Called with the VMO's page lock held: it must queue
 * and return, never block.
 */
@FunctionalInterface
public interface PageRequestSink {
    /** {@code ZX_PAGER_VMO_READ}: supply pages {@code [offset, offset + length)}. */
    int COMMAND_READ = 0;
    /** {@code ZX_PAGER_VMO_COMPLETE}: the VMO was detached or destroyed; no more requests. */
    int COMMAND_COMPLETE = 1;

    /** Delivers a {@code ZX_PKT_TYPE_PAGE_REQUEST} packet with this key, command and range. */
    void pageRequest(long key, int command, long offset, long length);
}
