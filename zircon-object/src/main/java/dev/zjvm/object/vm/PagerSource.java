package dev.zjvm.object.vm;

import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import java.util.ArrayList;

/**
 * The page source of one pager-backed VMO: turns accesses to missing pages into page requests and
 * blocks the accessing thread until the pager supplies the pages, fails them, or detaches.
 * State is guarded by the VMO's page lock, on which waiters wait.
 */
final class PagerSource implements PageProvider {
    private static final int PAGE = VmoPages.PAGE;

    private final Pager pager;
    private final PageRequestSink sink;
    private final long key;
    private VmoPages pages;
    // Guarded by pages.lock.
    private final ArrayList<Request> outstanding = new ArrayList<>();
    private boolean detached;
    private boolean completeSent;

    /** One READ request sent to the pager: pages {@code [first, end)}. */
    private static final class Request {
        final long first;
        final long end;
        int failStatus;

        Request(long first, long end) {
            this.first = first;
            this.end = end;
        }
    }

    PagerSource(Pager pager, PageRequestSink sink, long key) {
        this.pager = pager;
        this.sink = sink;
        this.key = key;
    }

    void bind(VmoPages pages) {
        this.pages = pages;
    }

    @Override
    public Pager pager() {
        return pager;
    }

    @Override
    public void provide(VmoPages p, long offset, long length) {
        long first = offset / PAGE;
        long end = (offset + length + PAGE - 1) / PAGE;
        synchronized (p.lock) {
            while (true) {
                if (offset + length > p.validLength()) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE, "vmo shrank");
                long missing = p.firstMissing(first, end);
                if (missing < 0) return;
                if (detached) throw new ZxException(ZxStatus.ERR_BAD_STATE, "pager detached");
                Request r = find(missing);
                if (r == null) {
                    r = new Request(missing, p.missingRunEnd(missing, end));
                    outstanding.add(r);
                    sink.pageRequest(key, PageRequestSink.COMMAND_READ, r.first * PAGE, (r.end - r.first) * PAGE);
                }
                while (!p.isPresent(missing) && r.failStatus == 0 && !detached && (missing + 1) * PAGE <= p.validLength()) {
                    try {
                        p.lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new ZxException(ZxStatus.ERR_CANCELED, "interrupted waiting for pager");
                    }
                }
                if (!p.isPresent(missing) && r.failStatus != 0) throw new ZxException(r.failStatus, "pager failed the page");
            }
        }
    }

    private Request find(long page) {
        for (Request r : outstanding) {
            if (r.first <= page && page < r.end) return r;
        }
        return null;
    }

    /** Pages became present: drop the requests they complete and wake waiters. Caller holds pages.lock. */
    void suppliedLocked() {
        outstanding.removeIf(r -> pages.firstMissing(r.first, r.end) < 0);
        pages.lock.notifyAll();
    }

    /** {@code ZX_PAGER_OP_FAIL}: outstanding requests overlapping the range fail with {@code status}. */
    void fail(long offset, long length, int status) {
        long first = offset / PAGE;
        long end = (offset + length) / PAGE;
        synchronized (pages.lock) {
            outstanding.removeIf(r -> {
                if (r.first < end && first < r.end) {
                    r.failStatus = status;
                    return true;
                }
                return false;
            });
            pages.lock.notifyAll();
        }
    }

    /** Ends the pager relationship: waiters and future faults fail with BAD_STATE. */
    void detach() {
        synchronized (pages.lock) {
            if (detached) return;
            detached = true;
            outstanding.clear();
            pages.lock.notifyAll();
            sendCompleteLocked();
        }
    }

    boolean isDetached() {
        synchronized (pages.lock) {
            return detached;
        }
    }

    void vmoDestroyed() {
        synchronized (pages.lock) {
            sendCompleteLocked();
        }
        pager.forget(this);
    }

    private void sendCompleteLocked() {
        if (completeSent) return;
        completeSent = true;
        sink.pageRequest(key, PageRequestSink.COMMAND_COMPLETE, 0, 0);
    }
}
