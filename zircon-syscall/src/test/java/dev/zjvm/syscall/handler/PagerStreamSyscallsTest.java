package dev.zjvm.syscall.handler;

import static dev.zjvm.object.ZxStatus.*;
import static dev.zjvm.syscall.handler.VmHarness.expect;
import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.ObjectType;
import dev.zjvm.object.Rights;
import dev.zjvm.object.task.BlockingContext;
import dev.zjvm.object.ipc.Port;
import dev.zjvm.object.ipc.PortPacket;
import dev.zjvm.object.vm.Pager;
import dev.zjvm.object.vm.Stream;
import dev.zjvm.object.vm.Vmo;
import dev.zjvm.object.vm.VmoOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PagerStreamSyscallsTest {
    private static final int PAGE = 4096;
    private final VmHarness p = new VmHarness();
    private final PagerSyscalls pagers = new PagerSyscalls(p);
    private final StreamSyscalls streams = new StreamSyscalls(p);

    @Test
    void pagerFlow() throws Exception {
        expect(OK, () -> pagers.create(0, p.scratch));
        int pagerH = p.u32(p.scratch);
        assertEquals(ObjectType.PAGER.defaultRights(), p.handles.handle(pagerH).rights());
        expect(ERR_INVALID_ARGS, () -> pagers.create(1, p.scratch));
        expect(ERR_INVALID_ARGS, () -> pagers.create(0, p.unmapped));
        Port port = Port.create(p.kernel, 0);
        int portH = p.addDefault(port);
        p.handleChecks(x -> pagers.createVmo(pagerH, 0, x, 5, PAGE, p.scratch), port, ObjectType.PORT.defaultRights(), Rights.WRITE);
        expect(ERR_BAD_HANDLE, () -> pagers.createVmo(p.badHandle(), 0, portH, 5, PAGE, p.scratch));
        expect(ERR_WRONG_TYPE, () -> pagers.createVmo(p.wrongType(), 0, portH, 5, PAGE, p.scratch));
        expect(OK, () -> pagers.createVmo(pagerH, 0, portH, 5, 2 * PAGE, p.scratch));
        int vmoH = p.u32(p.scratch);
        Vmo vmo = p.object(vmoH, Vmo.class);
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> vmo.read(0, 1));
        PortPacket req = port.await(Long.MAX_VALUE, BlockingContext.NONE);
        assertEquals(5, req.key());
        Vmo aux = Vmo.create(p.kernel, PAGE, 0);
        aux.write(0, new byte[] {3});
        p.handleChecks(x -> pagers.supplyPages(pagerH, vmoH, 0, PAGE, x, 0), aux, ObjectType.VMO.defaultRights(), Rights.READ | Rights.WRITE);
        expect(ERR_WRONG_TYPE, () -> pagers.supplyPages(pagerH, p.wrongType(), 0, PAGE, p.addDefault(aux), 0));
        expect(OK, () -> pagers.supplyPages(pagerH, vmoH, 0, PAGE, p.addDefault(aux), 0));
        assertEquals(3, read.get(60, TimeUnit.SECONDS)[0]);
        expect(ERR_WRONG_TYPE, () -> pagers.opRange(p.wrongType(), Pager.OP_FAIL, vmoH, 0, PAGE, ERR_IO));
        expect(OK, () -> pagers.opRange(pagerH, Pager.OP_FAIL, vmoH, PAGE, PAGE, ERR_IO));
        expect(ERR_BAD_HANDLE, () -> pagers.detachVmo(pagerH, p.badHandle()));
        expect(OK, () -> pagers.detachVmo(pagerH, vmoH));
    }

    @Test
    void streamFlow() {
        Vmo vmo = Vmo.create(p.kernel, 0, VmoOptions.RESIZABLE);
        int vmoH = p.addDefault(vmo);
        expect(ERR_INVALID_ARGS, () -> streams.create(4, vmoH, 0, p.scratch));
        p.handleChecks(x -> streams.create(Stream.MODE_READ | Stream.MODE_WRITE, x, 0, p.scratch), vmo, ObjectType.VMO.defaultRights(),
                Rights.READ | Rights.WRITE);
        expect(OK, () -> streams.create(Stream.MODE_READ | Stream.MODE_WRITE, vmoH, 0, p.scratch));
        int s = p.u32(p.scratch);
        // Two iovecs: "hello" and " world".
        long iov = p.scratch + 1024;
        p.put(p.scratch + 2048, "hello world".getBytes());
        p.putIovec(iov, p.scratch + 2048, 5);
        p.putIovec(iov + 16, p.scratch + 2048 + 5, 6);
        expect(OK, () -> streams.writev(s, 0, iov, 2, p.scratch + 8));
        assertEquals(11, p.u64(p.scratch + 8));
        assertEquals(11, vmo.contentSize());
        expect(OK, () -> streams.seek(s, Stream.SEEK_ORIGIN_START, 6, p.scratch + 16));
        assertEquals(6, p.u64(p.scratch + 16));
        p.putIovec(iov, p.scratch + 3000, 100);
        expect(OK, () -> streams.readv(s, 0, iov, 1, p.scratch + 8));
        assertEquals(5, p.u64(p.scratch + 8));
        byte[] got = new byte[5];
        p.aspace.read(p.scratch + 3000, got, 0, 5);
        assertEquals("world", new String(got));
        expect(OK, () -> streams.readvAt(s, 0, 0, iov, 1, 0));
        expect(OK, () -> streams.writevAt(s, 0, 20, iov, 1, 0));
        assertEquals(120, vmo.contentSize());
        // Errors: options, vectors, buffers, rights.
        expect(ERR_INVALID_ARGS, () -> streams.readv(s, 1, iov, 1, 0));
        expect(ERR_INVALID_ARGS, () -> streams.writev(s, 2, iov, 1, 0));
        expect(ERR_INVALID_ARGS, () -> streams.writevAt(s, Stream.APPEND, 0, iov, 1, 0));
        expect(ERR_INVALID_ARGS, () -> streams.readv(s, 0, p.unmapped, 1, 0));
        p.putIovec(iov, p.unmapped, 4);
        expect(ERR_NOT_FOUND, () -> streams.readvAt(s, 0, 0, iov, 1, 0));
        p.putIovec(iov, p.readOnly, 4);
        expect(ERR_NOT_FOUND, () -> streams.readvAt(s, 0, 0, iov, 1, 0));
        p.putIovec(iov, p.scratch, -1L);
        p.putIovec(iov + 16, p.scratch, 2);
        expect(ERR_INVALID_ARGS, () -> streams.writev(s, 0, iov, 2, 0));
        Stream stream = p.object(s, Stream.class);
        int rights = Stream.handleRights(Stream.MODE_READ | Stream.MODE_WRITE);
        p.handleChecks(x -> streams.readv(x, 0, iov, 0, 0), stream, rights, Rights.READ);
        p.handleChecks(x -> streams.writev(x, 0, iov, 0, 0), stream, rights, Rights.WRITE);
        p.handleChecks(x -> streams.readvAt(x, 0, 0, iov, 0, 0), stream, rights, Rights.READ);
        p.handleChecks(x -> streams.writevAt(x, 0, 0, iov, 0, 0), stream, rights, Rights.WRITE);
        expect(ERR_ACCESS_DENIED, () -> streams.seek(p.add(stream, rights & ~(Rights.READ | Rights.WRITE)), 0, 0, 0));
        expect(OK, () -> streams.seek(p.add(stream, rights & ~Rights.READ), 0, 0, 0));
        expect(ERR_WRONG_TYPE, () -> streams.seek(p.wrongType(), 0, 0, 0));
        expect(ERR_INVALID_ARGS, () -> streams.seek(s, 0, 0, p.readOnly));
    }
}
