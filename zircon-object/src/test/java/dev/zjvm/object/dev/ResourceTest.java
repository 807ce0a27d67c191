package dev.zjvm.object.dev;

import static dev.zjvm.object.ZxStatusOf.status;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import org.junit.jupiter.api.Test;

class ResourceTest {
    private final Kernel kernel = Kernel.forTesting(1);


    @Test
    void rootIsUniquePerKernelAndNamedRoot() {
        Resource root = Resource.root(kernel);
        assertSame(root, Resource.root(kernel));
        assertNotSame(root, Resource.root(Kernel.forTesting(2)));
        assertEquals("root", root.name());
        assertEquals(ResourceKind.ROOT, root.kind());
        assertEquals(ObjectType.RESOURCE, root.type());
        assertTrue(root.grants(ResourceKind.MMIO, 0x1000, 0x1000));
    }

    @Test
    void childRangesMustBeCoveredBySameKindParent() {
        Resource mmio = Resource.root(kernel).createChild(ResourceKind.MMIO.value(), 0x1000, 0x4000, "mmio");
        assertTrue(mmio.grants(ResourceKind.MMIO, 0x2000, 0x1000));
        assertFalse(mmio.grants(ResourceKind.MMIO, 0x4000, 0x2000));
        assertFalse(mmio.grants(ResourceKind.IRQ, 0x2000, 1));
        Resource sub = mmio.createChild(ResourceKind.MMIO.value(), 0x2000, 0x1000, "sub");
        assertEquals(0x2000, sub.base());
        assertEquals(ZxStatus.ERR_ACCESS_DENIED, status(() -> mmio.createChild(ResourceKind.MMIO.value(), 0x4000, 0x2000, "x")));
        assertEquals(ZxStatus.ERR_ACCESS_DENIED, status(() -> mmio.createChild(ResourceKind.IRQ.value(), 0x2000, 1, "x")));
    }

    @Test
    void badKindFlagsAndRangedRootAreInvalid() {
        Resource root = Resource.root(kernel);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, status(() -> root.createChild(99, 0, 0, "x")));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, status(() -> root.createChild(ResourceKind.MMIO.value() | 0x20000, 0, 1, "x")));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, status(() -> root.createChild(ResourceKind.ROOT.value(), 0, 1, "x")));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, status(() -> root.createChild(ResourceKind.HYPERVISOR.value(), 4, 0, "x")));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, status(() -> root.createChild(ResourceKind.MMIO.value(), -4096, 8192, "x")));
    }

    @Test
    void exclusiveRangesCannotOverlapUntilReleased() {
        Resource root = Resource.root(kernel);
        Resource ex = root.createChild(ResourceKind.IRQ.value() | ResourceKind.FLAG_EXCLUSIVE, 10, 5, "ex");
        Handle h = Handle.createDefault(ex);
        assertEquals(ZxStatus.ERR_NO_RESOURCES, status(() -> root.createChild(ResourceKind.IRQ.value(), 12, 1, "y")));
        assertEquals(ZxStatus.OK, status(() -> root.createChild(ResourceKind.IRQ.value(), 15, 1, "z")));
        h.destroy();
        assertEquals(ZxStatus.OK, status(() -> root.createChild(ResourceKind.IRQ.value(), 12, 1, "y")));
    }
}
