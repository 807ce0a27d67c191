package dev.zjvm.syscall.handler;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.dev.Bti;
import dev.zjvm.object.dev.Iommu;
import dev.zjvm.object.dev.Resource;
import dev.zjvm.object.dev.ResourceKind;
import dev.zjvm.object.vm.Vmo;
import dev.zjvm.syscall.testing.ErrorChecks;
import dev.zjvm.syscall.testing.SyscallHarness;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DevInfoTest {
    private final SyscallHarness h = new SyscallHarness();

    private ByteBuffer info(int handle, int topic, int size) {
        long buf = h.alloc(size);
        long actual = h.alloc(8);
        long avail = h.alloc(8);
        assertEquals(ZxStatus.OK, DevInfo.reply(h.ctx, handle, topic).copyOut(h.ctx, buf, size, actual, avail));
        assertEquals(1, h.u64(actual));
        return ByteBuffer.wrap(h.memory.readBytes(buf, size)).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void resourceInfo() {
        Resource r = Resource.root(h.kernel).createChild(ResourceKind.IOPORT.value() | ResourceKind.FLAG_EXCLUSIVE,
                0x3f8, 8, "com1");
        ByteBuffer b = info(h.install(r), DevInfo.RESOURCE, DevInfo.RESOURCE_INFO_SIZE);
        assertEquals(ResourceKind.IOPORT.value(), b.getInt(0));
        assertEquals(ResourceKind.FLAG_EXCLUSIVE, b.getInt(4));
        assertEquals(0x3f8, b.getLong(8));
        assertEquals(8, b.getLong(16));
        assertEquals("com1", new String(b.array(), 24, 4, StandardCharsets.UTF_8));
        assertEquals(0, b.get(28));
        int noInspect = h.install(r, Rights.TRANSFER);
        ZxException e = assertThrows(ZxException.class, () -> DevInfo.reply(h.ctx, noInspect, DevInfo.RESOURCE));
        assertEquals(ZxStatus.ERR_ACCESS_DENIED, e.status());
        assertEquals(ZxStatus.ERR_WRONG_TYPE,
                assertThrows(ZxException.class, () -> DevInfo.reply(h.ctx, h.newEvent(), DevInfo.BTI)).status());
        assertNull(DevInfo.reply(h.ctx, h.newEvent(), 3));
    }

    @Test
    void btiInfoCountsPinsAndQuarantine() {
        Bti bti = Bti.create(Iommu.create(h.kernel, Iommu.TYPE_DUMMY, 1), 0, 1);
        int b = h.install(bti);
        Vmo vmo = Vmo.create(h.kernel, 2 * Vmo.PAGE_SIZE, 0);
        h.install(vmo);
        bti.pin(vmo, 0, Vmo.PAGE_SIZE);
        dev.zjvm.object.dev.Pmt p = bti.pin(vmo, Vmo.PAGE_SIZE, Vmo.PAGE_SIZE);
        h.process.handleTable().close(h.install(p)); // closed without unpin: quarantined
        ByteBuffer info = info(b, DevInfo.BTI, DevInfo.BTI_INFO_SIZE);
        assertEquals(Vmo.PAGE_SIZE, info.getLong(0));
        assertEquals(-1L, info.getLong(8));
        assertEquals(1, info.getLong(16));
        assertEquals(1, info.getLong(24));
    }

    @Test
    void routedThroughObjectGetInfo() {
        Bti bti = Bti.create(Iommu.create(h.kernel, Iommu.TYPE_DUMMY, 1), 0, 1);
        long buf = h.alloc(DevInfo.BTI_INFO_SIZE);
        long actual = h.alloc(8);
        assertEquals(ZxStatus.OK, h.status("object_get_info", h.install(bti), DevInfo.BTI, buf, DevInfo.BTI_INFO_SIZE,
                actual, 0));
        assertEquals(Vmo.PAGE_SIZE, h.u64(buf));
        assertEquals(ZxStatus.ERR_BUFFER_TOO_SMALL, h.status("object_get_info", h.install(bti), DevInfo.BTI, buf, 8, 0, 0));
        ErrorChecks.of(h, "object_get_info").args(0, DevInfo.BTI, 0, DevInfo.BTI_INFO_SIZE, 0, 0)
                .handle(0, () -> h.install(bti), Rights.INSPECT).out(2).run();
        ErrorChecks.of(h, "object_get_info").args(0, DevInfo.RESOURCE, 0, DevInfo.RESOURCE_INFO_SIZE, 0, 0)
                .handle(0, () -> h.install(Resource.root(h.kernel)), Rights.INSPECT).out(2).run();
    }
}
