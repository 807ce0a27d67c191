package dev.zjvm.hal.kvm;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.zjvm.hal.mem.GuestAddressSpace;
import dev.zjvm.hal.mem.MemfdPhysicalMemory;
import dev.zjvm.hal.mem.MemoryExtent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GuestPhysicalSpaceTest {
    private static final int RW = GuestAddressSpace.PROT_READ | GuestAddressSpace.PROT_WRITE;

    @BeforeAll
    static void needKvm() {
        assumeTrue(Kvm.available(), "needs a usable /dev/kvm");
    }

    @Test
    void slotsFollowMappingsAndHoles() {
        try (Kvm kvm = Kvm.open(); KvmVm vm = kvm.createVm(); MemfdPhysicalMemory mem = MemfdPhysicalMemory.create();
             GuestPhysicalSpace space = new GuestPhysicalSpace(vm, 1L << 30)) {
            MemoryExtent a = mem.allocate(0x4000), b = mem.allocate(0x4000);
            space.map(0, a, 0, 0x4000, RW);
            assertEquals(1, space.slotCount());
            space.map(0x4000, b, 0, 0x4000, RW);
            assertEquals(1, space.slotCount(), "adjacent mappings share a slot");
            space.addHole(0x2000, 0x1000);
            assertEquals(2, space.slotCount(), "a trap splits the slot");
            space.unmap(0x4000, 0x4000);
            assertEquals(2, space.slotCount());
            space.unmap(0, 0x2000);
            assertEquals(1, space.slotCount());
            space.addHole(0x3000, 0x1000);
            assertEquals(0, space.slotCount(), "nothing mapped outside the holes");
        }
    }

    @Test
    void readSeesTheExtentAndRefusesWhatIsNotReadable() {
        try (Kvm kvm = Kvm.open(); KvmVm vm = kvm.createVm(); MemfdPhysicalMemory mem = MemfdPhysicalMemory.create();
             GuestPhysicalSpace space = new GuestPhysicalSpace(vm, 1L << 30)) {
            MemoryExtent e = mem.allocate(0x2000);
            e.write(0xffe, new byte[] {1, 2, 3, 4}, 0, 4);
            space.map(0x10000, e, 0, 0x2000, RW);
            byte[] got = new byte[4];
            assertTrue(space.read(0x10ffe, got));
            assertArrayEquals(new byte[] {1, 2, 3, 4}, got);
            assertFalse(space.read(0x11ffe, got), "runs past the mapping");
            space.protect(0x11000, 0x1000, 0);
            assertFalse(space.read(0x10ffe, got), "second page is not readable");
            assertTrue(space.read(0x10ffc, new byte[4]));
            assertFalse(space.read(-4, got));
        }
    }
}
