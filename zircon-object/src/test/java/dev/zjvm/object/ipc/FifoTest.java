package dev.zjvm.object.ipc;

import static dev.zjvm.object.ZxStatusOf.status;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.signal.Signals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FifoTest {
    private final Kernel kernel = Kernel.forTesting(4);

    @AfterEach
    void close() {
        kernel.close();
    }


    @Test
    void sizeRules() {
        assertEquals(ZxStatus.ERR_OUT_OF_RANGE, status(() -> Fifo.create(kernel, 0, 4)));
        assertEquals(ZxStatus.ERR_OUT_OF_RANGE, status(() -> Fifo.create(kernel, 4, 0)));
        assertEquals(ZxStatus.ERR_OUT_OF_RANGE, status(() -> Fifo.create(kernel, 3, 4)));
        assertEquals(ZxStatus.ERR_OUT_OF_RANGE, status(() -> Fifo.create(kernel, 512, 16)));
        assertEquals(ZxStatus.ERR_OUT_OF_RANGE, status(() -> Fifo.create(kernel, 1L << 62, 1L << 62)));
        Fifo.create(kernel, 256, 16);
        Fifo.create(kernel, 1, 4096);
    }

    @Test
    void writeReadPartialAndSignals() {
        Fifo.Pair p = Fifo.create(kernel, 4, 2);
        assertEquals(Signals.WRITABLE, p.end0().signals());
        byte[] six = {1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6};
        assertEquals(4, p.end0().write(2, six, 6));
        assertEquals(0, p.end0().signals() & Signals.WRITABLE);
        assertEquals(Signals.READABLE | Signals.WRITABLE, p.end1().signals());
        assertEquals(ZxStatus.ERR_SHOULD_WAIT, status(() -> p.end0().write(2, six, 1)));
        byte[] out = new byte[6];
        assertEquals(3, p.end1().read(2, out, 3));
        assertArrayEquals(new byte[] {1, 1, 2, 2, 3, 3}, out);
        assertEquals(Signals.WRITABLE, p.end0().signals() & Signals.WRITABLE);
        // Wrap around the ring.
        assertEquals(3, p.end0().write(2, new byte[] {7, 7, 8, 8, 9, 9}, 3));
        byte[] rest = new byte[8];
        assertEquals(4, p.end1().read(2, rest, 4));
        assertArrayEquals(new byte[] {4, 4, 7, 7, 8, 8, 9, 9}, rest);
        assertEquals(0, p.end1().signals() & Signals.READABLE);
        assertEquals(ZxStatus.ERR_SHOULD_WAIT, status(() -> p.end1().read(2, rest, 1)));
        assertEquals(ZxStatus.ERR_OUT_OF_RANGE, status(() -> p.end1().read(4, rest, 1)));
        assertEquals(ZxStatus.ERR_OUT_OF_RANGE, status(() -> p.end1().read(2, rest, 0)));
        assertEquals(ZxStatus.ERR_OUT_OF_RANGE, status(() -> p.end0().write(3, rest, 1)));
    }

    @Test
    void peerClose() {
        Fifo.Pair p = Fifo.create(kernel, 2, 1);
        Handle h0 = Handle.createDefault(p.end0());
        p.end0().write(1, new byte[] {42}, 1);
        h0.destroy();
        assertEquals(Signals.READABLE | Signals.PEER_CLOSED, p.end1().signals());
        assertEquals(ZxStatus.ERR_PEER_CLOSED, status(() -> p.end1().write(1, new byte[1], 1)));
        byte[] b = new byte[1];
        assertEquals(1, p.end1().read(1, b, 1));
        assertEquals(42, b[0]);
        assertEquals(ZxStatus.ERR_PEER_CLOSED, status(() -> p.end1().read(1, b, 1)));
    }
}
