package dev.zjvm.syscall.handler;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.ipc.Socket;
import dev.zjvm.syscall.testing.ErrorChecks;
import dev.zjvm.syscall.testing.LeakCheck;
import dev.zjvm.syscall.testing.SyscallHarness;
import org.junit.jupiter.api.Test;

class SocketFifoSyscallsTest {
    private final SyscallHarness h = new SyscallHarness();

    private int[] socket(int options) {
        long out = h.alloc(8);
        assertEquals(ZxStatus.OK, h.status("socket_create", options, out, out + 4));
        return new int[] {h.u32(out), h.u32(out + 4)};
    }

    private int[] fifo(int count, int size) {
        long out = h.alloc(8);
        assertEquals(ZxStatus.OK, h.status("fifo_create", count, size, 0, out, out + 4));
        return new int[] {h.u32(out), h.u32(out + 4)};
    }

    private int readableSocket() {
        int[] s = socket(Socket.STREAM);
        assertEquals(ZxStatus.OK, h.status("socket_write", s[0], 0, h.alloc(8), 8, 0));
        return s[1];
    }

    private int readableFifo() {
        int[] f = fifo(4, 8);
        assertEquals(ZxStatus.OK, h.status("fifo_write", f[0], 8, h.alloc(8), 1, 0));
        return f[1];
    }

    @Test
    void socketRoundTrip() {
        int[] s = socket(Socket.DATAGRAM);
        long buf = h.alloc(16);
        h.memory.writeBytes(buf, new byte[] {1, 2, 3, 4, 5});
        long actual = h.alloc(8);
        assertEquals(ZxStatus.OK, h.status("socket_write", s[0], 0, buf, 5, actual));
        assertEquals(5, h.u64(actual));
        long in = h.alloc(16);
        assertEquals(ZxStatus.OK, h.status("socket_read", s[1], Socket.PEEK, in, 2, actual));
        assertEquals(2, h.u64(actual));
        assertEquals(ZxStatus.OK, h.status("socket_read", s[1], 0, in, 16, actual));
        assertEquals(5, h.u64(actual));
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, h.memory.readBytes(in, 5));
        assertEquals(ZxStatus.ERR_SHOULD_WAIT, h.status("socket_read", s[1], 0, in, 16, 0));
        assertEquals(ZxStatus.ERR_OUT_OF_RANGE, h.status("socket_write", s[0], 0, buf, Socket.CAPACITY + 1L, 0));
        assertEquals(ZxStatus.OK, h.status("socket_shutdown", s[0], Socket.SHUTDOWN_WRITE));
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("socket_write", s[0], 0, buf, 1, 0));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("socket_shutdown", s[0], 4));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("socket_create", 2, h.alloc(4), h.alloc(4)));
    }

    @Test
    void badBuffersLeaveDataQueued() {
        int s = readableSocket();
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("socket_read", s, 0, SyscallHarness.READ_ONLY, 8, 0));
        assertEquals(8, h.object(s, Socket.class).info().rxBufSize());
        int f = readableFifo();
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("fifo_read", f, 8, SyscallHarness.UNMAPPED, 1, 0));
        long actual = h.alloc(8);
        assertEquals(ZxStatus.OK, h.status("fifo_read", f, 8, h.alloc(8), 1, actual));
        assertEquals(1, h.u64(actual));
    }

    @Test
    void socketArgumentChecksComeBeforeTheHandle() {
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("socket_write", 12345, 1, h.alloc(4), 1, 0));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("socket_write", 12345, 0, 0, 1, 0));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("socket_read", 12345, 1, h.alloc(4), 1, 0));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("socket_read", 12345, 0, 0, 1, 0));
    }

    @Test
    void socketGenericErrors() {
        ErrorChecks.of(h, "socket_create").args(0, 0, 0).out(1).out(2).run();
        ErrorChecks.of(h, "socket_write").args(0, 0, h.alloc(8), 8, 0)
                .handle(0, () -> socket(Socket.STREAM)[0], Rights.WRITE).in(2).run();
        ErrorChecks.of(h, "socket_read").args(0, 0, h.alloc(8), 8, 0)
                .handle(0, this::readableSocket, Rights.READ).out(2).run();
        ErrorChecks.of(h, "socket_shutdown").args(0, Socket.SHUTDOWN_READ)
                .handle(0, () -> socket(Socket.STREAM)[0], Rights.WRITE).run();
    }

    @Test
    void fifoRoundTripAndRules() {
        int[] f = fifo(2, 4);
        long data = h.alloc(16);
        h.memory.writeBytes(data, new byte[] {1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3});
        long actual = h.alloc(8);
        assertEquals(ZxStatus.OK, h.status("fifo_write", f[0], 4, data, 3, actual));
        assertEquals(2, h.u64(actual));
        assertEquals(ZxStatus.ERR_SHOULD_WAIT, h.status("fifo_write", f[0], 4, data, 1, actual));
        long out = h.alloc(16);
        assertEquals(ZxStatus.OK, h.status("fifo_read", f[1], 4, out, 4, actual));
        assertEquals(2, h.u64(actual));
        assertArrayEquals(new byte[] {1, 1, 1, 1, 2, 2, 2, 2}, h.memory.readBytes(out, 8));
        assertEquals(ZxStatus.ERR_OUT_OF_RANGE, h.status("fifo_read", f[1], 8, out, 1, actual));
        assertEquals(ZxStatus.ERR_OUT_OF_RANGE, h.status("fifo_write", f[0], 4, data, 0, actual));
        assertEquals(ZxStatus.ERR_OUT_OF_RANGE, h.status("fifo_create", 3, 4, 0, h.alloc(4), h.alloc(4)));
        assertEquals(ZxStatus.ERR_OUT_OF_RANGE, h.status("fifo_create", 4096, 2, 0, h.alloc(4), h.alloc(4)));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("fifo_create", 4, 4, 1, h.alloc(4), h.alloc(4)));
        h.call("handle_close", f[0]);
        assertEquals(ZxStatus.ERR_PEER_CLOSED, h.status("fifo_read", f[1], 4, out, 1, actual));
    }

    @Test
    void fifoGenericErrors() {
        ErrorChecks.of(h, "fifo_create").args(4, 4, 0, 0, 0).out(3).out(4).run();
        ErrorChecks.of(h, "fifo_write").args(0, 8, h.alloc(8), 1, 0)
                .handle(0, () -> fifo(4, 8)[0], Rights.WRITE).in(2).run();
        ErrorChecks.of(h, "fifo_read").args(0, 8, h.alloc(8), 1, 0)
                .handle(0, this::readableFifo, Rights.READ).out(2).run();
    }

    @Test
    void noLeaks() {
        LeakCheck leaks = LeakCheck.baseline(h.kernel);
        int[] s = socket(Socket.STREAM);
        h.call("socket_write", s[0], 0, h.alloc(8), 8, 0);
        int[] f = fifo(4, 4);
        h.call("fifo_write", f[0], 4, h.alloc(4), 1, 0);
        for (int v : new int[] {s[0], s[1], f[0], f[1]}) h.call("handle_close", v);
        leaks.assertNoNewObjects();
    }
}
