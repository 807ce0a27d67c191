package dev.zjvm.syscall.handler;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.ipc.Event;
import dev.zjvm.syscall.testing.ErrorChecks;
import dev.zjvm.syscall.testing.LeakCheck;
import dev.zjvm.syscall.testing.SyscallHarness;
import org.junit.jupiter.api.Test;

class HandleSyscallsTest {
    private final SyscallHarness h = new SyscallHarness();

    @Test
    void closeAndCloseZero() {
        int e = h.newEvent();
        assertEquals(ZxStatus.OK, h.status("handle_close", e));
        assertFalse(h.isValid(e));
        assertEquals(ZxStatus.ERR_BAD_HANDLE, h.status("handle_close", e));
        assertEquals(ZxStatus.OK, h.status("handle_close", 0));
    }

    @Test
    void closeManyClosesValidEntriesAndReportsBad() {
        int a = h.newEvent();
        int b = h.newEvent();
        int stale = h.newEvent();
        h.call("handle_close", stale);
        long arr = h.u32s(a, 0, stale, b);
        assertEquals(ZxStatus.ERR_BAD_HANDLE, h.status("handle_close_many", arr, 4));
        assertFalse(h.isValid(a));
        assertFalse(h.isValid(b));
        assertEquals(ZxStatus.OK, h.status("handle_close_many", 0, 0));
        int c = h.newEvent();
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("handle_close_many", SyscallHarness.UNMAPPED, 1));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("handle_close_many", h.u32s(c), -1L));
        assertTrue(h.isValid(c));
        // Misaligned arrays are fine: the spec asks for no alignment.
        long odd = h.alloc(16) + 1;
        h.memory.writeU32(odd, c);
        assertEquals(ZxStatus.OK, h.status("handle_close_many", odd, 1));
        assertFalse(h.isValid(c));
    }

    @Test
    void duplicate() {
        int e = h.newEvent();
        long out = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("handle_duplicate", e, Rights.SAME_RIGHTS, out));
        int d = h.u32(out);
        assertNotEquals(e, d);
        assertSame(h.object(e, Event.class), h.object(d, Event.class));
        assertEquals(h.rights(e), h.rights(d));
        assertEquals(ZxStatus.OK, h.status("handle_duplicate", e, Rights.WAIT | Rights.DUPLICATE, out));
        assertEquals(Rights.WAIT | Rights.DUPLICATE, h.rights(h.u32(out)));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("handle_duplicate", e, Rights.MANAGE_JOB, out));
        int checks = ErrorChecks.of(h, "handle_duplicate").args(0, Rights.SAME_RIGHTS, 0)
                .anyHandle(0, h::newEvent, Rights.DUPLICATE).out(2).run();
        assertTrue(checks >= 5);
    }

    @Test
    void replaceConsumesEvenOnError() {
        int e = h.newEvent();
        long out = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("handle_replace", e, Rights.WAIT, out));
        int r = h.u32(out);
        assertFalse(h.isValid(e));
        assertEquals(Rights.WAIT, h.rights(r));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("handle_replace", r, Rights.SIGNAL, out));
        assertFalse(h.isValid(r));
        int f = h.newEvent();
        Event ev = h.object(f, Event.class);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("handle_replace", f, Rights.SAME_RIGHTS, SyscallHarness.READ_ONLY));
        assertFalse(h.isValid(f));
        assertEquals(0, ev.handleCount());
        ErrorChecks.of(h, "handle_replace").args(0, Rights.SAME_RIGHTS, 0)
                .anyHandle(0, h::newEvent, 0).consumes(0).out(2).run();
    }

    @Test
    void closeErrorChecks() {
        ErrorChecks.of(h, "handle_close").anyHandle(0, h::newEvent, 0).run();
        ErrorChecks.of(h, "handle_close_many").args(h.u32s(0), 1).in(0).run();
    }

    @Test
    void noObjectsLeakThroughDuplicateAndClose() {
        LeakCheck leaks = LeakCheck.baseline(h.kernel);
        long out = h.alloc(4);
        for (int i = 0; i < 50; i++) {
            int e = h.newEvent();
            h.call("handle_duplicate", e, Rights.SAME_RIGHTS, out);
            h.call("handle_close_many", h.u32s(e, h.u32(out)), 2);
        }
        leaks.assertNoNewObjects();
    }
}
