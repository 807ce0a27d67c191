package dev.zjvm.syscall.handler;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.ipc.Event;
import dev.zjvm.object.ipc.Port;
import dev.zjvm.object.ipc.PortPacket;
import dev.zjvm.object.signal.Signals;
import dev.zjvm.object.task.ThreadState;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.testing.ErrorChecks;
import dev.zjvm.syscall.testing.LeakCheck;
import dev.zjvm.syscall.testing.SyscallHarness;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PortSyscallsTest {
    private final SyscallHarness h = new SyscallHarness();

    private int port() {
        long out = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("port_create", 0, out));
        return h.u32(out);
    }

    private long userPacket(long key, long word) {
        long p = h.alloc(48);
        h.putU64(p, key);
        h.putU32(p + 8, 0x55); // forced to USER
        h.putU32(p + 12, -3);
        h.putU64(p + 16, word);
        return p;
    }

    /** A port with one queued packet. */
    private int portWithPacket() {
        int p = port();
        assertEquals(ZxStatus.OK, h.status("port_queue", p, userPacket(1, 2)));
        return p;
    }

    @Test
    void queueAndWaitRoundTrip() {
        int p = port();
        assertEquals(ZxStatus.OK, h.status("port_queue", p, userPacket(77, 0xabcdefL)));
        long out = h.alloc(48);
        assertEquals(ZxStatus.OK, h.status("port_wait", p, 0, out));
        assertEquals(77, h.u64(out));
        assertEquals(PortPacket.TYPE_USER, h.u32(out + 8));
        assertEquals(-3, h.u32(out + 12));
        assertEquals(0xabcdefL, h.u64(out + 16));
        assertEquals(ZxStatus.ERR_TIMED_OUT, h.status("port_wait", p, 0, out));
        assertEquals(ZxStatus.ERR_TIMED_OUT, h.status("port_wait", p, h.deadlineIn(5), out));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("port_create", 2, h.alloc(4)));
    }

    @Test
    void waitAsyncQueuesSignalPacket() {
        int p = port();
        int ev = h.newEvent();
        assertEquals(ZxStatus.OK, h.status("object_wait_async", ev, p, 5, Signals.SIGNALED, Port.WAIT_ASYNC_TIMESTAMP));
        long out = h.alloc(48);
        assertEquals(ZxStatus.ERR_TIMED_OUT, h.status("port_wait", p, 0, out));
        h.object(ev, Event.class).userSignal(0, Signals.SIGNALED);
        assertEquals(ZxStatus.OK, h.status("port_wait", p, 0, out));
        assertEquals(5, h.u64(out));
        assertEquals(PortPacket.TYPE_SIGNAL_ONE, h.u32(out + 8));
        assertEquals(Signals.SIGNALED, h.u32(out + 16));
        assertEquals(Signals.SIGNALED, h.u32(out + 20));
        assertEquals(1, h.u64(out + 24));
        assertNotEquals(0, h.u64(out + 32));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("object_wait_async", ev, p, 5, Signals.SIGNALED, 2));
        int waitablePortHandle = h.install(h.object(port(), Port.class), Rights.WAIT);
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, h.status("object_wait_async", waitablePortHandle, p, 5, Signals.SIGNALED, 0));
        assertEquals(ZxStatus.ERR_ACCESS_DENIED, h.status("object_wait_async", port(), p, 5, Signals.SIGNALED, 0));
    }

    @Test
    void cancelByHandleAndKey() {
        int p = port();
        int ev = h.newEvent();
        h.call("object_wait_async", ev, p, 9, Signals.SIGNALED, 0);
        assertEquals(ZxStatus.ERR_NOT_FOUND, h.status("port_cancel", p, ev, 8));
        assertEquals(ZxStatus.OK, h.status("port_cancel", p, ev, 9));
        assertEquals(ZxStatus.ERR_NOT_FOUND, h.status("port_cancel", p, ev, 9));
        h.object(ev, Event.class).userSignal(0, Signals.SIGNALED);
        assertEquals(ZxStatus.ERR_TIMED_OUT, h.status("port_wait", p, 0, h.alloc(48)));
        int waitablePortHandle = h.install(h.object(port(), Port.class), Rights.WAIT);
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, h.status("port_cancel", p, waitablePortHandle, 9));
    }

    @Test
    void genericErrors() {
        ErrorChecks.of(h, "port_create").args(0, 0).out(1).run();
        ErrorChecks.of(h, "port_queue").args(0, userPacket(1, 1)).handle(0, this::port, Rights.WRITE).in(1).run();
        ErrorChecks.of(h, "port_wait").args(0, 0, 0).handle(0, this::portWithPacket, Rights.READ).out(2).run();
        ErrorChecks.of(h, "port_cancel").args(0, 0, 1).handle(0, this::port, Rights.WRITE)
                .anyHandle(1, h::newEvent, Rights.WAIT).validStatus(ZxStatus.ERR_NOT_FOUND).run();
        ErrorChecks.of(h, "object_wait_async").args(0, 0, 1, Signals.SIGNALED, 0)
                .anyHandle(0, h::newEvent, Rights.WAIT).handle(1, this::port, Rights.WRITE).run();
    }

    @Test
    void userQueueLimitIsShouldWait() {
        int p = port();
        long pkt = userPacket(1, 1);
        for (int i = 0; i < Port.MAX_USER_PACKETS; i++) assertEquals(ZxStatus.OK, h.status("port_queue", p, pkt));
        assertEquals(ZxStatus.ERR_SHOULD_WAIT, h.status("port_queue", p, pkt));
    }

    @Test
    void blockedWaiterIsWokenByPacketAndByKill() throws Exception {
        int p = port();
        CompletableFuture<Long> got = h.runAsGuest("waiter", c -> h.callAs(c, "port_wait", p, Long.MAX_VALUE, h.alloc(48)));
        h.call("port_queue", p, userPacket(3, 3));
        assertEquals(ZxStatus.OK, got.get(60, TimeUnit.SECONDS).intValue());

        SyscallContext victim = h.newThreadContext("victim");
        CompletableFuture<Long> f = new CompletableFuture<>();
        java.lang.Thread jt = new java.lang.Thread(() -> {
            victim.thread().bindCurrent();
            f.complete(h.callAs(victim, "port_wait", p, Long.MAX_VALUE, h.alloc(48)));
        });
        jt.setDaemon(true);
        jt.start();
        SyscallHarness.awaitThreadState(victim.thread(), ThreadState.BLOCKED_PORT);
        victim.thread().kill();
        f.get(60, TimeUnit.SECONDS);
        // The killed waiter must not have taken a packet meant for the living.
        h.call("port_queue", p, userPacket(4, 4));
        long out = h.alloc(48);
        assertEquals(ZxStatus.OK, h.status("port_wait", p, 0, out));
        assertEquals(4, h.u64(out));
    }

    @Test
    void portWithPendingWaitsIsReclaimed() {
        LeakCheck leaks = LeakCheck.baseline(h.kernel);
        int p = port();
        int ev = h.newEvent();
        h.call("object_wait_async", ev, p, 1, Signals.SIGNALED, 0);
        h.call("port_queue", p, userPacket(1, 1));
        h.call("handle_close", p);
        h.call("handle_close", ev);
        leaks.assertNoNewObjects();
    }
}
