package dev.zjvm.object.vm;

import static dev.zjvm.object.vm.VmOptions.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.hal.mem.NativeMemory;
import dev.zjvm.hal.time.NanoTimeClock;
import dev.zjvm.object.Kernel;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** VMARs over a real native address space: what the kernel maps is what the host sees. */
class NativeVmarTest {
    private static final int PAGE = 4096;
    private final NativeMemory mem = NativeMemory.create(1L << 32);
    private final Kernel kernel = new Kernel(mem.physicalMemory(), new NanoTimeClock(), mem::newAddressSpace, 1);

    @AfterEach
    void close() {
        kernel.close();
        mem.close();
    }

    private static MemorySegment at(long addr, long len) {
        return MemorySegment.ofAddress(addr).reinterpret(len);
    }

    @Test
    void mappingsAreLiveHostMemory() {
        VmAddressSpace as = VmAddressSpace.create(kernel, 1L << 28);
        assertTrue(as.guest().isNative());
        Vmo vmo = Vmo.create(kernel, 4 * PAGE, 0);
        vmo.write(PAGE, new byte[] {11, 12});
        VmMapping m = as.root().map(PERM_READ | PERM_WRITE, 0, vmo, 0, 4 * PAGE);
        // The host address is the guest address: the kernel write is visible there, and back.
        assertEquals(11, at(m.base() + PAGE, 2).get(ValueLayout.JAVA_BYTE, 0));
        at(m.base() + 3 * PAGE, 1).set(ValueLayout.JAVA_BYTE, 0, (byte) 99);
        assertEquals(99, vmo.read(3 * PAGE, 1)[0]);
        byte[] b = new byte[1];
        as.read(m.base() + 3 * PAGE, b, 0, 1);
        assertEquals(99, b[0]);
        // Split by unmap and protect, then decommit through the VMAR: the host follows.
        as.root().protect(PERM_READ, m.base(), PAGE);
        as.root().unmap(m.base() + 2 * PAGE, PAGE);
        assertEquals(3, as.root().mappings().size());
        as.root().opRange(VmoOptions.OP_DECOMMIT, m.base() + 3 * PAGE, PAGE);
        assertEquals(0, at(m.base() + 3 * PAGE, 1).get(ValueLayout.JAVA_BYTE, 0));
        // A slice mapped elsewhere aliases the same pages.
        Vmo slice = vmo.createChild(VmoOptions.CHILD_SLICE, PAGE, PAGE, false);
        VmMapping sm = as.root().map(PERM_READ, 0, slice, 0, PAGE);
        assertEquals(12, at(sm.base() + 1, 1).get(ValueLayout.JAVA_BYTE, 0));
        as.close();
    }

    @Test
    void aPhysicalVmoOverAContiguousVmoMapsTheSameMemfdPages() {
        VmAddressSpace as = VmAddressSpace.create(kernel, 1L << 28);
        Vmo contiguous = Vmo.createContiguous(kernel, 4 * PAGE, 16);
        Vmo phys = Vmo.createPhysical(kernel, contiguous.physicalAddress(PAGE), 2 * PAGE);
        VmMapping m = as.root().map(PERM_READ | PERM_WRITE, 0, phys, 0, 2 * PAGE);
        contiguous.write(PAGE + 3, new byte[] {42});
        assertEquals(42, at(m.base() + 3, 1).get(ValueLayout.JAVA_BYTE, 0), "the guest sees the contiguous VMO's write");
        at(m.base() + PAGE, 1).set(ValueLayout.JAVA_BYTE, 0, (byte) 77);
        assertEquals(77, contiguous.read(2 * PAGE, 1)[0], "and the contiguous VMO sees the guest's store");
        as.close();
        // The memfd's size bounds physical memory.
        long space = mem.physicalMemory().physicalSize();
        ZxException tooBig = assertThrows(ZxException.class, () -> Vmo.createContiguous(kernel, 2 * space, 0));
        assertEquals(ZxStatus.ERR_NO_MEMORY, tooBig.status(), "no contiguous run that long");
        ZxException outside = assertThrows(ZxException.class, () -> Vmo.createPhysical(kernel, space, PAGE));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, outside.status());
    }
}
