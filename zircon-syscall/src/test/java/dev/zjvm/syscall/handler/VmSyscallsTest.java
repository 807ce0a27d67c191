package dev.zjvm.syscall.handler;

import static dev.zjvm.object.ZxStatus.*;
import static dev.zjvm.object.vm.VmOptions.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.ObjectType;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ipc.Port;
import dev.zjvm.object.ipc.PortPacket;
import dev.zjvm.object.task.BlockingContext;
import dev.zjvm.object.task.JobPolicy;
import dev.zjvm.object.vm.Pager;
import dev.zjvm.object.vm.Stream;
import dev.zjvm.object.vm.Vmar;
import dev.zjvm.object.vm.Vmo;
import dev.zjvm.object.vm.VmoOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** VM syscalls end to end over a process's own address space (VmarUserMemory). */
class VmSyscallsTest {
    private static final int PAGE = 4096;
    private final VmProcess p = new VmProcess();

    @Test
    void processCreateReturnsRootVmar() {
        long out = p.alloc(8);
        int job = p.install(p.process.job());
        long name = p.alloc(4);
        assertEquals(OK, p.status("process_create", job, name, 0, 0, out, out + 4));
        Vmar root = p.object(p.u32(out + 4), Vmar.class);
        assertTrue(root.isRoot());
        assertEquals(0x801f, p.rights(p.u32(out + 4)));
    }

    @Test
    void vmoReadWriteThroughUserMemory() {
        long out = p.alloc(8);
        assertEquals(OK, p.status("vmo_create", 3 * PAGE, 0, out));
        int vmo = p.u32(out);
        long buf = p.alloc(16);
        p.memory.writeBytes(buf, "kernel copies".getBytes());
        assertEquals(OK, p.status("vmo_write", vmo, buf, PAGE - 4, 13));
        assertEquals("kernel copies", new String(p.object(vmo, Vmo.class).read(PAGE - 4, 13)));
        long back = p.alloc(16);
        assertEquals(OK, p.status("vmo_read", vmo, back, PAGE - 4, 13));
        assertEquals("kernel copies", new String(p.memory.readBytes(back, 13)));
        // Faults in the user buffer report like Zircon's soft fault.
        assertEquals(ERR_NOT_FOUND, p.status("vmo_read", vmo, p.unmapped, 0, 4));
        assertEquals(ERR_ACCESS_DENIED, p.status("vmo_read", vmo, p.readOnly, 0, 4));
        assertEquals(OK, p.status("vmo_write", vmo, p.readOnly, 0, 4));
        assertEquals(ERR_OUT_OF_RANGE, p.status("vmo_read", vmo, back, 3 * PAGE - 2, 4));
        assertEquals(OK, p.status("vmo_get_size", vmo, out));
        assertEquals(3 * PAGE, p.u64(out));
        assertEquals(ERR_UNAVAILABLE, p.status("vmo_set_size", vmo, PAGE));
    }

    @Test
    void childRightsAndNames() {
        Vmo parent = Vmo.create(p.kernel, 2 * PAGE, 0);
        parent.setName("parent");
        int h = p.install(parent, ObjectType.VMO.defaultRights() & ~Rights.WRITE);
        long out = p.alloc(4);
        assertEquals(OK, p.status("vmo_create_child", h, VmoOptions.CHILD_SNAPSHOT, 0, PAGE, out));
        assertTrue(Rights.has(p.rights(p.u32(out)), Rights.WRITE));
        assertEquals("parent", p.object(p.u32(out), Vmo.class).name());
        assertEquals(OK, p.status("vmo_create_child", h, VmoOptions.CHILD_SLICE | VmoOptions.CHILD_NO_WRITE, 0, PAGE, out));
        assertFalse(Rights.has(p.rights(p.u32(out)), Rights.WRITE));
        assertEquals(ERR_INVALID_ARGS, p.status("vmo_create_child", h, 0, 0, PAGE, out));
        assertEquals(2, parent.childCount());
    }

    @Test
    void mapThenUseAsUserMemory() {
        int root = p.install(p.aspace.root(), p.aspace.root().handleRights());
        Vmo vmo = Vmo.create(p.kernel, 2 * PAGE, 0);
        int vh = p.install(vmo);
        long out = p.alloc(8);
        assertEquals(OK, p.status("vmar_map", root, PERM_READ | PERM_WRITE, 0, vh, 0, 2 * PAGE, out));
        long addr = p.u64(out);
        p.memory.writeU64(addr + PAGE, 0x1122334455667788L);
        assertEquals(0x1122334455667788L, java.nio.ByteBuffer.wrap(vmo.read(PAGE, 8)).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong());
        assertEquals(OK, p.status("vmar_protect", root, PERM_READ, addr, PAGE));
        assertThrows(dev.zjvm.object.ZxException.class, () -> p.memory.writeU32(addr, 1));
        assertEquals(OK, p.status("vmar_unmap", root, addr + PAGE, PAGE));
        assertThrows(dev.zjvm.object.ZxException.class, () -> p.memory.readU32(addr + PAGE));
        // Sub-regions: allocate, map inside, destroy.
        long outs = p.alloc(16);
        assertEquals(OK, p.status("vmar_allocate", root, CAN_MAP_READ | CAN_MAP_SPECIFIC, 0, 16 * PAGE, outs, outs + 8));
        int sub = p.u32(outs);
        long subBase = p.u64(outs + 8);
        assertEquals(ERR_ACCESS_DENIED, p.status("vmar_map", sub, PERM_READ | PERM_WRITE, 0, vh, 0, PAGE, out));
        assertEquals(OK, p.status("vmar_map", sub, PERM_READ | SPECIFIC, 4 * PAGE, vh, 0, PAGE, out));
        assertEquals(subBase + 4 * PAGE, p.u64(out));
        assertEquals(OK, p.status("vmar_destroy", sub));
        assertEquals(ERR_BAD_STATE, p.status("vmar_destroy", sub));
        assertEquals(ERR_NOT_SUPPORTED, p.status("vmar_destroy", root));
    }

    @Test
    void mapRangeCommitsThePagesBehindTheMapping() {
        int root = p.install(p.aspace.root(), p.aspace.root().handleRights());
        Vmo vmo = Vmo.create(p.kernel, 4 * PAGE, 0);
        int vh = p.install(vmo);
        long out = p.alloc(8);
        assertEquals(OK, p.status("vmar_map", root, PERM_READ, 0, vh, 0, 2 * PAGE, out));
        assertEquals(0, vmo.committedBytes(), "a plain mapping commits nothing");
        assertEquals(OK, p.status("vmar_map", root, PERM_READ | MAP_RANGE, 0, vh, PAGE, 2 * PAGE, out));
        assertEquals(2 * PAGE, vmo.committedBytes(), "MAP_RANGE commits exactly the mapped range");
    }

    @Test
    void readOnlyVmoMappingCannotBeMadeWritable() {
        int root = p.install(p.aspace.root(), p.aspace.root().handleRights());
        int ro = p.install(Vmo.create(p.kernel, PAGE, 0), ObjectType.VMO.defaultRights() & ~Rights.WRITE);
        long out = p.alloc(8);
        assertEquals(ERR_ACCESS_DENIED, p.status("vmar_map", root, PERM_READ | PERM_WRITE, 0, ro, 0, PAGE, out));
        assertEquals(OK, p.status("vmar_map", root, PERM_READ, 0, ro, 0, PAGE, out));
        assertEquals(ERR_ACCESS_DENIED, p.status("vmar_protect", root, PERM_READ | PERM_WRITE, p.u64(out), PAGE));
        int rw = p.install(Vmo.create(p.kernel, PAGE, 0));
        assertEquals(OK, p.status("vmar_map", root, PERM_READ, 0, rw, 0, PAGE, out));
        assertEquals(OK, p.status("vmar_protect", root, PERM_READ | PERM_WRITE, p.u64(out), PAGE));
    }

    @Test
    void streamIo() {
        Vmo vmo = Vmo.create(p.kernel, 0, VmoOptions.RESIZABLE);
        int vh = p.install(vmo);
        long out = p.alloc(8);
        assertEquals(OK, p.status("stream_create", Stream.MODE_READ | Stream.MODE_WRITE, vh, 0, out));
        int s = p.u32(out);
        long data = p.alloc(16);
        p.memory.writeBytes(data, "hello world".getBytes());
        long iov = p.alloc(32);
        p.memory.writeU64(iov, data);
        p.memory.writeU64(iov + 8, 5);
        p.memory.writeU64(iov + 16, data + 5);
        p.memory.writeU64(iov + 24, 6);
        long actual = p.alloc(8);
        assertEquals(OK, p.status("stream_writev", s, 0, iov, 2, actual));
        assertEquals(11, p.u64(actual));
        assertEquals(11, vmo.contentSize());
        assertEquals(OK, p.status("stream_seek", s, Stream.SEEK_ORIGIN_START, 6, actual));
        long dst = p.alloc(16);
        p.memory.writeU64(iov, dst);
        p.memory.writeU64(iov + 8, 100);
        assertEquals(OK, p.status("stream_readv", s, 0, iov, 1, actual));
        assertEquals(5, p.u64(actual));
        assertEquals("world", new String(p.memory.readBytes(dst, 5)));
        p.memory.writeU64(iov, p.unmapped);
        assertEquals(ERR_NOT_FOUND, p.status("stream_readv_at", s, 0, 0, iov, 1, 0));
        p.memory.writeU64(iov, p.readOnly);
        assertEquals(ERR_NOT_FOUND, p.status("stream_readv_at", s, 0, 0, iov, 1, 0));
        assertEquals(OK, p.status("stream_writev_at", s, 0, 0, iov, 1, 0), "read-only memory can be written from");
        assertEquals(ERR_INVALID_ARGS, p.status("stream_writev", s, 4, iov, 1, 0));
    }

    @Test
    void pagerThroughPort() throws Exception {
        long out = p.alloc(16);
        assertEquals(OK, p.status("pager_create", 0, out));
        int pager = p.u32(out);
        Port port = Port.create(p.kernel, 0);
        int ph = p.install(port);
        assertEquals(OK, p.status("pager_create_vmo", pager, 0, ph, 99, 2 * PAGE, out));
        int vmo = p.u32(out);
        Vmo pv = p.object(vmo, Vmo.class);
        CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(() -> pv.read(PAGE, 1));
        PortPacket req = port.await(Long.MAX_VALUE, BlockingContext.NONE);
        assertEquals(99, req.key());
        assertEquals(PortPacket.TYPE_PAGE_REQUEST, req.type());
        Vmo aux = Vmo.create(p.kernel, PAGE, 0);
        aux.write(0, new byte[] {42});
        int ah = p.install(aux);
        assertEquals(OK, p.status("pager_supply_pages", pager, vmo, PAGE, PAGE, ah, 0));
        assertEquals(42, reader.get(60, TimeUnit.SECONDS)[0]);
        assertEquals(ERR_INVALID_ARGS, p.status("pager_supply_pages", pager, vmo, 1, PAGE, ah, 0));
        assertEquals(ERR_NOT_SUPPORTED, p.status("pager_op_range", pager, 9, vmo, 0, PAGE, ERR_IO));
        assertEquals(OK, p.status("pager_detach_vmo", pager, vmo));
        assertEquals(Pager.OP_FAIL, 1);
    }

    @Test
    void processMemory() {
        dev.zjvm.object.boot.KernelOptions.install(p.kernel, dev.zjvm.object.boot.KernelOptions.parse(
                java.util.List.of("kernel.enable-debugging-syscalls=true"))); // process_write_memory needs it
        int self = p.install(p.process);
        Vmo code = Vmo.create(p.kernel, PAGE, 0);
        long addr = p.aspace.root().map(PERM_READ | PERM_EXECUTE, 0, code, 0, PAGE).base();
        long buf = p.alloc(16);
        long actual = p.alloc(8);
        p.memory.writeBytes(buf, new byte[] {(byte) 0xcc});
        assertEquals(OK, p.status("process_write_memory", self, addr + 4, buf, 1, actual));
        assertEquals((byte) 0xcc, code.read(4, 1)[0]);
        assertEquals(OK, p.status("process_read_memory", self, addr + PAGE - 2, buf, 16, actual));
        assertEquals(2, p.u64(actual));
        assertEquals(ERR_NO_MEMORY, p.status("process_read_memory", self, p.unmapped, buf, 16, actual));
        // ZX_INFO_PROCESS_VMOS data: handle-held VMOs first, then mapped ones.
        int held = p.install(Vmo.create(p.kernel, PAGE, 0), ObjectType.VMO.defaultRights() & ~Rights.WRITE);
        java.util.List<dev.zjvm.object.vm.VmoInfo> vmos = dev.zjvm.object.vm.VmAddressSpace.processVmos(p.process);
        assertEquals(p.object(held, Vmo.class).koid(), vmos.get(0).koid());
        assertEquals(ObjectType.VMO.defaultRights() & ~Rights.WRITE, vmos.get(0).handleRights());
        assertTrue(vmos.stream().anyMatch(v -> v.koid() == code.koid() && (v.flags() & VmoOptions.INFO_VIA_MAPPING) != 0));
    }

    @Test
    void unmapHandleCloseThreadExit() {
        int root = p.install(p.aspace.root(), p.aspace.root().handleRights());
        long stack = p.aspace.root().map(PERM_READ | PERM_WRITE, 0, Vmo.create(p.kernel, PAGE, 0), 0, PAGE).base();
        int extra = p.install(new dev.zjvm.object.ipc.Event(p.kernel));
        assertEquals(ERR_INVALID_ARGS, p.status("vmar_unmap_handle_close_thread_exit", root, stack + 1, PAGE, extra));
        assertTrue(p.process.handleTable().isValid(extra), "nothing happens after a failed unmap");
        assertEquals(ERR_BAD_HANDLE, p.status("vmar_unmap_handle_close_thread_exit", root, stack, PAGE, 0x7ffffff3));
        assertEquals(0, p.aspace.root().mappings().stream().filter(m -> m.base() == stack).count(), "the unmap happened");
        p.status("vmar_unmap_handle_close_thread_exit", root, p.unmapped, PAGE, extra);
        assertFalse(p.process.handleTable().isValid(extra));
        assertTrue(p.thread.isDying() || p.thread.isDead(), "the thread exits");
    }

    @Test
    void jobPolicyGuardsVmoCreation() {
        dev.zjvm.object.task.Job job = p.process.job().createChild();
        job.updatePolicy(pol -> pol.withBasic(false, java.util.List.of(
                new JobPolicy.Entry(JobPolicy.NEW_VMO, JobPolicy.DENY, 0),
                new JobPolicy.Entry(JobPolicy.AMBIENT_MARK_VMO_EXEC, JobPolicy.DENY, 0))));
        dev.zjvm.object.task.Process q = job.createProcess("restricted");
        dev.zjvm.object.task.Thread t = q.createThread("t");
        q.start(t, 0, 0, null, 0);
        dev.zjvm.syscall.dispatch.SyscallContext c = new dev.zjvm.syscall.dispatch.SyscallContext(q, t,
                dev.zjvm.syscall.user.VmarUserMemory.of(q, t));
        long out = dev.zjvm.object.vm.VmAddressSpace.of(q).root()
                .map(PERM_READ | PERM_WRITE, 0, Vmo.create(p.kernel, PAGE, 0), 0, PAGE).base();
        assertEquals(ERR_ACCESS_DENIED, p.statusAs(c, "vmo_create", PAGE, 0, out));
        int vmo = q.handleTable().add(dev.zjvm.object.handle.Handle.createDefault(Vmo.create(p.kernel, PAGE, 0)));
        assertEquals(ERR_ACCESS_DENIED, p.statusAs(c, "vmo_replace_as_executable", vmo, 0, out));
        assertFalse(q.handleTable().isValid(vmo), "consumed even when denied");
        assertEquals(0, q.handleTable().count());
    }
}
