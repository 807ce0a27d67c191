package dev.zjvm.syscall.handler;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.ObjectType;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.ipc.Event;
import dev.zjvm.object.ipc.EventPair;
import dev.zjvm.object.signal.Signals;
import dev.zjvm.syscall.testing.ErrorChecks;
import dev.zjvm.syscall.testing.LeakCheck;
import dev.zjvm.syscall.testing.SyscallHarness;
import org.junit.jupiter.api.Test;

class EventSyscallsTest {
    private final SyscallHarness h = new SyscallHarness();

    @Test
    void eventCreate() {
        long out = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("event_create", 0, out));
        Event e = h.object(h.u32(out), Event.class);
        assertEquals(ObjectType.EVENT.defaultRights(), h.rights(h.u32(out)));
        assertEquals(0, e.signals());
        int before = h.process.handleTable().count();
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("event_create", 1, out));
        assertEquals(before, h.process.handleTable().count());
        ErrorChecks.of(h, "event_create").args(0, 0).out(1).run();
    }

    @Test
    void eventPairCreate() {
        long out = h.alloc(8);
        assertEquals(ZxStatus.OK, h.status("eventpair_create", 0, out, out + 4));
        EventPair a = h.object(h.u32(out), EventPair.class);
        EventPair b = h.object(h.u32(out + 4), EventPair.class);
        assertSame(b, a.peer());
        assertEquals(b.koid(), a.relatedKoid());
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, h.status("eventpair_create", 1, out, out + 4));
        h.call("handle_close", h.u32(out + 4));
        assertEquals(Signals.PEER_CLOSED, a.signals());
        ErrorChecks.of(h, "eventpair_create").args(0, 0, 0).out(1).out(2).run();
    }

    @Test
    void failedCreatesLeakNothing() {
        LeakCheck leaks = LeakCheck.baseline(h.kernel);
        for (int i = 0; i < 20; i++) {
            assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("eventpair_create", 0, h.alloc(4), SyscallHarness.READ_ONLY));
            assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("event_create", 0, SyscallHarness.UNMAPPED));
        }
        assertEquals(0, h.process.handleTable().count());
        leaks.assertNoNewObjects();
    }
}
