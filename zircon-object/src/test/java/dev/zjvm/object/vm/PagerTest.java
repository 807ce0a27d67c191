package dev.zjvm.object.vm;

import static dev.zjvm.object.ZxStatus.*;
import static dev.zjvm.object.vm.Zx.fails;
import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.task.BlockingContext;
import dev.zjvm.object.ipc.Port;
import dev.zjvm.object.ipc.PortPacket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PagerTest {
    private static final int PAGE = 4096;
    private final Kernel kernel = Kernel.forTesting(3);
    private final BlockingQueue<long[]> requests = new LinkedBlockingQueue<>();
    private final PageRequestSink sink = (key, command, offset, length) -> requests.add(new long[] {key, command, offset, length});

    private long[] nextRequest() throws InterruptedException {
        long[] r = requests.poll(60, TimeUnit.SECONDS);
        assertNotNull(r, "no page request arrived");
        return r;
    }

    private Vmo auxWith(int pages, int value) {
        Vmo aux = Vmo.create(kernel, (long) pages * PAGE, 0);
        byte[] b = new byte[pages * PAGE];
        Arrays.fill(b, (byte) value);
        aux.write(0, b);
        return aux;
    }

    @Test
    void readBlocksUntilSupplied() throws Exception {
        Pager pager = Pager.create(kernel, 0);
        Vmo vmo = pager.createVmo(0, sink, 77, 4 * PAGE);
        assertTrue(vmo.isPagerBacked());
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> vmo.read(PAGE + 10, 2 * PAGE));
        long[] r = nextRequest();
        assertArrayEquals(new long[] {77, PageRequestSink.COMMAND_READ, PAGE, 3 * PAGE}, r);
        assertFalse(read.isDone());
        Vmo aux = auxWith(3, 9);
        pager.supplyPages(vmo, PAGE, 3 * PAGE, aux, 0);
        byte[] got = read.get(60, TimeUnit.SECONDS);
        assertEquals(9, got[0]);
        assertEquals(9, got[2 * PAGE - 1]);
        assertEquals(0, aux.committedBytes(), "pages moved out of the aux vmo");
        // Supplied pages are served without new requests.
        assertEquals(9, vmo.read(PAGE, 1)[0]);
        assertTrue(requests.isEmpty());
    }

    @Test
    void failAndDetach() throws Exception {
        Pager pager = Pager.create(kernel, 0);
        Vmo vmo = pager.createVmo(0, sink, 1, 2 * PAGE);
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            try {
                vmo.read(0, 1);
                return OK;
            } catch (ZxException e) {
                return e.status();
            }
        });
        nextRequest();
        fails(ERR_INVALID_ARGS, () -> pager.opRange(Pager.OP_FAIL, vmo, 0, PAGE, ERR_NO_MEMORY));
        fails(ERR_NOT_SUPPORTED, () -> pager.opRange(2, vmo, 0, PAGE, ERR_IO));
        fails(ERR_OUT_OF_RANGE, () -> pager.opRange(Pager.OP_FAIL, vmo, 0, 4 * PAGE, ERR_IO));
        pager.opRange(Pager.OP_FAIL, vmo, 0, PAGE, ERR_IO);
        assertEquals(ERR_IO, read.get(60, TimeUnit.SECONDS));
        // A later access asks again; detaching fails it with BAD_STATE and sends COMPLETE.
        CompletableFuture<Integer> again = CompletableFuture.supplyAsync(() -> {
            try {
                vmo.read(0, 1);
                return OK;
            } catch (ZxException e) {
                return e.status();
            }
        });
        assertEquals(PageRequestSink.COMMAND_READ, nextRequest()[1]);
        pager.detach(vmo);
        assertEquals(ERR_BAD_STATE, again.get(60, TimeUnit.SECONDS));
        assertEquals(PageRequestSink.COMMAND_COMPLETE, nextRequest()[1]);
        fails(ERR_BAD_STATE, () -> vmo.read(PAGE, 1));
    }

    @Test
    void supplyErrors() {
        Pager pager = Pager.create(kernel, 0);
        Pager other = Pager.create(kernel, 0);
        Vmo vmo = pager.createVmo(0, sink, 1, 2 * PAGE);
        Vmo aux = auxWith(2, 1);
        fails(ERR_INVALID_ARGS, () -> Pager.create(kernel, 1));
        fails(ERR_INVALID_ARGS, () -> pager.createVmo(4, sink, 1, PAGE));
        fails(ERR_INVALID_ARGS, () -> other.supplyPages(vmo, 0, PAGE, aux, 0));
        fails(ERR_INVALID_ARGS, () -> pager.supplyPages(Vmo.create(kernel, PAGE, 0), 0, PAGE, aux, 0));
        fails(ERR_INVALID_ARGS, () -> pager.supplyPages(vmo, 1, PAGE, aux, 0));
        fails(ERR_OUT_OF_RANGE, () -> pager.supplyPages(vmo, 0, 3 * PAGE, auxWith(3, 1), 0));
        fails(ERR_OUT_OF_RANGE, () -> pager.supplyPages(vmo, 0, PAGE, aux, 2 * PAGE));
        Vmo slice = aux.createChild(VmoOptions.CHILD_SLICE, 0, PAGE, false);
        fails(ERR_BAD_STATE, () -> pager.supplyPages(vmo, 0, PAGE, aux, 0));
        fails(ERR_BAD_STATE, () -> pager.supplyPages(vmo, 0, PAGE, slice, 0));
        fails(ERR_INVALID_ARGS, () -> other.detach(vmo));
        fails(ERR_OUT_OF_RANGE, () -> pager.createVmo(0, sink, 1, Vmo.MAX_TRACKED_SIZE + PAGE));
        Vmo resizable = pager.createVmo(VmoOptions.RESIZABLE, sink, 1, PAGE);
        fails(ERR_OUT_OF_RANGE, () -> resizable.setSize(Vmo.MAX_TRACKED_SIZE + PAGE));
        fails(ERR_OUT_OF_RANGE, () -> vmo.createChild(VmoOptions.CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, Vmo.MAX_TRACKED_SIZE + PAGE, false));
        assertTrue(requests.isEmpty());
    }

    @Test
    void cloneOfPagerVmoFaultsThroughParent() throws Exception {
        Pager pager = Pager.create(kernel, 0);
        Vmo vmo = pager.createVmo(0, sink, 5, 2 * PAGE);
        fails(ERR_NOT_SUPPORTED, () -> vmo.createChild(VmoOptions.CHILD_SNAPSHOT, 0, PAGE, false));
        Vmo clone = vmo.createChild(VmoOptions.CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, 2 * PAGE, false);
        assertTrue(clone.isPagerBacked());
        CompletableFuture<Void> write = CompletableFuture.runAsync(() -> clone.write(PAGE, new byte[] {1}));
        long[] r = nextRequest();
        assertEquals(PAGE, r[2]);
        pager.supplyPages(vmo, PAGE, PAGE, auxWith(1, 4), 0);
        write.get(60, TimeUnit.SECONDS);
        byte[] page = clone.read(PAGE, 3);
        assertArrayEquals(new byte[] {1, 4, 4}, page);
        assertEquals(4, vmo.read(PAGE, 1)[0], "the parent keeps its page");
    }

    @Test
    void requestsGoToPort() throws Exception {
        Pager pager = Pager.create(kernel, 0);
        Port port = Port.create(kernel, 0);
        Vmo vmo = pager.createVmo(0, port, 42, PAGE);
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> vmo.read(0, 1));
        PortPacket p = port.await(Long.MAX_VALUE, BlockingContext.NONE);
        assertEquals(42, p.key());
        assertEquals(PortPacket.TYPE_PAGE_REQUEST, p.type());
        pager.supplyPages(vmo, 0, PAGE, auxWith(1, 6), 0);
        assertEquals(6, read.get(60, TimeUnit.SECONDS)[0]);
    }

    @Test
    void shrinkWakesWaiters() throws Exception {
        Pager pager = Pager.create(kernel, 0);
        Vmo vmo = pager.createVmo(VmoOptions.RESIZABLE, sink, 1, 4 * PAGE);
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            try {
                vmo.read(3 * PAGE, 1);
                return OK;
            } catch (ZxException e) {
                return e.status();
            }
        });
        nextRequest();
        vmo.setSize(PAGE);
        assertEquals(ERR_OUT_OF_RANGE, read.get(60, TimeUnit.SECONDS));
    }

    @Test
    void killEndsPagerWait() throws Exception {
        Pager pager = Pager.create(kernel, 0);
        Vmo vmo = pager.createVmo(0, sink, 1, PAGE);
        java.util.concurrent.CompletableFuture<dev.zjvm.object.task.Waiter> blocked = new java.util.concurrent.CompletableFuture<>();
        dev.zjvm.object.task.BlockingContext who = new dev.zjvm.object.task.BlockingContext() {
            @Override
            public int enterBlocking(dev.zjvm.object.task.Waiter waiter, int state) {
                assertEquals(dev.zjvm.object.task.ThreadState.BLOCKED_PAGER, state);
                blocked.complete(waiter);
                return OK;
            }

            @Override
            public void exitBlocking(dev.zjvm.object.task.Waiter waiter) {}
        };
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            try {
                vmo.read(0, new byte[1], 0, 1, who);
                return OK;
            } catch (ZxException e) {
                return e.status();
            }
        });
        blocked.get(60, TimeUnit.SECONDS).wake(ERR_INTERNAL_INTR_KILLED);
        assertEquals(ERR_INTERNAL_INTR_KILLED, read.get(60, TimeUnit.SECONDS));
    }

    @Test
    void closingThePagerDetachesAndDestroyingTheVmoCompletes() throws Exception {
        Pager pager = Pager.create(kernel, 0);
        dev.zjvm.object.handle.Handle ph = dev.zjvm.object.handle.Handle.createDefault(pager);
        Vmo a = pager.createVmo(0, sink, 10, PAGE);
        Vmo b = pager.createVmo(0, sink, 20, PAGE);
        dev.zjvm.object.handle.Handle bh = dev.zjvm.object.handle.Handle.createDefault(b);
        bh.destroy();
        assertArrayEquals(new long[] {20, PageRequestSink.COMMAND_COMPLETE, 0, 0}, nextRequest(), "destroyed vmo completes");
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            try {
                a.read(0, 1);
                return OK;
            } catch (ZxException e) {
                return e.status();
            }
        });
        assertEquals(PageRequestSink.COMMAND_READ, nextRequest()[1]);
        ph.destroy();
        assertEquals(ERR_BAD_STATE, read.get(60, TimeUnit.SECONDS));
        assertArrayEquals(new long[] {10, PageRequestSink.COMMAND_COMPLETE, 0, 0}, nextRequest());
        assertTrue(requests.isEmpty(), "exactly one COMPLETE per vmo");
    }
}
