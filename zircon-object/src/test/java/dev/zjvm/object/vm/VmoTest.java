package dev.zjvm.object.vm;

import static dev.zjvm.object.ZxStatus.*;
import static dev.zjvm.object.vm.Zx.fails;
import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.Rights;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.signal.Signals;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class VmoTest {
    private final Kernel kernel = Kernel.forTesting(1);

    private static byte[] fill(int n, int v) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) v);
        return b;
    }

    @Test
    void createRoundsSizeAndKeepsContentSize() {
        Vmo vmo = Vmo.create(kernel, 5000, 0);
        assertEquals(8192, vmo.size());
        assertEquals(5000, vmo.contentSize());
        assertEquals(0, vmo.committedBytes());
        assertTrue((vmo.signals() & Signals.VMO_ZERO_CHILDREN) != 0);
        assertArrayEquals(new byte[16], vmo.read(100, 16));
    }

    @Test
    void createRejectsBadOptionsAndSizes() {
        fails(ERR_INVALID_ARGS, () -> Vmo.create(kernel, 4096, 1));
        fails(ERR_INVALID_ARGS, () -> Vmo.create(kernel, 4096, 4));
        fails(ERR_OUT_OF_RANGE, () -> Vmo.create(kernel, -1L, 0));
        fails(ERR_OUT_OF_RANGE, () -> Vmo.create(kernel, Vmo.MAX_SIZE + 1, 0));
        assertEquals(0, Vmo.create(kernel, 0, 0).size());
    }

    @Test
    void readWriteAndBounds() {
        Vmo vmo = Vmo.create(kernel, 3 * 4096, 0);
        byte[] data = "hello across a page boundary".getBytes();
        vmo.write(4096 - 5, data);
        assertArrayEquals(data, vmo.read(4096 - 5, data.length));
        assertEquals(2 * 4096, vmo.committedBytes());
        fails(ERR_OUT_OF_RANGE, () -> vmo.write(3 * 4096 - 1, new byte[2]));
        fails(ERR_OUT_OF_RANGE, () -> vmo.read(3 * 4096, 1));
        fails(ERR_OUT_OF_RANGE, () -> vmo.read(Long.MAX_VALUE, new byte[2], 0, 2));
        vmo.read(3 * 4096, 0); // empty read at the end is fine
        assertEquals(3 * 4096, vmo.size());
    }

    @Test
    void resize() {
        Vmo fixed = Vmo.create(kernel, 4096, 0);
        fails(ERR_UNAVAILABLE, () -> fixed.setSize(8192));
        Vmo vmo = Vmo.create(kernel, 4096, VmoOptions.RESIZABLE);
        vmo.write(0, fill(4096, 7));
        vmo.setSize(100);
        assertEquals(4096, vmo.size());
        assertEquals(100, vmo.contentSize());
        byte[] page = vmo.read(0, 4096);
        assertEquals(7, page[99]);
        assertEquals(0, page[100], "tail past the new size is zeroed");
        vmo.setSize(0);
        assertEquals(0, vmo.committedBytes());
        // Growing past the initial reservation moves the pages and keeps the data.
        long big = Vmo.RESIZABLE_RESERVE * 2;
        vmo.setSize(4096);
        vmo.write(0, fill(10, 3));
        vmo.setSize(big);
        assertEquals(big, vmo.size());
        assertArrayEquals(fill(10, 3), vmo.read(0, 10));
        vmo.write(big - 1, new byte[] {9});
        vmo.setSize(4096);
        fails(ERR_OUT_OF_RANGE, () -> vmo.read(4096, 1));
        fails(ERR_OUT_OF_RANGE, () -> vmo.setSize(-4096L));
    }

    @Test
    void opRangeCommitDecommitZero() {
        Vmo vmo = Vmo.create(kernel, 4 * 4096, 0);
        vmo.opRange(VmoOptions.OP_COMMIT, 10, 4096);
        assertEquals(2 * 4096, vmo.committedBytes());
        vmo.opRange(VmoOptions.OP_COMMIT, 0, Long.MAX_VALUE); // trimmed to the size
        assertEquals(4 * 4096, vmo.committedBytes());
        fails(ERR_OUT_OF_RANGE, () -> vmo.opRange(VmoOptions.OP_COMMIT, 5 * 4096, 1));
        fails(ERR_INVALID_ARGS, () -> vmo.opRange(VmoOptions.OP_DECOMMIT, 1, 4096));
        fails(ERR_INVALID_ARGS, () -> vmo.opRange(VmoOptions.OP_DECOMMIT, 0, 100));
        vmo.write(0, fill(4 * 4096, 5));
        vmo.opRange(VmoOptions.OP_DECOMMIT, 4096, 8192);
        assertEquals(2 * 4096, vmo.committedBytes());
        assertArrayEquals(new byte[8192], vmo.read(4096, 8192));
        vmo.opRange(VmoOptions.OP_ZERO, 10, 20);
        byte[] head = vmo.read(0, 40);
        assertEquals(5, head[9]);
        assertEquals(0, head[10]);
        assertEquals(0, head[29]);
        assertEquals(5, head[30]);
        fails(ERR_NOT_SUPPORTED, () -> vmo.opRange(VmoOptions.OP_LOCK, 0, 4096));
        fails(ERR_INVALID_ARGS, () -> vmo.opRange(5, 0, 4096));
        fails(ERR_INVALID_ARGS, () -> vmo.opRange(99, 0, 4096));
        vmo.opRange(VmoOptions.OP_CACHE_CLEAN, 0, 4096);
        fails(ERR_INVALID_ARGS, () -> vmo.opRange(VmoOptions.OP_CACHE_SYNC, 0, 0));
        fails(ERR_OUT_OF_RANGE, () -> vmo.opRange(VmoOptions.OP_CACHE_INVALIDATE, 4096, 4 * 4096));
    }

    @Test
    void rightsForOps() {
        assertEquals(Rights.WRITE, VmoOptions.rightsForOp(VmoOptions.OP_COMMIT));
        assertEquals(Rights.WRITE, VmoOptions.rightsForOp(VmoOptions.OP_CACHE_INVALIDATE));
        assertEquals(Rights.READ, VmoOptions.rightsForOp(VmoOptions.OP_CACHE_CLEAN_INVALIDATE));
        assertEquals(-1, VmoOptions.rightsForOp(42));
    }

    @Test
    void snapshotIsIsolatedBothWays() {
        Vmo parent = Vmo.create(kernel, 2 * 4096, 0);
        parent.setName("parent");
        parent.write(0, fill(8192, 1));
        Vmo child = parent.createChild(VmoOptions.CHILD_SNAPSHOT, 4096, 3 * 4096, true);
        assertEquals(3 * 4096, child.size());
        assertEquals("parent", child.name());
        assertTrue(child.isCowClone());
        assertArrayEquals(fill(4096, 1), child.read(0, 4096));
        assertArrayEquals(new byte[4096], child.read(4096, 4096), "beyond the parent reads zero");
        parent.write(4096, fill(4096, 2));
        assertEquals(1, child.read(0, 1)[0]);
        child.write(0, fill(4096, 3));
        assertEquals(2, parent.read(4096, 1)[0]);
        assertEquals(0, parent.signals() & Signals.VMO_ZERO_CHILDREN);
        assertEquals(1, parent.childCount());
        assertEquals(parent.koid(), child.info(true, 0).parentKoid());
        fails(ERR_NOT_SUPPORTED, () -> child.decommit(0, 4096));
    }

    @Test
    void sliceSharesPages() {
        Vmo parent = Vmo.create(kernel, 4 * 4096, 0);
        Vmo slice = parent.createChild(VmoOptions.CHILD_SLICE, 4096, 2 * 4096, false);
        slice.write(0, new byte[] {42});
        assertEquals(42, parent.read(4096, 1)[0]);
        parent.write(2 * 4096 + 5, new byte[] {43});
        assertEquals(43, slice.read(4096 + 5, 1)[0]);
        assertEquals(0, slice.committedBytes());
        assertFalse(slice.isResizable());
        fails(ERR_UNAVAILABLE, () -> slice.setSize(4096));
        fails(ERR_OUT_OF_RANGE, () -> slice.read(2 * 4096, 1));
        slice.decommit(0, 4096);
        assertEquals(0, parent.read(4096, 1)[0]);
        Vmo sliceOfSlice = slice.createChild(VmoOptions.CHILD_SLICE | VmoOptions.CHILD_NO_WRITE, 4096, 4096, false);
        assertEquals(43, sliceOfSlice.read(5, 1)[0]);
    }

    @Test
    void childErrors() {
        Vmo parent = Vmo.create(kernel, 4 * 4096, 0);
        fails(ERR_INVALID_ARGS, () -> parent.createChild(0, 0, 4096, false));
        fails(ERR_INVALID_ARGS, () -> parent.createChild(VmoOptions.CHILD_SLICE | VmoOptions.CHILD_SNAPSHOT, 0, 4096, false));
        fails(ERR_INVALID_ARGS, () -> parent.createChild(VmoOptions.CHILD_SNAPSHOT | VmoOptions.CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, 4096, false));
        fails(ERR_INVALID_ARGS, () -> parent.createChild(VmoOptions.CHILD_SNAPSHOT, 100, 4096, false));
        fails(ERR_INVALID_ARGS, () -> parent.createChild(VmoOptions.CHILD_SNAPSHOT | 0x40, 0, 4096, false));
        fails(ERR_INVALID_ARGS, () -> parent.createChild(VmoOptions.CHILD_SLICE, 4096, 4 * 4096, false));
        fails(ERR_OUT_OF_RANGE, () -> parent.createChild(VmoOptions.CHILD_SNAPSHOT, 0, -1L, false));
        Vmo resizable = Vmo.create(kernel, 4096, VmoOptions.RESIZABLE);
        fails(ERR_NOT_SUPPORTED, () -> resizable.createChild(VmoOptions.CHILD_SLICE, 0, 4096, false));
        Vmo rc = resizable.createChild(VmoOptions.CHILD_SNAPSHOT | VmoOptions.CHILD_RESIZABLE, 0, 4096, false);
        assertTrue(rc.isResizable());
        rc.setSize(3 * 4096);
        assertEquals(0, parent.childCount());
    }

    @Test
    void childRights() {
        int parentRights = ObjectTypeRights.VMO | Rights.EXECUTE;
        int snap = VmoOptions.childRights(parentRights & ~Rights.WRITE, VmoOptions.CHILD_SNAPSHOT);
        assertTrue(Rights.has(snap, Rights.WRITE));
        assertFalse(Rights.has(snap, Rights.EXECUTE));
        int noWrite = VmoOptions.childRights(parentRights, VmoOptions.CHILD_SNAPSHOT | VmoOptions.CHILD_NO_WRITE);
        assertFalse(Rights.has(noWrite, Rights.WRITE));
        assertTrue(Rights.has(noWrite, Rights.EXECUTE));
        int slice = VmoOptions.childRights(parentRights, VmoOptions.CHILD_SLICE);
        assertEquals(parentRights | Rights.GET_PROPERTY | Rights.SET_PROPERTY, slice);
    }

    private static final class ObjectTypeRights {
        static final int VMO = dev.zjvm.object.ObjectType.VMO.defaultRights();
    }

    @Test
    void zeroChildrenSignalFollowsChildHandles() {
        Vmo parent = Vmo.create(kernel, 4096, 0);
        Vmo child = parent.createChild(VmoOptions.CHILD_SNAPSHOT, 0, 4096, false);
        Handle h = Handle.createDefault(child);
        Handle h2 = Handle.create(child, Rights.READ);
        assertEquals(0, parent.signals() & Signals.VMO_ZERO_CHILDREN);
        h.destroy();
        assertEquals(0, parent.signals() & Signals.VMO_ZERO_CHILDREN);
        h2.destroy();
        assertTrue(child.isDead());
        assertNotEquals(0, parent.signals() & Signals.VMO_ZERO_CHILDREN);
        assertEquals(0, parent.childCount());
    }

    @Test
    void deadVmoFreesMemory() {
        long before = kernel.memory().committedBytes();
        Vmo vmo = Vmo.create(kernel, 8192, 0);
        Handle h = Handle.createDefault(vmo);
        vmo.write(0, fill(8192, 1));
        assertEquals(before + 8192, kernel.memory().committedBytes());
        h.destroy();
        assertEquals(before, kernel.memory().committedBytes());
        fails(ERR_BAD_STATE, () -> vmo.read(0, 1));
    }

    @Test
    void sliceKeepsPagesAliveAfterParentDies() {
        Vmo parent = Vmo.create(kernel, 8192, 0);
        Handle ph = Handle.createDefault(parent);
        Vmo slice = parent.createChild(VmoOptions.CHILD_SLICE, 0, 8192, false);
        Handle sh = Handle.createDefault(slice);
        parent.write(0, new byte[] {5});
        ph.destroy();
        assertEquals(5, slice.read(0, 1)[0]);
        sh.destroy();
    }

    @Test
    void cachePolicy() {
        Vmo vmo = Vmo.create(kernel, 4096, 0);
        fails(ERR_INVALID_ARGS, () -> vmo.setCachePolicy(4));
        vmo.setCachePolicy(VmoOptions.CACHE_POLICY_UNCACHED);
        fails(ERR_BAD_STATE, () -> vmo.read(0, 1));
        fails(ERR_BAD_STATE, () -> vmo.createChild(VmoOptions.CHILD_SNAPSHOT, 0, 4096, false));
        vmo.setCachePolicy(VmoOptions.CACHE_POLICY_CACHED);
        vmo.write(0, new byte[] {1});
        Vmo child = vmo.createChild(VmoOptions.CHILD_SLICE, 0, 4096, false);
        fails(ERR_BAD_STATE, () -> vmo.setCachePolicy(VmoOptions.CACHE_POLICY_UNCACHED));
        fails(ERR_BAD_STATE, () -> child.setCachePolicy(VmoOptions.CACHE_POLICY_UNCACHED));
    }

    @Test
    void infoRecord() {
        Vmo vmo = Vmo.create(kernel, 4096, VmoOptions.RESIZABLE);
        vmo.setName("info-test");
        vmo.write(0, new byte[] {1});
        VmoInfo info = vmo.info(true, 0xd0ef);
        assertEquals(vmo.koid(), info.koid());
        assertEquals("info-test", new String(info.name()));
        assertEquals(4096, info.sizeBytes());
        assertEquals(4096, info.committedBytes());
        assertEquals(VmoOptions.INFO_TYPE_PAGED | VmoOptions.INFO_RESIZABLE | VmoOptions.INFO_VIA_HANDLE, info.flags());
        assertEquals(0xd0ef, info.handleRights());
        assertEquals(1, info.shareCount());
    }

    @Test
    void contiguous() {
        fails(ERR_INVALID_ARGS, () -> Vmo.createContiguous(kernel, 0, 0));
        fails(ERR_INVALID_ARGS, () -> Vmo.createContiguous(kernel, 4096, 11));
        fails(ERR_INVALID_ARGS, () -> Vmo.createContiguous(kernel, 4096, 64));
        Vmo vmo = Vmo.createContiguous(kernel, 3 * 4096, 12);
        assertEquals(3 * 4096, vmo.committedBytes());
        assertTrue(vmo.isContiguous());
        assertNotEquals(0, vmo.info(true, 0).flags() & VmoOptions.INFO_CONTIGUOUS);
        fails(ERR_NOT_SUPPORTED, () -> vmo.decommit(0, 4096));
        vmo.write(0, fill(4096, 1));
        vmo.zero(0, 4096);
        assertEquals(3 * 4096, vmo.committedBytes(), "zeroing keeps the pages");
        assertArrayEquals(new byte[4096], vmo.read(0, 4096));
        Vmo slice = vmo.createChild(VmoOptions.CHILD_SLICE, 4096, 4096, false);
        fails(ERR_NOT_SUPPORTED, () -> slice.decommit(0, 4096));
        fails(ERR_UNAVAILABLE, () -> vmo.setSize(4096));
    }
}
