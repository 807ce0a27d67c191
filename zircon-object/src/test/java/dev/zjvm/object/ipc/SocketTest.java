package dev.zjvm.object.ipc;

import static dev.zjvm.object.ZxStatusOf.status;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.signal.Signals;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SocketTest {
    private final Kernel kernel = Kernel.forTesting(3);

    @AfterEach
    void close() {
        kernel.close();
    }


    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + seed);
        return b;
    }

    @Test
    void streamReadsAcrossWritesAndPeeks() {
        Socket.Pair p = Socket.create(kernel, Socket.STREAM);
        assertEquals(Signals.WRITABLE, p.end0().signals());
        assertEquals(3, p.end0().write(0, new byte[] {1, 2, 3}, 0, 3));
        assertEquals(2, p.end0().write(0, new byte[] {4, 5}, 0, 2));
        assertEquals(Signals.WRITABLE | Signals.READABLE, p.end1().signals());
        byte[] buf = new byte[4];
        assertEquals(4, p.end1().read(Socket.PEEK, buf, 0, 4));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, buf);
        assertEquals(5, p.end1().info().rxBufSize());
        assertEquals(2, p.end1().read(0, buf, 0, 2));
        assertEquals(3, p.end1().read(0, buf, 0, 4));
        assertArrayEquals(new byte[] {3, 4, 5}, Arrays.copyOf(buf, 3));
        assertEquals(0, p.end1().signals() & Signals.READABLE);
        assertEquals(ZxStatus.ERR_SHOULD_WAIT, status(() -> p.end1().read(0, buf, 0, 4)));
        assertEquals(0, p.end0().write(0, buf, 0, 0));
        assertEquals(ZxStatus.ERR_SHOULD_WAIT, status(() -> p.end1().read(0, buf, 0, 4)));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, status(() -> p.end1().read(1, buf, 0, 4)));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, status(() -> p.end0().write(1, buf, 0, 4)));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, status(() -> Socket.create(kernel, 2)));
    }

    @Test
    void streamFillsToCapacityThenShortWritesAndShouldWait() {
        Socket.Pair p = Socket.create(kernel, Socket.STREAM);
        byte[] big = bytes(Socket.CAPACITY - 10, 1);
        assertEquals(big.length, p.end0().write(0, big, 0, big.length));
        assertEquals(10, p.end0().write(0, bytes(100, 2), 0, 100));
        assertEquals(0, p.end0().signals() & Signals.WRITABLE);
        assertEquals(ZxStatus.ERR_SHOULD_WAIT, status(() -> p.end0().write(0, new byte[1], 0, 1)));
        byte[] out = new byte[Socket.CAPACITY];
        assertEquals(Socket.CAPACITY, p.end1().read(0, out, 0, out.length));
        assertArrayEquals(big, Arrays.copyOf(out, big.length));
        assertArrayEquals(Arrays.copyOf(bytes(100, 2), 10), Arrays.copyOfRange(out, big.length, out.length));
        assertEquals(Signals.WRITABLE, p.end0().signals() & Signals.WRITABLE);
    }

    @Test
    void datagramsAreWholeAndTruncatedOnRead() {
        Socket.Pair p = Socket.create(kernel, Socket.DATAGRAM);
        p.end0().write(0, bytes(10, 1), 0, 10);
        p.end0().write(0, bytes(3, 2), 0, 3);
        assertEquals(10, p.end1().info().rxBufAvailable());
        SocketInfo info = p.end1().info();
        assertEquals(new SocketInfo(Socket.DATAGRAM, Socket.CAPACITY, 13, 10, Socket.CAPACITY, 0), info);
        java.nio.ByteBuffer raw = java.nio.ByteBuffer.wrap(info.encode()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(SocketInfo.SIZE, raw.capacity());
        assertEquals(13, raw.getLong(16));
        assertEquals(10, raw.getLong(24));
        assertEquals(13, p.end0().info().txBufSize());
        byte[] buf = new byte[4];
        assertEquals(4, p.end1().read(Socket.PEEK, buf, 0, 4));
        assertEquals(4, p.end1().read(0, buf, 0, 4));
        assertArrayEquals(Arrays.copyOf(bytes(10, 1), 4), buf);
        assertEquals(3, p.end1().read(0, buf, 0, 4), "rest of the first datagram was discarded");
        assertEquals(ZxStatus.ERR_OUT_OF_RANGE,
                status(() -> p.end0().write(0, new byte[Socket.CAPACITY + 1], 0, Socket.CAPACITY + 1)));
        p.end0().write(0, new byte[Socket.CAPACITY - 5], 0, Socket.CAPACITY - 5);
        assertEquals(ZxStatus.ERR_SHOULD_WAIT, status(() -> p.end0().write(0, new byte[6], 0, 6)));
        assertEquals(5, p.end0().write(0, new byte[5], 0, 5));
    }

    @Test
    void shutdownWriteDisablesWriterAndDrainsReader() {
        Socket.Pair p = Socket.create(kernel, Socket.STREAM);
        p.end0().write(0, new byte[] {9}, 0, 1);
        p.end0().shutdown(Socket.SHUTDOWN_WRITE);
        assertEquals(Signals.SOCKET_WRITE_DISABLED, p.end0().signals());
        assertEquals(Signals.READABLE | Signals.WRITABLE | Signals.SOCKET_PEER_WRITE_DISABLED, p.end1().signals());
        assertEquals(ZxStatus.ERR_BAD_STATE, status(() -> p.end0().write(0, new byte[1], 0, 1)));
        byte[] b = new byte[4];
        assertEquals(1, p.end1().read(0, b, 0, 4));
        assertEquals(ZxStatus.ERR_BAD_STATE, status(() -> p.end1().read(0, b, 0, 4)));
        assertEquals(1, p.end1().write(0, b, 0, 1), "the other direction still works");
        assertEquals(ZxStatus.ERR_INVALID_ARGS, status(() -> p.end1().shutdown(4)));
    }

    @Test
    void shutdownReadDisablesPeerWrites() {
        Socket.Pair p = Socket.create(kernel, Socket.STREAM);
        p.end1().shutdown(Socket.SHUTDOWN_READ);
        assertEquals(Signals.SOCKET_WRITE_DISABLED, p.end0().signals() & (Signals.SOCKET_WRITE_DISABLED | Signals.WRITABLE));
        assertEquals(Signals.SOCKET_PEER_WRITE_DISABLED, p.end1().signals() & Signals.SOCKET_PEER_WRITE_DISABLED);
        assertEquals(ZxStatus.ERR_BAD_STATE, status(() -> p.end0().write(0, new byte[1], 0, 1)));
    }

    @Test
    void thresholdsDriveSignals() {
        Socket.Pair p = Socket.create(kernel, Socket.STREAM);
        p.end1().setReadThreshold(4);
        p.end0().setWriteThreshold(Socket.CAPACITY - 2);
        assertEquals(Signals.SOCKET_WRITE_THRESHOLD, p.end0().signals() & Signals.SOCKET_WRITE_THRESHOLD);
        p.end0().write(0, new byte[3], 0, 3);
        assertEquals(0, p.end1().signals() & Signals.SOCKET_READ_THRESHOLD);
        assertEquals(0, p.end0().signals() & Signals.SOCKET_WRITE_THRESHOLD);
        p.end0().write(0, new byte[1], 0, 1);
        assertEquals(Signals.SOCKET_READ_THRESHOLD, p.end1().signals() & Signals.SOCKET_READ_THRESHOLD);
        p.end1().read(0, new byte[2], 0, 2);
        assertEquals(0, p.end1().signals() & Signals.SOCKET_READ_THRESHOLD);
        assertEquals(Signals.SOCKET_WRITE_THRESHOLD, p.end0().signals() & Signals.SOCKET_WRITE_THRESHOLD);
        assertEquals(4, p.end1().readThreshold());
        assertEquals(ZxStatus.ERR_INVALID_ARGS, status(() -> p.end1().setReadThreshold(Socket.CAPACITY + 1)));
        p.end1().setReadThreshold(0);
        assertEquals(0, p.end1().signals() & Signals.SOCKET_READ_THRESHOLD);
    }

    @Test
    void peerCloseLeavesDataReadable() {
        Socket.Pair p = Socket.create(kernel, Socket.STREAM);
        Handle h0 = Handle.createDefault(p.end0());
        Handle h1 = Handle.createDefault(p.end1());
        p.end0().write(0, new byte[] {5}, 0, 1);
        p.end1().setWriteThreshold(1);
        h0.destroy();
        assertEquals(Signals.READABLE | Signals.PEER_CLOSED, p.end1().signals());
        assertEquals(ZxStatus.ERR_PEER_CLOSED, status(() -> p.end1().write(0, new byte[1], 0, 1)));
        assertEquals(ZxStatus.ERR_PEER_CLOSED, status(() -> p.end1().setWriteThreshold(1)));
        byte[] b = new byte[1];
        assertEquals(1, p.end1().read(0, b, 0, 1));
        assertEquals(ZxStatus.ERR_PEER_CLOSED, status(() -> p.end1().read(0, b, 0, 1)));
        h1.destroy();
    }
}
