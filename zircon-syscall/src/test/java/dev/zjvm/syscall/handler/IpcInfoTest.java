package dev.zjvm.syscall.handler;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.ipc.Socket;
import dev.zjvm.object.ipc.Timer;
import dev.zjvm.object.signal.Signals;
import dev.zjvm.syscall.testing.ErrorChecks;
import dev.zjvm.syscall.testing.SyscallHarness;
import org.junit.jupiter.api.Test;

class IpcInfoTest {
    private final SyscallHarness h = new SyscallHarness();

    private int[] socket() {
        long out = h.alloc(8);
        assertEquals(ZxStatus.OK, h.status("socket_create", Socket.DATAGRAM, out, out + 4));
        return new int[] {h.u32(out), h.u32(out + 4)};
    }

    private int timer() {
        long out = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("timer_create", Timer.SLACK_LATE, 0, out));
        return h.u32(out);
    }

    @Test
    void socketInfo() {
        int[] s = socket();
        h.call("socket_write", s[0], 0, h.alloc(16), 10, 0);
        long buf = h.alloc(48);
        long actual = h.alloc(8);
        long avail = h.alloc(8);
        assertEquals(ZxStatus.OK, h.status("object_get_info", s[1], IpcInfo.SOCKET, buf, 48, actual, avail));
        assertEquals(1, h.u64(actual));
        assertEquals(Socket.DATAGRAM, h.u32(buf));
        assertEquals(Socket.CAPACITY, h.u64(buf + 8));
        assertEquals(10, h.u64(buf + 16));
        assertEquals(10, h.u64(buf + 24));
        assertEquals(ZxStatus.ERR_BUFFER_TOO_SMALL, h.status("object_get_info", s[1], IpcInfo.SOCKET, buf, 47, actual, avail));
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status("object_get_info", timer(), IpcInfo.SOCKET, buf, 48, 0, 0));
        ErrorChecks.of(h, "object_get_info").args(0, IpcInfo.SOCKET, 0, 48, 0, 0)
                .handle(0, () -> socket()[0], Rights.INSPECT).out(2).run();
    }

    @Test
    void timerInfo() {
        int t = timer();
        long d = h.deadlineIn(3_600_000);
        h.call("timer_set", t, d, 5);
        long buf = h.alloc(24);
        assertEquals(ZxStatus.OK, h.status("object_get_info", t, IpcInfo.TIMER, buf, 24, 0, 0));
        assertEquals(Timer.SLACK_LATE, h.u32(buf));
        assertEquals(d, h.u64(buf + 8));
        assertEquals(5, h.u64(buf + 16));
        ErrorChecks.of(h, "object_get_info").args(0, IpcInfo.TIMER, 0, 24, 0, 0)
                .handle(0, this::timer, Rights.INSPECT).out(2).run();
    }

    @Test
    void socketThresholdProperties() {
        int[] s = socket();
        long v = h.alloc(8);
        h.putU64(v, 4);
        assertEquals(ZxStatus.OK, h.status("object_set_property", s[1], ObjectInfoSyscalls.PROP_SOCKET_RX_THRESHOLD, v, 8));
        h.putU64(v, 0);
        assertEquals(ZxStatus.OK, h.status("object_get_property", s[1], ObjectInfoSyscalls.PROP_SOCKET_RX_THRESHOLD, v, 8));
        assertEquals(4, h.u64(v));
        h.call("socket_write", s[0], 0, h.alloc(8), 4, 0);
        assertEquals(Signals.SOCKET_READ_THRESHOLD, h.object(s[1], Socket.class).signals() & Signals.SOCKET_READ_THRESHOLD);
        h.putU64(v, Socket.CAPACITY + 1L);
        assertEquals(ZxStatus.ERR_INVALID_ARGS,
                h.status("object_set_property", s[1], ObjectInfoSyscalls.PROP_SOCKET_TX_THRESHOLD, v, 8));
        h.putU64(v, -1L);
        assertEquals(ZxStatus.ERR_INVALID_ARGS,
                h.status("object_set_property", s[1], ObjectInfoSyscalls.PROP_SOCKET_RX_THRESHOLD, v, 8));
        assertEquals(ZxStatus.ERR_BUFFER_TOO_SMALL,
                h.status("object_get_property", s[1], ObjectInfoSyscalls.PROP_SOCKET_TX_THRESHOLD, v, 4));
        assertEquals(ZxStatus.ERR_WRONG_TYPE,
                h.status("object_get_property", h.install(h.object(timer(), Timer.class), Rights.GET_PROPERTY),
                        ObjectInfoSyscalls.PROP_SOCKET_TX_THRESHOLD, v, 8));
        h.call("handle_close", s[0]);
        h.putU64(v, 1);
        assertEquals(ZxStatus.ERR_PEER_CLOSED,
                h.status("object_set_property", s[1], ObjectInfoSyscalls.PROP_SOCKET_TX_THRESHOLD, v, 8));
    }
}
