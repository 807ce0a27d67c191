package dev.zjvm.object.vm;

import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.task.BlockingContext;
import dev.zjvm.object.task.ThreadState;
import dev.zjvm.object.task.Waiter;
import java.util.ArrayList;

/**
 * The page source of one pager-backed VMO: turns accesses to missing pages into page requests and
 * blocks the accessing thread (killably, through core's {@link Waiter}) until the pager supplies
 * the pages, fails them, or detaches. State is guarded by the VMO's page lock.
 */
final class PagerSource implements PageProvider {
    private static final int PAGE = VmoPages.PAGE;

    private final Pager pager;
    private final PageRequestSink sink;
    private final long key;
    private VmoPages pages;
    // Guarded by pages.lock.
    private final ArrayList<Request> outstanding = new ArrayList<>();
    private final ArrayList<Waiter> waiters = new ArrayList<>();
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
    public void provide(VmoPages p, long offset, long length, BlockingContext who) {
        long first = offset / PAGE;
        long end = (offset + length + PAGE - 1) / PAGE;
        Request waitedOn = null;
        long waitedPage = -1;
        while (true) {
            Waiter w = new Waiter();
            synchronized (p.lock) {
                if (waitedOn != null && waitedOn.failStatus != 0 && !p.isPresent(waitedPage)) {
                    throw new ZxException(waitedOn.failStatus, "pager failed the page");
                }
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
                waitedOn = r;
                waitedPage = missing;
                waiters.add(w);
            }
            int status = w.await(who, ThreadState.BLOCKED_PAGER, pager.kernel().clock(), Waiter.INFINITE);
            synchronized (p.lock) {
                waiters.remove(w);
            }
            if (status != ZxStatus.OK) throw new ZxException(status, "wait for pager ended");
        }
    }

    /** Wakes every waiter so it re-checks its pages. Caller holds pages.lock. */
    @Override
    public void wakeAllLocked() {
        for (Waiter w : waiters) w.wake(ZxStatus.OK);
        waiters.clear();
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
        wakeAllLocked();
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
            wakeAllLocked();
        }
    }

    /** Ends the pager relationship: waiters and future faults fail with BAD_STATE. */
    void detach() {
        synchronized (pages.lock) {
            if (detached) return;
            detached = true;
            outstanding.clear();
            wakeAllLocked();
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
