package dev.zjvm.object.vm;

import static dev.zjvm.object.vm.VmOptions.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.handle.Handle;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random sequences of VMAR operations (seeded, reproducible) against a simple model: after every
 * step the tree has no overlaps, every mapping is registered with its VMO, and each page reads
 * back the VMO page it should map to.
 */
class VmarRandomOpsTest {
    private static final long PAGE = 4096;
    private static final int PAGES = 64;

    @Test
    void randomOperationsKeepInvariants() {
        for (long seed = 1; seed <= 10; seed++) run(seed);
    }

    private void run(long seed) {
        Kernel kernel = Kernel.forTesting(seed);
        SplittableRandom rnd = new SplittableRandom(seed);
        VmAddressSpace as = VmAddressSpace.create(kernel, 1L << 30);
        Vmar arena = as.root().allocate(CAN_MAP_READ | CAN_MAP_WRITE | CAN_MAP_SPECIFIC, 0, PAGES * PAGE);
        List<Vmo> vmos = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Vmo v = Vmo.create(kernel, PAGES * PAGE, 0);
            Handle.createDefault(v); // keep alive
            for (int p = 0; p < PAGES; p++) v.write(p * PAGE, new byte[] {(byte) i, (byte) p});
            vmos.add(v);
        }
        List<Vmar> subs = new ArrayList<>();
        for (int step = 0; step < 300; step++) {
            subs.removeIf(Vmar::isDestroyed);
            // Operate on the arena or on one of its live sub-regions.
            Vmar target = subs.isEmpty() || rnd.nextInt(3) > 0 ? arena : subs.get(rnd.nextInt(subs.size()));
            long span = target.size() / PAGE;
            long off = rnd.nextLong(span) * PAGE;
            long len = (1 + rnd.nextInt(8)) * PAGE;
            try {
                switch (rnd.nextInt(6)) {
                    case 0 -> target.map(PERM_READ | SPECIFIC, off, vmos.get(rnd.nextInt(4)), rnd.nextInt(PAGES / 2) * PAGE, len);
                    case 1 -> target.map(PERM_READ | PERM_WRITE | SPECIFIC_OVERWRITE, off, vmos.get(rnd.nextInt(4)), rnd.nextInt(PAGES / 2) * PAGE, len);
                    case 2 -> target.unmap(target.base() + off, len);
                    case 3 -> target.protect(rnd.nextBoolean() ? PERM_READ : PERM_READ | PERM_WRITE, target.base() + off, len);
                    case 4 -> subs.add(target.allocate(CAN_MAP_READ | CAN_MAP_WRITE | CAN_MAP_SPECIFIC | SPECIFIC, off, len));
                    default -> {
                        if (target != arena) target.destroy();
                    }
                }
            } catch (ZxException expected) {
                // Overlaps, ranges past the end, holes: the invariants must hold either way.
            }
            check(as, arena, vmos, seed, step);
        }
        as.close();
        for (Vmo v : vmos) assertEquals(0, v.mappingCount());
    }

    private static void check(VmAddressSpace as, Vmar arena, List<Vmo> vmos, long seed, int step) {
        List<VmMapping> ms = arena.mappings();
        String where = "seed " + seed + " step " + step;
        long prevEnd = arena.base();
        int total = 0;
        for (VmMapping m : ms) {
            assertTrue(m.base() >= prevEnd, "overlap at " + where);
            assertTrue(m.end() <= arena.base() + arena.size(), "outside the region at " + where);
            assertTrue(m.vmo().mappings().contains(m), "mapping not registered with its vmo at " + where);
            prevEnd = m.end();
            for (long a = m.base(); a < m.end(); a += PAGE) {
                byte[] b = new byte[2];
                as.read(a, b, 0, 2);
                long vmoPage = (m.vmoOffset() + (a - m.base())) / PAGE;
                assertEquals((byte) vmoPage, b[1], "wrong page behind 0x" + Long.toHexString(a) + " at " + where);
                assertEquals((byte) vmos.indexOf(m.vmo()), b[0], "wrong vmo at " + where);
                assertEquals((m.perms() & PERM_WRITE) != 0, as.isAccessible(a, 1, PERM_WRITE), "permissions at " + where);
            }
        }
        for (Vmo v : vmos) total += v.mappingCount();
        assertEquals(ms.size(), total, "vmo mapping counts at " + where);
    }
}
