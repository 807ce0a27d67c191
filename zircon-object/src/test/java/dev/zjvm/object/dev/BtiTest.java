package dev.zjvm.object.dev;

import static dev.zjvm.object.ZxStatusOf.status;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.vm.Vmo;
import dev.zjvm.object.vm.VmoOptions;
import org.junit.jupiter.api.Test;

/** Pins through a BTI: real physical addresses, pin counts on the VMO, quarantine. */
class BtiTest {
    private static final int PAGE = Vmo.PAGE_SIZE;
    private final Kernel kernel = Kernel.forTesting(1);
    private final Bti bti = Bti.create(Iommu.create(kernel, Iommu.TYPE_DUMMY, 1), 0, 3);


    @Test
    void pinReportsThePagesPhysicalAddresses() {
        Vmo vmo = Vmo.create(kernel, 4 * PAGE, 0);
        Pmt pmt = bti.pin(vmo, PAGE, 2 * PAGE);
        assertEquals(vmo.physicalAddress(PAGE), pmt.physicalAddress());
        long[] pages = DmaAddresses.encode(pmt, false, false, 2, Bti.MINIMUM_CONTIGUITY);
        assertArrayEquals(new long[] {vmo.physicalAddress(PAGE), vmo.physicalAddress(2 * PAGE)}, pages);
        assertArrayEquals(pages, DmaAddresses.encode(pmt, true, false, 2, Bti.MINIMUM_CONTIGUITY));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, status(() -> DmaAddresses.encode(pmt, false, false, 1, PAGE)));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, status(() -> DmaAddresses.encode(pmt, false, true, 1, PAGE)),
                "CONTIGUOUS needs a contiguous VMO");
        Pmt four = bti.pin(vmo, 0, 4 * PAGE);
        assertArrayEquals(new long[] {vmo.physicalAddress(0), vmo.physicalAddress(2 * PAGE)},
                DmaAddresses.encode(four, true, false, 2, 2L * PAGE), "compressed: one address per minimum-contiguity chunk");

        // A physical VMO over the same pages pins to the same addresses.
        Vmo phys = Vmo.createPhysical(kernel, vmo.physicalAddress(PAGE), PAGE);
        assertEquals(pmt.physicalAddress(), bti.pin(phys, 0, PAGE).physicalAddress());
        Vmo contiguous = Vmo.createContiguous(kernel, 3 * PAGE, 0);
        Pmt whole = bti.pin(contiguous, 0, 3 * PAGE);
        assertArrayEquals(new long[] {contiguous.physicalAddress(0)}, DmaAddresses.encode(whole, false, true, 1, PAGE));
    }

    @Test
    void pinsHoldTheVmoPagesUntilUnpinned() {
        Vmo vmo = Vmo.create(kernel, 4 * PAGE, VmoOptions.RESIZABLE);
        Handle keep = Handle.createDefault(vmo); // the VMO outlives its pins
        Pmt pmt = bti.pin(vmo, 2 * PAGE, 2 * PAGE);
        assertEquals(ZxStatus.ERR_BAD_STATE, status(() -> vmo.opRange(VmoOptions.OP_DECOMMIT, 0, 4 * PAGE)));
        assertEquals(ZxStatus.ERR_BAD_STATE, status(() -> vmo.setSize(PAGE)));
        pmt.unpin();
        assertFalse(vmo.isPinned(0, 4 * PAGE));
        vmo.opRange(VmoOptions.OP_DECOMMIT, 0, 4 * PAGE);
        vmo.setSize(PAGE);
        keep.destroy();
        assertTrue(vmo.isDead());
    }

    @Test
    void quarantinedPinsStayUntilReleased() {
        Vmo vmo = Vmo.create(kernel, 2 * PAGE, 0);
        Handle keep = Handle.createDefault(vmo);
        Pmt pmt = bti.pin(vmo, 0, PAGE);
        Handle h = Handle.createDefault(pmt);
        h.destroy(); // closed without unpin
        assertEquals(1, bti.quarantineCount());
        assertTrue(vmo.isPinned(0, PAGE), "a quarantined pin still pins: a device may be using the page");
        assertEquals(ZxStatus.ERR_BAD_STATE, status(() -> vmo.decommit(0, PAGE)));
        bti.releaseQuarantine();
        assertFalse(vmo.isPinned(0, PAGE));
        vmo.decommit(0, PAGE);
    }

    @Test
    void aClosedBtiKeepsItsQuarantineAndPinsNoMore() {
        Vmo vmo = Vmo.create(kernel, 2 * PAGE, 0);
        Handle bh = Handle.createDefault(bti);
        Pmt kept = bti.pin(vmo, 0, PAGE);
        Handle.createDefault(bti.pin(vmo, PAGE, PAGE)).destroy();
        bh.destroy();
        assertEquals(ZxStatus.ERR_BAD_STATE, status(() -> bti.pin(vmo, 0, PAGE)));
        assertTrue(vmo.isPinned(PAGE, PAGE), "nothing can release the quarantine any more: the pin leaks, as in Zircon");
        Handle.createDefault(kept).destroy();
        assertEquals(2, bti.quarantineCount());
        assertTrue(vmo.isPinned(0, PAGE));
    }
}
