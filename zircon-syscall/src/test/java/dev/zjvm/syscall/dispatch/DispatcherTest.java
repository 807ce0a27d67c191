package dev.zjvm.syscall.dispatch;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.syscall.abi.SyscallTable;
import dev.zjvm.syscall.testing.SyscallHarness;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DispatcherTest {
    @Test
    void unknownNumbersAreBadSyscallAndUnregisteredOnesNotSupported() {
        SyscallHarness h = new SyscallHarness(new SyscallRegistry());
        assertEquals(ZxStatus.ERR_BAD_SYSCALL, h.dispatcher.dispatch(h.ctx, -1, 0, 0, 0, 0, 0, 0, 0, 0));
        assertEquals(ZxStatus.ERR_BAD_SYSCALL, h.dispatcher.dispatch(h.ctx, 180, 0, 0, 0, 0, 0, 0, 0, 0));
        assertEquals(ZxStatus.ERR_BAD_SYSCALL, h.dispatcher.dispatch(h.ctx, 100_000, 0, 0, 0, 0, 0, 0, 0, 0));
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, h.call("handle_close", 0));
    }

    @Test
    void exceptionsNeverEscape() {
        SyscallRegistry r = new SyscallRegistry();
        r.register("syscall_test_0", (c, a0, a1, a2, a3, a4, a5, a6, a7) -> {
            throw new ZxException(ZxStatus.ERR_NO_MEMORY);
        });
        r.register("syscall_test_1", (c, a0, a1, a2, a3, a4, a5, a6, a7) -> {
            throw new IllegalStateException("kernel bug (expected in this test)");
        });
        r.register("syscall_test_2", (c, a0, a1, a2, a3, a4, a5, a6, a7) -> {
            throw new StackOverflowError("expected in this test");
        });
        SyscallHarness h = new SyscallHarness(r);
        assertEquals(ZxStatus.ERR_NO_MEMORY, h.call("syscall_test_0"));
        assertEquals(ZxStatus.ERR_INTERNAL, h.call("syscall_test_1"));
        assertEquals(ZxStatus.ERR_INTERNAL, h.call("syscall_test_2"));
    }

    @Test
    void registeringUnknownOrDuplicateNamesFails() {
        SyscallRegistry r = new SyscallRegistry();
        r.register("no_such_call", (c, a0, a1, a2, a3, a4, a5, a6, a7) -> 0);
        assertThrows(IllegalArgumentException.class,
                () -> new Dispatcher(SyscallNumbering.of(SyscallTable.standard()), r));
        SyscallRegistry r2 = new SyscallRegistry();
        r2.register("handle_close", (c, a0, a1, a2, a3, a4, a5, a6, a7) -> 0);
        assertThrows(IllegalStateException.class, () -> r2.register("handle_close", (c, a0, a1, a2, a3, a4, a5, a6, a7) -> 0));
        assertThrows(IllegalArgumentException.class, () -> r2.register("zx_handle_close", (c, a0, a1, a2, a3, a4, a5, a6, a7) -> 0));
        assertThrows(IllegalArgumentException.class, () -> Support.partial(" "));
    }

    @Test
    void testSyscallsPassEightArguments() {
        SyscallHarness h = new SyscallHarness();
        assertEquals(0, h.call("syscall_test_0"));
        assertEquals(1 + 2 + 3 + 4 + 5 + 6 + 7 + 8, h.call("syscall_test_8", 1, 2, 3, 4, 5, 6, 7, 8));
        assertEquals(-5, h.call("syscall_test_1", 0xffff_ffff_ffff_fffbL));
        assertEquals(6, h.call("syscall_test_wrapper", 1, 2, 3));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.call("syscall_test_wrapper", -1, 2, 3));
        assertEquals(ZxStatus.ERR_OUT_OF_RANGE, h.call("syscall_test_wrapper", 20, 20, 20));
        long out = h.alloc(4);
        int before = h.process.handleTable().count();
        assertEquals(ZxStatus.ERR_BAD_STATE, h.call("syscall_test_handle_create", ZxStatus.ERR_BAD_STATE, out));
        assertEquals(before, h.process.handleTable().count());
        assertEquals(ZxStatus.OK, h.call("syscall_test_handle_create", ZxStatus.OK, out));
        assertTrue(h.isValid(h.u32(out)));
    }

    @Test
    void tracerSeesNameArgsAndResult() {
        SyscallHarness h = new SyscallHarness();
        List<String> seen = new ArrayList<>();
        h.dispatcher.setTracer((ctx, nr, name, a0, a1, a2, a3, a4, a5, a6, a7, result) ->
                seen.add(nr + " " + name + "(" + a0 + "," + a1 + ") = " + result));
        h.call("syscall_test_2", 3, 4);
        h.dispatcher.dispatch(h.ctx, 190, 1, 2, 0, 0, 0, 0, 0, 0);
        h.dispatcher.setTracer(null);
        h.call("syscall_test_0");
        assertEquals(List.of(SyscallHarness.number("syscall_test_2") + " syscall_test_2(3,4) = 7",
                "190 null(1,2) = " + ZxStatus.ERR_BAD_SYSCALL), seen);
    }

    @Test
    void killedCallerExitsAtTheSyscallBoundary() {
        SyscallHarness h = new SyscallHarness();
        int self = h.install(h.thread);
        assertEquals(ZxStatus.OK, h.call("task_kill", self));
        assertTrue(h.thread.isDead());
        assertTrue(h.process.isDead()); // its only thread is gone
    }

    @Test
    void aCallerKilledWhileRunningGuestCodeDiesAtItsNextSyscallWithoutRunningIt() {
        SyscallHarness h = new SyscallHarness();
        int e = h.newEvent();
        h.thread.kill(); // e.g. by another thread while this one was in guest code
        assertFalse(h.thread.isDead());
        assertEquals(ZxStatus.ERR_INTERNAL_INTR_KILLED, h.call("handle_close", e));
        assertTrue(h.thread.isDead());
        assertTrue(h.process.isDead());
    }

    @Test
    void everyStandardFamilyRegistersOnlyKnownNames() {
        SyscallRegistry r = SyscallRegistry.standard();
        SyscallTable t = SyscallTable.standard();
        for (String name : r.entries().keySet()) {
            assertTrue(t.byName(name).flatMap(d -> d.number().isPresent() ? java.util.Optional.of(d) : java.util.Optional.empty())
                    .isPresent(), name);
        }
        assertNotNull(Dispatcher.standard());
    }
}
