package dev.zjvm.syscall.testing;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.ipc.Event;
import dev.zjvm.syscall.dispatch.SyscallRegistry;
import dev.zjvm.syscall.user.UserMemory;
import org.junit.jupiter.api.Test;

/** The checker itself: it passes correct handlers and catches the usual handler bugs. */
class ErrorChecksTest {
    /** A correct handler: signal-like on arg0 (needs SIGNAL), reads an aligned u32 at arg1. */
    private static SyscallRegistry registry(boolean checkRights, boolean checkAlignment, boolean leakOnError) {
        SyscallRegistry r = new SyscallRegistry();
        r.register("futex_wake", (c, h, ptr, a2, a3, a4, a5, a6, a7) -> {
            Event e = c.get(h, Event.class, checkRights ? Rights.SIGNAL : 0);
            if (leakOnError) c.handles().add(dev.zjvm.object.handle.Handle.createDefault(new Event(c.kernel())));
            if (checkAlignment) UserMemory.requireAligned(ptr, 4);
            c.memory().readU32(ptr);
            e.userSignal(0, 0);
            return ZxStatus.OK;
        });
        return r;
    }

    private static ErrorChecks checks(SyscallHarness h) {
        return ErrorChecks.of(h, "futex_wake").args(0, h.alloc(8)).handle(0, h::newEvent, Rights.SIGNAL).aligned(1, 4);
    }

    @Test
    void correctHandlerPasses() {
        SyscallHarness h = new SyscallHarness(registry(true, true, false));
        assertEquals(7, checks(h).run()); // valid, stale, wrong type, no SIGNAL, unmapped, NULL, misaligned
    }

    @Test
    void missingRightCheckIsCaught() {
        SyscallHarness h = new SyscallHarness(registry(false, true, false));
        assertThrows(AssertionError.class, () -> checks(h).run());
    }

    @Test
    void missingAlignmentCheckIsCaught() {
        SyscallHarness h = new SyscallHarness(registry(true, false, false));
        assertThrows(AssertionError.class, () -> checks(h).run());
    }

    @Test
    void handleLeakOnErrorIsCaught() {
        SyscallHarness h = new SyscallHarness(registry(true, true, true));
        assertThrows(AssertionError.class,
                () -> ErrorChecks.of(h, "futex_wake").args(0, h.alloc(8) + 1).handle(0, h::newEvent, 0)
                        .validStatus(ZxStatus.ERR_INVALID_ARGS).run());
    }

    @Test
    void callerGivesEveryCallItsOwnContext() {
        java.util.Set<dev.zjvm.object.task.Thread> callers = java.util.concurrent.ConcurrentHashMap.newKeySet();
        SyscallRegistry r = new SyscallRegistry();
        r.register("futex_wake", (c, h, ptr, a2, a3, a4, a5, a6, a7) -> {
            callers.add(c.thread());
            c.get(h, Event.class, Rights.SIGNAL);
            return ZxStatus.OK;
        });
        SyscallHarness h = new SyscallHarness(r);
        int calls = ErrorChecks.of(h, "futex_wake").handle(0, h::newEvent, Rights.SIGNAL)
                .caller(() -> h.newThreadContext("fresh")).run();
        assertEquals(4, calls); // valid, stale, wrong type, no SIGNAL
        assertEquals(4, callers.size());
        assertFalse(callers.contains(h.thread));
    }
}
