package dev.zjvm.object.vm;

import static dev.zjvm.object.ZxStatus.*;
import static dev.zjvm.object.vm.VmOptions.*;
import static dev.zjvm.object.vm.Zx.fails;
import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.hal.mem.DetachedAddressSpace;
import dev.zjvm.hal.mem.GuestAddressSpace;
import dev.zjvm.hal.mem.MemoryExtent;
import dev.zjvm.object.Kernel;
import dev.zjvm.object.Rights;
import dev.zjvm.object.handle.Handle;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VmarTest {
    private static final long PAGE = 4096;
    private final Kernel kernel = Kernel.forTesting(7);

    /** Records the host operations the VMAR code asks for. */
    static final class RecordingSpace implements GuestAddressSpace {
        final DetachedAddressSpace inner;
        final List<String> ops = new ArrayList<>();

        RecordingSpace(long base, long size) {
            inner = new DetachedAddressSpace(base, size);
        }

        @Override public long base() { return inner.base(); }
        @Override public long size() { return inner.size(); }
        @Override public void map(long vaddr, MemoryExtent extent, long off, long len, int prot) {
            ops.add(String.format("map %x %x %x %d", vaddr, off, len, prot));
        }
        @Override public void protect(long vaddr, long len, int prot) { ops.add(String.format("protect %x %x %d", vaddr, len, prot)); }
        @Override public void unmap(long vaddr, long len) { ops.add(String.format("unmap %x %x", vaddr, len)); }
        @Override public boolean isNative() { return false; }
        @Override public void close() { ops.add("close"); }
    }

    private VmAddressSpace aspace() {
        return VmAddressSpace.create(kernel, 1L << 32);
    }

    @Test
    void rootCoversGuestRange() {
        RecordingSpace g = new RecordingSpace(0x10000000L, 1L << 30);
        VmAddressSpace as = VmAddressSpace.over(kernel, g);
        Vmar root = as.root();
        assertEquals(0x10000000L, root.base());
        assertEquals(1L << 30, root.size());
        assertEquals(0x801f, root.handleRights());
        fails(ERR_NOT_SUPPORTED, root::destroy);
        as.close();
        assertTrue(g.ops.contains("close"));
    }

    @Test
    void mapRandomizedAndReproducible() {
        long a1 = VmAddressSpace.create(Kernel.forTesting(99), 1L << 32).root().map(PERM_READ, 0, Vmo.create(kernel, PAGE, 0), 0, PAGE).base();
        long a2 = VmAddressSpace.create(Kernel.forTesting(99), 1L << 32).root().map(PERM_READ, 0, Vmo.create(kernel, PAGE, 0), 0, PAGE).base();
        VmAddressSpace as3 = VmAddressSpace.create(Kernel.forTesting(100), 1L << 32);
        long a3 = as3.root().map(PERM_READ, 0, Vmo.create(kernel, PAGE, 0), 0, PAGE).base() - as3.root().base();
        long base = VmAddressSpace.create(Kernel.forTesting(99), 1L << 32).root().base();
        assertEquals(a1 - base, a2 - base, "same seed, same placement");
        assertNotEquals(a1 - base, a3, "different seeds spread placements");
    }

    @Test
    void mapRecordsHostMappingAndRoundsLength() {
        RecordingSpace g = new RecordingSpace(0x10000000L, 1L << 30);
        VmAddressSpace as = VmAddressSpace.over(kernel, g);
        Vmo vmo = Vmo.create(kernel, 3 * PAGE, 0);
        VmMapping m = as.root().map(PERM_READ | PERM_WRITE | SPECIFIC, 0x5000, vmo, PAGE, 100);
        assertEquals(0x10005000L, m.base());
        assertEquals(PAGE, m.size());
        assertEquals(List.of("map 10005000 1000 1000 3"), g.ops);
        assertEquals(1, vmo.mappingCount());
        // A mapping past the end of the VMO is allowed; only the part with memory is host-mapped.
        VmMapping beyond = as.root().map(PERM_READ | SPECIFIC, 0x10000, vmo, 2 * PAGE, 3 * PAGE);
        assertEquals(3 * PAGE, beyond.size());
        assertEquals("map 10010000 2000 1000 1", g.ops.get(1));
    }

    @Test
    void mapErrors() {
        VmAddressSpace as = aspace();
        Vmar root = as.root();
        Vmo vmo = Vmo.create(kernel, PAGE, 0);
        fails(ERR_INVALID_ARGS, () -> root.map(PERM_WRITE, 0, vmo, 0, PAGE));
        fails(ERR_INVALID_ARGS, () -> root.map(PERM_EXECUTE, 0, vmo, 0, PAGE));
        fails(ERR_INVALID_ARGS, () -> root.map(PERM_READ, 0, vmo, 0, 0));
        fails(ERR_INVALID_ARGS, () -> root.map(PERM_READ, PAGE, vmo, 0, PAGE));
        fails(ERR_INVALID_ARGS, () -> root.map(PERM_READ, 0, vmo, 100, PAGE));
        fails(ERR_INVALID_ARGS, () -> root.map(PERM_READ, 0, vmo, -PAGE, 2 * PAGE));
        fails(ERR_INVALID_ARGS, () -> root.map(PERM_READ | MAP_RANGE | SPECIFIC_OVERWRITE, 0, vmo, 0, PAGE));
        fails(ERR_INVALID_ARGS, () -> root.map(PERM_READ | COMPACT, 0, vmo, 0, PAGE));
        fails(ERR_INVALID_ARGS, () -> root.map(PERM_READ | (1 << 14), 0, vmo, 0, PAGE));
        fails(ERR_INVALID_ARGS, () -> root.map(PERM_READ | align(9), 0, vmo, 0, PAGE));
        fails(ERR_INVALID_ARGS, () -> root.map(PERM_READ | align(33), 0, vmo, 0, PAGE));
        fails(ERR_INVALID_ARGS, () -> root.map(PERM_READ | SPECIFIC, root.size(), vmo, 0, PAGE));
        fails(ERR_INVALID_ARGS, () -> root.map(PERM_READ | SPECIFIC, 100, vmo, 0, PAGE));
        fails(ERR_INVALID_ARGS, () -> root.map(PERM_READ | SPECIFIC | align(16), PAGE, vmo, 0, PAGE));
        fails(ERR_NOT_SUPPORTED, () -> root.map(PERM_READ | REQUIRE_NON_RESIZABLE, 0, Vmo.create(kernel, PAGE, VmoOptions.RESIZABLE), 0, PAGE));
        root.map(PERM_READ | SPECIFIC, 0, vmo, 0, PAGE);
        fails(ERR_NO_MEMORY, () -> root.map(PERM_READ | SPECIFIC, 0, vmo, 0, PAGE));
        fails(ERR_NO_MEMORY, () -> root.map(PERM_READ, 0, vmo, 0, root.size()));
        assertEquals(1, root.mappings().size());
    }

    @Test
    void alignment() {
        Vmar root = aspace().root();
        Vmo vmo = Vmo.create(kernel, PAGE, 0);
        for (int i = 0; i < 20; i++) {
            VmMapping m = root.map(PERM_READ | align(20), 0, vmo, 0, PAGE);
            assertEquals(0, m.base() & ((1 << 20) - 1));
        }
    }

    @Test
    void allocateSubVmarRules() {
        Vmar root = aspace().root();
        Vmar sub = root.allocate(CAN_MAP_READ | CAN_MAP_SPECIFIC, 0, 16 * PAGE);
        assertEquals(16 * PAGE, sub.size());
        assertEquals(0x8003 | Rights.READ, sub.handleRights());
        Vmo vmo = Vmo.create(kernel, PAGE, 0);
        fails(ERR_ACCESS_DENIED, () -> sub.map(PERM_READ | PERM_WRITE, 0, vmo, 0, PAGE));
        fails(ERR_ACCESS_DENIED, () -> sub.allocate(CAN_MAP_WRITE, 0, PAGE));
        VmMapping m = sub.map(PERM_READ | SPECIFIC, 2 * PAGE, vmo, 0, PAGE);
        assertEquals(sub.base() + 2 * PAGE, m.base());
        Vmar noSpecific = root.allocate(CAN_MAP_READ, 0, 4 * PAGE);
        fails(ERR_ACCESS_DENIED, () -> noSpecific.map(PERM_READ | SPECIFIC, 0, vmo, 0, PAGE));
        fails(ERR_INVALID_ARGS, () -> root.allocate(CAN_MAP_READ, 0, 100));
        fails(ERR_INVALID_ARGS, () -> root.allocate(CAN_MAP_READ, 0, 0));
        fails(ERR_INVALID_ARGS, () -> root.allocate(CAN_MAP_READ, PAGE, PAGE));
        fails(ERR_INVALID_ARGS, () -> root.allocate(PERM_READ, 0, PAGE));
        fails(ERR_INVALID_ARGS, () -> root.allocate(SPECIFIC_OVERWRITE, 0, PAGE));
        fails(ERR_INVALID_ARGS, () -> root.allocate(MAP_RANGE, 0, PAGE));
        fails(ERR_NO_MEMORY, () -> root.allocate(SPECIFIC, sub.base() - root.base(), PAGE));
        fails(ERR_INVALID_ARGS, () -> sub.allocate(0, 0, 17 * PAGE));
        fails(ERR_NO_MEMORY, () -> sub.allocate(0, 0, 15 * PAGE));
        // Compact regions place allocations among few candidates near the bottom.
        Vmar compact = root.allocate(CAN_MAP_READ | COMPACT, 0, 1L << 30);
        for (int i = 0; i < 10; i++) {
            VmMapping c = compact.map(PERM_READ, 0, vmo, 0, PAGE);
            assertTrue(c.base() - compact.base() < 512 * PAGE, "compact placement stays low");
        }
    }

    @Test
    void partialUnmapSplitsMapping() {
        RecordingSpace g = new RecordingSpace(0x20000000L, 1L << 30);
        VmAddressSpace as = VmAddressSpace.over(kernel, g);
        Vmo vmo = Vmo.create(kernel, 4 * PAGE, 0);
        for (int i = 0; i < 4; i++) vmo.write(i * PAGE, new byte[] {(byte) (i + 1)});
        VmMapping m = as.root().map(PERM_READ | PERM_WRITE | SPECIFIC, 0, vmo, 0, 4 * PAGE);
        as.root().unmap(m.base() + PAGE, 100); // len rounds up to one page
        assertEquals("unmap 20001000 1000", g.ops.get(g.ops.size() - 1));
        List<VmMapping> ms = as.root().mappings();
        assertEquals(2, ms.size());
        assertEquals(PAGE, ms.get(0).size());
        assertEquals(0, ms.get(0).vmoOffset());
        assertEquals(m.base() + 2 * PAGE, ms.get(1).base());
        assertEquals(2 * PAGE, ms.get(1).vmoOffset());
        assertEquals(2, vmo.mappingCount());
        byte[] b = new byte[1];
        as.read(m.base() + 2 * PAGE, b, 0, 1);
        assertEquals(3, b[0]);
        fails(ERR_INVALID_ARGS, () -> as.read(m.base() + PAGE, b, 0, 1));
        // Unmapping an empty range succeeds (2020 code), a range outside the VMAR does not.
        as.root().unmap(m.base() + PAGE, PAGE);
        fails(ERR_INVALID_ARGS, () -> as.root().unmap(as.root().base() - PAGE, PAGE));
        fails(ERR_INVALID_ARGS, () -> as.root().unmap(m.base() + 1, PAGE));
        fails(ERR_INVALID_ARGS, () -> as.root().unmap(m.base(), 0));
        as.root().unmap(m.base(), 4 * PAGE);
        assertEquals(0, vmo.mappingCount());
    }

    @Test
    void unmapDestroysCoveredSubVmarsOnly() {
        Vmar root = aspace().root();
        Vmar sub = root.allocate(CAN_MAP_READ | CAN_MAP_SPECIFIC, 0, 4 * PAGE);
        Vmo vmo = Vmo.create(kernel, PAGE, 0);
        sub.map(PERM_READ, 0, vmo, 0, PAGE);
        fails(ERR_INVALID_ARGS, () -> root.unmap(sub.base(), 2 * PAGE));
        root.unmap(sub.base(), 4 * PAGE);
        assertTrue(sub.isDestroyed());
        assertEquals(0, vmo.mappingCount());
        fails(ERR_BAD_STATE, () -> sub.map(PERM_READ, 0, vmo, 0, PAGE));
    }

    @Test
    void protectSplitsAndChecksMaxPermissions() {
        RecordingSpace g = new RecordingSpace(0x30000000L, 1L << 30);
        VmAddressSpace as = VmAddressSpace.over(kernel, g);
        Vmo vmo = Vmo.create(kernel, 3 * PAGE, 0);
        // Created read-only, but the handles allowed writing: CAN_MAP_WRITE recorded.
        VmMapping m = as.root().map(PERM_READ | CAN_MAP_WRITE | SPECIFIC, 0, vmo, 0, 3 * PAGE);
        as.root().protect(PERM_READ | PERM_WRITE, m.base() + PAGE, PAGE);
        assertEquals("protect 30001000 1000 3", g.ops.get(g.ops.size() - 1));
        List<VmMapping> ms = as.root().mappings();
        assertEquals(3, ms.size());
        assertEquals(PERM_READ, ms.get(0).perms());
        assertEquals(PERM_READ | PERM_WRITE, ms.get(1).perms());
        assertEquals(PERM_READ, ms.get(2).perms());
        fails(ERR_ACCESS_DENIED, () -> as.root().protect(PERM_READ | PERM_EXECUTE, m.base(), PAGE));
        fails(ERR_INVALID_ARGS, () -> as.root().protect(PERM_WRITE, m.base(), PAGE));
        fails(ERR_INVALID_ARGS, () -> as.root().protect(PERM_READ | SPECIFIC, m.base(), PAGE));
        fails(ERR_INVALID_ARGS, () -> as.root().protect(PERM_READ, m.base() + 1, PAGE));
        fails(ERR_NOT_FOUND, () -> as.root().protect(PERM_READ, m.base(), 4 * PAGE));
        fails(ERR_NOT_FOUND, () -> as.root().protect(PERM_READ, m.base() + 8 * PAGE, PAGE));
        as.root().protect(PERM_READ, m.base(), 3 * PAGE);
        assertEquals(PERM_READ, as.root().mappings().get(1).perms());
        as.root().protect(0, m.base(), PAGE);
        fails(ERR_INVALID_ARGS, () -> as.read(m.base(), new byte[1], 0, 1));
        Vmar sub = as.root().allocate(CAN_MAP_READ, 0, PAGE);
        fails(ERR_INVALID_ARGS, () -> as.root().protect(PERM_READ, sub.base(), PAGE));
    }

    @Test
    void specificOverwriteReplaces() {
        VmAddressSpace as = aspace();
        Vmo a = Vmo.create(kernel, 4 * PAGE, 0);
        Vmo b = Vmo.create(kernel, PAGE, 0);
        b.write(0, new byte[] {77});
        VmMapping m = as.root().map(PERM_READ | SPECIFIC, 0, a, 0, 4 * PAGE);
        as.root().map(PERM_READ | SPECIFIC_OVERWRITE, PAGE, b, 0, PAGE);
        assertEquals(3, as.root().mappings().size());
        byte[] out = new byte[1];
        as.read(m.base() + PAGE, out, 0, 1);
        assertEquals(77, out[0]);
        assertEquals(2, a.mappingCount());
        // Overwriting a handle-less VMO's only mapping with itself keeps it alive.
        Vmo solo = Vmo.create(kernel, PAGE, 0);
        VmMapping s1 = as.root().map(PERM_READ | SPECIFIC, 64 * PAGE, solo, 0, PAGE);
        VmMapping s2 = as.root().map(PERM_READ | SPECIFIC_OVERWRITE, 64 * PAGE, solo, 0, PAGE);
        assertEquals(s1.base(), s2.base());
        assertFalse(solo.isDead());
        assertEquals(1, solo.mappingCount());
    }

    @Test
    void destroyUnmapsEverything() {
        RecordingSpace g = new RecordingSpace(0x40000000L, 1L << 30);
        VmAddressSpace as = VmAddressSpace.over(kernel, g);
        Vmar sub = as.root().allocate(CAN_MAP_READ | CAN_MAP_WRITE, 0, 64 * PAGE);
        Vmar inner = sub.allocate(CAN_MAP_READ, 0, 8 * PAGE);
        Vmo vmo = Vmo.create(kernel, PAGE, 0);
        Handle keep = Handle.createDefault(vmo);
        VmMapping m1 = sub.map(PERM_READ, 0, vmo, 0, PAGE);
        inner.map(PERM_READ, 0, vmo, 0, PAGE);
        assertEquals(2, vmo.mappingCount());
        sub.destroy();
        assertEquals(0, vmo.mappingCount());
        assertTrue(sub.isDestroyed());
        assertTrue(inner.isDestroyed());
        assertTrue(g.ops.contains(String.format("unmap %x 1000", m1.base())));
        fails(ERR_BAD_STATE, sub::destroy);
        fails(ERR_BAD_STATE, () -> inner.allocate(0, 0, PAGE));
        fails(ERR_BAD_STATE, () -> sub.unmap(sub.base(), PAGE));
        fails(ERR_BAD_STATE, () -> sub.protect(PERM_READ, sub.base(), PAGE));
        // The range is free again.
        as.root().map(PERM_READ | SPECIFIC, sub.base() - as.root().base(), vmo, 0, PAGE);
    }

    @Test
    void mappingKeepsVmoAlive() {
        VmAddressSpace as = aspace();
        Vmo vmo = Vmo.create(kernel, PAGE, 0);
        Handle h = Handle.createDefault(vmo);
        VmMapping m = as.root().map(PERM_READ | PERM_WRITE, 0, vmo, 0, PAGE);
        h.destroy();
        assertFalse(vmo.isDead());
        as.write(m.base(), new byte[] {1}, 0, 1);
        as.root().unmap(m.base(), PAGE);
        assertTrue(vmo.isDead());
        fails(ERR_BAD_STATE, () -> as.root().map(PERM_READ, 0, vmo, 0, PAGE));
    }

    @Test
    void opRangeDecommit() {
        VmAddressSpace as = aspace();
        Vmo vmo = Vmo.create(kernel, 2 * PAGE, 0);
        vmo.write(0, new byte[2 * (int) PAGE]);
        VmMapping m = as.root().map(PERM_READ | PERM_WRITE, 0, vmo, 0, 2 * PAGE);
        as.root().opRange(VmoOptions.OP_DECOMMIT, m.base(), PAGE);
        assertEquals(PAGE, vmo.committedBytes());
        fails(ERR_NOT_SUPPORTED, () -> as.root().opRange(VmoOptions.OP_COMMIT, m.base(), PAGE));
        fails(ERR_BAD_STATE, () -> as.root().opRange(VmoOptions.OP_DECOMMIT, m.base(), 3 * PAGE));
        fails(ERR_INVALID_ARGS, () -> as.root().opRange(VmoOptions.OP_DECOMMIT, m.base(), 0));
        fails(ERR_OUT_OF_RANGE, () -> as.root().opRange(VmoOptions.OP_DECOMMIT, as.root().base() - PAGE, PAGE));
        VmMapping ro = as.root().map(PERM_READ, 0, Vmo.create(kernel, PAGE, 0), 0, PAGE);
        fails(ERR_ACCESS_DENIED, () -> as.root().opRange(VmoOptions.OP_DECOMMIT, ro.base(), PAGE));
    }

    @Test
    void vdsoCodeMappingIsProtected() {
        VmAddressSpace as = aspace();
        Vmo vdso = Vmo.create(kernel, 4 * PAGE, 0);
        vdso.markAsVdso(PAGE, 2 * PAGE);
        fails(ERR_ACCESS_DENIED, () -> as.root().map(PERM_READ | PERM_EXECUTE, 0, vdso, 0, 2 * PAGE));
        VmMapping code = as.root().map(PERM_READ | PERM_EXECUTE, 0, vdso, PAGE, 2 * PAGE);
        assertEquals(code.base() - PAGE, as.vdsoBase());
        fails(ERR_ACCESS_DENIED, () -> as.root().map(PERM_READ | PERM_EXECUTE, 0, vdso, PAGE, 2 * PAGE));
        fails(ERR_ACCESS_DENIED, () -> as.root().unmap(code.base(), PAGE));
        fails(ERR_ACCESS_DENIED, () -> as.root().protect(PERM_READ, code.base(), PAGE));
        fails(ERR_ACCESS_DENIED, () -> as.writeMemory(code.base(), new byte[1], 0, 1));
        as.root().map(PERM_READ, 0, vdso, 0, PAGE); // read-only mappings are not restricted
    }

    @Test
    void infoMapsAndStats() {
        VmAddressSpace as = aspace();
        Vmo vmo = Vmo.create(kernel, 2 * PAGE, 0);
        vmo.setName("data");
        vmo.write(0, new byte[] {1});
        Vmar sub = as.root().allocate(CAN_MAP_READ, 0, 8 * PAGE);
        sub.map(PERM_READ, 0, vmo, 0, 2 * PAGE);
        List<MapsEntry> maps = as.maps();
        assertEquals(4, maps.size());
        assertEquals(MapsEntry.TYPE_ASPACE, maps.get(0).type());
        assertEquals(MapsEntry.TYPE_VMAR, maps.get(1).type());
        assertEquals(1, maps.get(1).depth());
        assertEquals(2, maps.get(2).depth());
        MapsEntry me = maps.get(3);
        assertEquals(MapsEntry.TYPE_MAPPING, me.type());
        assertEquals(3, me.depth());
        assertEquals("data", new String(me.name()));
        assertEquals(vmo.koid(), me.vmoKoid());
        assertEquals(1, me.committedPages());
        java.nio.ByteBuffer eb = java.nio.ByteBuffer.wrap(me.toBytes()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(MapsEntry.SIZE, eb.capacity());
        assertEquals('d', eb.get(0));
        assertEquals(me.base(), eb.getLong(32));
        assertEquals(3, eb.getLong(48));
        assertEquals(MapsEntry.TYPE_MAPPING, eb.getInt(56));
        assertEquals(PERM_READ, eb.getInt(64));
        assertEquals(vmo.koid(), eb.getLong(72));
        java.nio.ByteBuffer vb = java.nio.ByteBuffer.wrap(vmo.info(true, 7).toBytes()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(VmoInfo.SIZE, vb.capacity());
        assertEquals(vmo.koid(), vb.getLong(0));
        assertEquals(2 * PAGE, vb.getLong(40));
        assertEquals(1, vb.getLong(64));
        assertEquals(7, vb.getInt(96));
        MemoryStats st = as.memoryStats();
        assertEquals(2 * PAGE, st.mappedBytes());
        assertEquals(PAGE, st.privateBytes());
        VmAddressSpace other = aspace();
        other.root().map(PERM_READ, 0, vmo, 0, PAGE);
        assertEquals(2, vmo.shareCount());
        assertEquals(PAGE, as.memoryStats().sharedBytes());
        assertEquals(PAGE / 2, as.memoryStats().scaledSharedBytes());
        assertEquals(1, as.mappedVmos().size());
        assertEquals(VmoOptions.INFO_VIA_MAPPING, as.mappedVmos().get(0).flags() & VmoOptions.INFO_VIA_MAPPING);
    }
}
