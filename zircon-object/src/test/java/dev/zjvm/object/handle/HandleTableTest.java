package dev.zjvm.object.handle;

import static dev.zjvm.object.ZxStatusOf.status;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.ipc.Event;
import dev.zjvm.object.ipc.EventPair;
import dev.zjvm.object.signal.Signals;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class HandleTableTest {
    private final Kernel kernel = Kernel.forTesting(1);
    private final HandleTable table = new HandleTable(kernel.randomLong());


    @Test
    void valuesHaveFixedBitsAndAreNeverZero() {
        for (int i = 0; i < 1000; i++) {
            int v = table.add(Handle.createDefault(new Event(kernel)));
            assertNotEquals(0, v);
            assertEquals(0x3, v & 0x3);
        }
        assertEquals(1000, table.count());
    }

    @Test
    void closedValueIsNotReusedRightAway() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            int v = table.add(Handle.createDefault(new Event(kernel)));
            assertTrue(seen.add(v), "value reused: " + Integer.toHexString(v));
            table.close(v);
            assertEquals(ZxStatus.ERR_BAD_HANDLE, status(() -> table.handle(v)));
        }
    }

    @Test
    void lookupOrderBadHandleThenWrongTypeThenAccessDenied() {
        Event e = new Event(kernel);
        int v = table.add(Handle.create(e, Rights.WAIT));
        assertEquals(ZxStatus.ERR_BAD_HANDLE, status(() -> table.get(0, EventPair.class, Rights.SIGNAL)));
        assertEquals(ZxStatus.ERR_BAD_HANDLE, status(() -> table.get(v ^ 0x10, EventPair.class, Rights.SIGNAL)));
        assertEquals(ZxStatus.ERR_BAD_HANDLE, status(() -> table.get(v & ~1, Event.class, 0)));
        assertEquals(ZxStatus.ERR_WRONG_TYPE, status(() -> table.get(v, EventPair.class, Rights.SIGNAL)));
        assertEquals(ZxStatus.ERR_ACCESS_DENIED, status(() -> table.get(v, Event.class, Rights.SIGNAL)));
        assertSame(e, table.get(v, Event.class, Rights.WAIT));
    }

    @Test
    void valuesDifferBetweenTables() {
        HandleTable other = new HandleTable(kernel.randomLong());
        Event e = new Event(kernel);
        int a = table.add(Handle.createDefault(e));
        int b = other.add(Handle.createDefault(e));
        assertNotEquals(a, b);
        assertEquals(ZxStatus.ERR_BAD_HANDLE, status(() -> other.handle(a)));
    }

    @Test
    void closeZeroIsNoOpAndCloseTwiceIsBadHandle() {
        table.close(0);
        int v = table.add(Handle.createDefault(new Event(kernel)));
        table.close(v);
        assertEquals(ZxStatus.ERR_BAD_HANDLE, status(() -> table.close(v)));
    }

    @Test
    void duplicateChecksRightRightsSubsetAndSameRights() {
        Event e = new Event(kernel);
        int full = table.add(Handle.createDefault(e));
        int noDup = table.add(Handle.create(e, Rights.WAIT | Rights.SIGNAL));
        assertEquals(ZxStatus.ERR_ACCESS_DENIED, status(() -> table.duplicate(noDup, Rights.WAIT)));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, status(() -> table.duplicate(full, Rights.MANAGE_JOB)));
        assertEquals(ZxStatus.ERR_BAD_HANDLE, status(() -> table.duplicate(0, Rights.SAME_RIGHTS)));
        int same = table.duplicate(full, Rights.SAME_RIGHTS);
        assertEquals(e.type().defaultRights(), table.handle(same).rights());
        int fewer = table.duplicate(full, Rights.WAIT);
        assertEquals(Rights.WAIT, table.handle(fewer).rights());
        assertEquals(4, e.handleCount());
        assertEquals(4, table.count());
    }

    @Test
    void replaceConsumesSourceEvenOnBadRights() {
        EventPair[] p = EventPair.create(kernel);
        int v = table.add(Handle.create(p[0], Rights.WAIT | Rights.SIGNAL));
        int r = table.replace(v, Rights.WAIT);
        assertEquals(ZxStatus.ERR_BAD_HANDLE, status(() -> table.handle(v)));
        assertEquals(Rights.WAIT, table.handle(r).rights());
        // The object never saw zero handles: the peer is not closed.
        assertEquals(0, p[1].signals() & Signals.PEER_CLOSED);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, status(() -> table.replace(r, Rights.SIGNAL)));
        assertEquals(ZxStatus.ERR_BAD_HANDLE, status(() -> table.handle(r)));
        assertEquals(Signals.PEER_CLOSED, p[1].signals() & Signals.PEER_CLOSED);
        assertEquals(0, table.count());
    }

    @Test
    void closeManyClosesValidOnesAndReportsBadHandle() {
        int a = table.add(Handle.createDefault(new Event(kernel)));
        int b = table.add(Handle.createDefault(new Event(kernel)));
        int c = table.add(Handle.createDefault(new Event(kernel)));
        assertEquals(ZxStatus.OK, table.closeMany(new int[] {a, 0, b}));
        assertEquals(1, table.count());
        assertEquals(ZxStatus.ERR_BAD_HANDLE, table.closeMany(new int[] {c, a}));
        assertEquals(0, table.count());
        int d = table.add(Handle.createDefault(new Event(kernel)));
        assertEquals(ZxStatus.ERR_BAD_HANDLE, table.closeMany(new int[] {d, d}));
        assertEquals(0, table.count());
    }

    @Test
    void removeKeepsHandleAliveAndCloseAllDestroysEverything() {
        Event e = new Event(kernel);
        int v = table.add(Handle.createDefault(e));
        Handle moved = table.remove(v);
        assertFalse(moved.isDestroyed());
        assertEquals(1, e.handleCount());
        int w = table.add(moved);
        table.add(Handle.createDefault(new Event(kernel)));
        table.closeAll();
        assertEquals(0, table.count());
        assertEquals(0, e.handleCount());
        assertEquals(ZxStatus.ERR_BAD_HANDLE, status(() -> table.handle(w)));
        Handle late = Handle.createDefault(e);
        assertEquals(ZxStatus.ERR_BAD_STATE, status(() -> table.add(late)));
        assertTrue(late.isDestroyed());
    }

    @Test
    void concurrentAddCloseIsConsistent() throws Exception {
        int threads = 4;
        int perThread = 2000;
        CountDownLatch start = new CountDownLatch(1);
        Set<Integer> live = ConcurrentHashMap.newKeySet();
        List<Thread> ts = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        int v = table.add(Handle.createDefault(new Event(kernel)));
                        assertTrue(live.add(v));
                        if (i % 2 == 0) {
                            live.remove(v);
                            table.close(v);
                        }
                    }
                } catch (Throwable e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                }
            });
            th.start();
            ts.add(th);
        }
        start.countDown();
        for (Thread th : ts) th.join(60_000);
        assertEquals(List.of(), errors);
        assertEquals(live.size(), table.count());
        for (int v : live) assertTrue(table.isValid(v));
    }
}
