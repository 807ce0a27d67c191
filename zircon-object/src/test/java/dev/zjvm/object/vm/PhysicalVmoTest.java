package dev.zjvm.object.vm;

import static dev.zjvm.object.ZxStatus.*;
import static dev.zjvm.object.vm.VmOptions.PERM_READ;
import static dev.zjvm.object.vm.VmOptions.PERM_WRITE;
import static dev.zjvm.object.vm.Zx.fails;
import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.task.BlockingContext;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Contiguous and physical VMOs over the kernel's physical memory, and pins on VMO pages. */
class PhysicalVmoTest {
    private static final int PAGE = Vmo.PAGE_SIZE;
    private final Kernel kernel = Kernel.forTesting(1);

    private static byte[] fill(int n, int v) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) v);
        return b;
    }

    @Test
    void contiguousVmosAreAlignedRunsOfPhysicalMemory() {
        Vmo a = Vmo.createContiguous(kernel, 3 * PAGE, 0);
        Vmo b = Vmo.createContiguous(kernel, 2 * PAGE + 1, 21);
        assertEquals(0, b.physicalAddress(0) % (1L << 21), "2 MiB aligned");
        assertEquals(b.physicalAddress(0) + PAGE, b.physicalAddress(PAGE));
        long aEnd = a.physicalAddress(0) + a.size();
        assertTrue(aEnd <= b.physicalAddress(0) || b.physicalAddress(0) + b.size() <= a.physicalAddress(0), "disjoint runs");
        assertEquals(3L * PAGE, b.size());
        assertEquals(2L * PAGE + 1, b.contentSize());
        assertEquals(3L * PAGE, b.committedBytes());
        VmoInfo info = b.info(true, 0);
        assertEquals(VmoOptions.INFO_TYPE_PAGED | VmoOptions.INFO_CONTIGUOUS | VmoOptions.INFO_VIA_HANDLE, info.flags());
        // Alignment beyond the physical space: no such run.
        fails(ERR_NO_MEMORY, () -> Vmo.createContiguous(kernel, PAGE, 63));
        fails(ERR_OUT_OF_RANGE, () -> Vmo.createContiguous(kernel, Vmo.MAX_SIZE + 1, 0));
        Vmo slice = b.createChild(VmoOptions.CHILD_SLICE, PAGE, PAGE, false);
        assertTrue(slice.isContiguous(), "a slice of a contiguous VMO is contiguous");
        assertEquals(b.physicalAddress(PAGE), slice.physicalAddress(0));
    }

    @Test
    void physicalVmoSeesTheOwnersPagesThroughMappings() {
        Vmo owner = Vmo.createContiguous(kernel, 4 * PAGE, 0);
        owner.write(PAGE + 5, new byte[] {1, 2, 3});
        Vmo phys = Vmo.createPhysical(kernel, owner.physicalAddress(PAGE), 2 * PAGE);
        assertTrue(phys.isPhysical());
        assertTrue(phys.isContiguous());
        assertEquals(owner.physicalAddress(PAGE), phys.physicalAddress(0));
        assertEquals(VmoOptions.CACHE_POLICY_UNCACHED, phys.cachePolicy(), "physical VMOs start uncached (Zircon)");
        VmoInfo info = phys.info(true, 0);
        assertEquals(VmoOptions.INFO_TYPE_PHYSICAL | VmoOptions.INFO_CONTIGUOUS | VmoOptions.INFO_VIA_HANDLE, info.flags());
        assertEquals(0, info.committedBytes(), "the pages are not the physical VMO's");

        VmAddressSpace as = VmAddressSpace.create(kernel, 1L << 28);
        VmMapping m = as.root().map(PERM_READ | PERM_WRITE, 0, phys, 0, 2 * PAGE);
        byte[] b = new byte[3];
        as.read(m.base() + 5, b, 0, 3);
        assertArrayEquals(new byte[] {1, 2, 3}, b, "the mapping reaches the owner's page");
        as.write(m.base() + PAGE + 9, new byte[] {7}, 0, 1);
        assertEquals(7, owner.read(2 * PAGE + 9, 1)[0], "the owner sees the write through the physical mapping");

        // A second physical VMO over the same address is the same memory.
        Vmo again = Vmo.createPhysical(kernel, owner.physicalAddress(2 * PAGE), PAGE);
        VmMapping m2 = as.root().map(PERM_READ, 0, again, 0, PAGE);
        as.read(m2.base() + 9, b, 0, 1);
        assertEquals(7, b[0]);
        as.close();
    }

    @Test
    void physicalVmoRules() {
        long space = kernel.memory().physicalSize();
        fails(ERR_INVALID_ARGS, () -> Vmo.createPhysical(kernel, 1, PAGE));
        fails(ERR_INVALID_ARGS, () -> Vmo.createPhysical(kernel, 0, PAGE + 1));
        fails(ERR_INVALID_ARGS, () -> Vmo.createPhysical(kernel, 0, 0));
        fails(ERR_INVALID_ARGS, () -> Vmo.createPhysical(kernel, -PAGE, 2 * PAGE), "wraps");
        fails(ERR_INVALID_ARGS, () -> Vmo.createPhysical(kernel, space, PAGE), "beyond the physical memory");
        fails(ERR_INVALID_ARGS, () -> Vmo.createPhysical(kernel, space - PAGE, 2 * PAGE));
        Vmo last = Vmo.createPhysical(kernel, space - PAGE, PAGE);
        assertEquals(PAGE, last.size());

        Vmo phys = Vmo.createPhysical(kernel, 16L * PAGE, 4 * PAGE);
        Vmo uncachedSlice = phys.createChild(VmoOptions.CHILD_SLICE, 0, PAGE, false);
        assertEquals(VmoOptions.CACHE_POLICY_UNCACHED, uncachedSlice.cachePolicy(), "a physical slice inherits the policy");
        fails(ERR_BAD_STATE, () -> phys.setCachePolicy(VmoOptions.CACHE_POLICY_CACHED), "has a child");
        uncachedSlice.retain();
        uncachedSlice.release();
        fails(ERR_NOT_SUPPORTED, () -> phys.read(0, 1), "no kernel reads of a physical VMO (2020)");
        fails(ERR_NOT_SUPPORTED, () -> phys.write(0, new byte[1]));
        fails(ERR_NOT_SUPPORTED, () -> phys.setSize(PAGE));
        fails(ERR_NOT_SUPPORTED, () -> phys.opRange(VmoOptions.OP_COMMIT, 0, PAGE));
        fails(ERR_NOT_SUPPORTED, () -> phys.opRange(VmoOptions.OP_DECOMMIT, 0, PAGE));
        fails(ERR_NOT_SUPPORTED, () -> phys.opRange(VmoOptions.OP_ZERO, 0, PAGE));
        phys.opRange(VmoOptions.OP_CACHE_CLEAN, 0, PAGE);
        fails(ERR_NOT_SUPPORTED, () -> phys.createChild(VmoOptions.CHILD_SNAPSHOT, 0, PAGE, false));
        fails(ERR_NOT_SUPPORTED, () -> phys.createChild(VmoOptions.CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, PAGE, false));
        // Cache policy: settable while unmapped and childless; the current one again is a no-op.
        phys.setCachePolicy(VmoOptions.CACHE_POLICY_WRITE_COMBINING);
        phys.setCachePolicy(VmoOptions.CACHE_POLICY_CACHED);
        fails(ERR_NOT_SUPPORTED, () -> phys.read(0, 1), "cached or not, physical VMOs are mapped, not read");
        Vmo slice = phys.createChild(VmoOptions.CHILD_SLICE, PAGE, PAGE, false);
        assertTrue(slice.isPhysical());
        assertEquals(phys.physicalAddress(PAGE), slice.physicalAddress(0));
        fails(ERR_BAD_STATE, () -> phys.setCachePolicy(VmoOptions.CACHE_POLICY_UNCACHED), "has a child");
        phys.setCachePolicy(VmoOptions.CACHE_POLICY_CACHED);
        fails(ERR_NOT_SUPPORTED, () -> slice.opRange(VmoOptions.OP_COMMIT, 0, PAGE));
    }

    @Test
    void freedPagesWrittenThroughAPhysicalVmoComeBackZeroed() {
        Vmo owner = Vmo.create(kernel, 2 * PAGE, 0);
        owner.commit(0, 2 * PAGE);
        long at = owner.physicalAddress(0);
        Vmo phys = Vmo.createPhysical(kernel, at, 2 * PAGE);
        owner.retain();
        owner.release(); // no handle was ever made: this drops the last reference and frees the pages
        assertTrue(owner.isDead());
        VmAddressSpace as = VmAddressSpace.create(kernel, 1L << 28);
        VmMapping m = as.root().map(PERM_READ | PERM_WRITE, 0, phys, 0, 2 * PAGE);
        as.write(m.base(), fill(2 * PAGE, 9), 0, 2 * PAGE);
        Vmo next = Vmo.create(kernel, 2 * PAGE, 0);
        assertArrayEquals(new byte[2 * PAGE], next.read(0, 2 * PAGE), "a new VMO starts zeroed whatever a physical VMO wrote");
        as.close();
    }

    @Test
    void pinnedPagesCannotBeDecommittedOrShrunkAway() {
        Vmo vmo = Vmo.create(kernel, 8 * PAGE, VmoOptions.RESIZABLE);
        vmo.write(2 * PAGE, fill(PAGE, 4));
        long paddr = vmo.pin(2 * PAGE, 2 * PAGE, BlockingContext.NONE);
        assertEquals(vmo.physicalAddress(2 * PAGE), paddr);
        assertTrue(vmo.isPinned(3 * PAGE, PAGE));
        assertFalse(vmo.isPinned(4 * PAGE, 4 * PAGE));
        assertTrue(vmo.committedBytes() >= 2L * PAGE, "pinned pages are committed");
        fails(ERR_BAD_STATE, () -> vmo.decommit(0, 4 * PAGE));
        fails(ERR_BAD_STATE, () -> vmo.opRange(VmoOptions.OP_DECOMMIT, 3 * PAGE, PAGE));
        vmo.decommit(4 * PAGE, 4 * PAGE); // unpinned pages still go
        fails(ERR_BAD_STATE, () -> vmo.setSize(3 * PAGE), "shrinking over a pinned page");
        vmo.setSize(4 * PAGE); // ends right after the pin
        fails(ERR_NO_MEMORY, () -> vmo.setSize(64L << 20), "growing would move pinned pages");
        vmo.zero(2 * PAGE, PAGE);
        assertArrayEquals(new byte[PAGE], vmo.read(2 * PAGE, PAGE), "zeroing a pinned page overwrites it");
        assertEquals(paddr, vmo.physicalAddress(2 * PAGE), "and leaves it where it is");
        fails(ERR_OUT_OF_RANGE, () -> vmo.pin(3 * PAGE, 2 * PAGE, BlockingContext.NONE));

        // Pins count: two pins over a page need two unpins.
        vmo.pin(2 * PAGE, PAGE, BlockingContext.NONE);
        vmo.unpin(2 * PAGE, 2 * PAGE);
        fails(ERR_BAD_STATE, () -> vmo.decommit(2 * PAGE, PAGE));
        vmo.decommit(3 * PAGE, PAGE);
        vmo.unpin(2 * PAGE, PAGE);
        vmo.decommit(0, 4 * PAGE);
        vmo.setSize(PAGE);
        assertThrows(IllegalStateException.class, () -> vmo.unpin(0, PAGE), "unpin without pin is a kernel bug");
    }

    @Test
    void pinsThroughASliceGuardTheParentsPages() {
        Vmo parent = Vmo.create(kernel, 4 * PAGE, 0);
        Vmo slice = parent.createChild(VmoOptions.CHILD_SLICE, 2 * PAGE, 2 * PAGE, false);
        slice.pin(0, PAGE, BlockingContext.NONE);
        fails(ERR_BAD_STATE, () -> parent.decommit(2 * PAGE, PAGE));
        parent.decommit(0, 2 * PAGE);
        slice.unpin(0, PAGE);
        parent.decommit(2 * PAGE, PAGE);
    }
}
