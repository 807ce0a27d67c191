package dev.zjvm.object.vm;

import static dev.zjvm.object.ZxStatus.*;
import static dev.zjvm.object.vm.VmOptions.*;
import static dev.zjvm.object.vm.Zx.fails;
import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.handle.Handle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class UserMemoryTest {
    private static final int PAGE = 4096;
    private final Kernel kernel = Kernel.forTesting(11);

    @Test
    void copiesAcrossMappingsAndChecksPermissions() {
        VmAddressSpace as = VmAddressSpace.create(kernel, 1L << 30);
        Vmo a = Vmo.create(kernel, PAGE, 0);
        Vmo b = Vmo.create(kernel, PAGE, 0);
        VmMapping ma = as.root().map(PERM_READ | PERM_WRITE | SPECIFIC, 0x10000, a, 0, PAGE);
        as.root().map(PERM_READ | SPECIFIC, 0x11000, b, 0, PAGE);
        b.write(0, new byte[] {5, 6});
        byte[] buf = new byte[8];
        as.read(ma.base() + PAGE - 6, buf, 0, 8);
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 5, 6}, buf);
        as.write(ma.base() + 10, new byte[] {1, 2, 3}, 0, 3);
        assertArrayEquals(new byte[] {1, 2, 3}, a.read(10, 3));
        // Copy-out into a read-only mapping faults, and nothing is written before the check.
        fails(ERR_INVALID_ARGS, () -> as.write(ma.base() + PAGE - 2, new byte[4], 0, 4));
        assertEquals(0, b.read(0, 1)[0] - 5);
        fails(ERR_INVALID_ARGS, () -> as.read(ma.base() + 2 * PAGE - 1, new byte[2], 0, 2));
        fails(ERR_INVALID_ARGS, () -> as.read(-8, new byte[16], 0, 16));
        fails(ERR_INVALID_ARGS, () -> as.read(0, new byte[1], 0, 1));
        as.read(0, new byte[0], 0, 0);
        assertTrue(as.isAccessible(ma.base(), 2 * PAGE, PERM_READ));
        assertFalse(as.isAccessible(ma.base(), 2 * PAGE, PERM_WRITE));
        // A mapping past the end of its VMO faults beyond the VMO.
        VmMapping over = as.root().map(PERM_READ | SPECIFIC, 0x20000, Vmo.create(kernel, PAGE, 0), 0, 2 * PAGE);
        fails(ERR_INVALID_ARGS, () -> as.read(over.base() + PAGE, new byte[1], 0, 1));
    }

    @Test
    void debuggerAccessIgnoresPermissionsButStopsAtMappingEnd() {
        VmAddressSpace as = VmAddressSpace.create(kernel, 1L << 30);
        Vmo code = Vmo.create(kernel, 2 * PAGE, 0);
        VmMapping m = as.root().map(PERM_READ | SPECIFIC, 0x10000, code, 0, PAGE);
        assertEquals(4, as.writeMemory(m.base() + 8, new byte[] {1, 2, 3, 4}, 0, 4));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, code.read(8, 4));
        byte[] big = new byte[3 * PAGE];
        assertEquals(PAGE - 8, as.readMemory(m.base() + 8, big, 0, big.length));
        fails(ERR_NO_MEMORY, () -> as.readMemory(m.base() + PAGE, big, 0, 1));
    }

    @Test
    void concurrentUnmapNeverTearsACopy() throws Exception {
        VmAddressSpace as = VmAddressSpace.create(kernel, 1L << 30);
        Vmo vmo = Vmo.create(kernel, 16 * PAGE, 0);
        Handle keep = Handle.createDefault(vmo);
        byte[] pattern = new byte[16 * PAGE];
        java.util.Arrays.fill(pattern, (byte) 0x5a);
        vmo.write(0, pattern);
        AtomicBoolean stop = new AtomicBoolean();
        long at = 0x100000;
        as.root().map(PERM_READ | SPECIFIC, at, vmo, 0, 16 * PAGE);
        long addr = as.root().base() + at;
        CompletableFuture<Void> churn = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 300 && !stop.get(); i++) {
                as.root().unmap(addr, 16 * PAGE);
                as.root().map(PERM_READ | SPECIFIC, at, vmo, 0, 16 * PAGE);
            }
        });
        byte[] buf = new byte[16 * PAGE];
        int ok = 0;
        while (!churn.isDone()) {
            try {
                java.util.Arrays.fill(buf, (byte) 0);
                as.read(addr, buf, 0, buf.length);
                assertArrayEquals(pattern, buf, "a copy saw a partly unmapped range");
                ok++;
            } catch (ZxException e) {
                assertEquals(ERR_INVALID_ARGS, e.status());
            }
        }
        stop.set(true);
        churn.get(60, TimeUnit.SECONDS);
        keep.destroy();
        assertTrue(ok >= 0);
    }

    @Test
    void closeUnmapsEverything() {
        VmAddressSpace as = VmAddressSpace.create(kernel, 1L << 30);
        Vmo vmo = Vmo.create(kernel, PAGE, 0);
        Handle h = Handle.createDefault(vmo);
        as.root().map(PERM_READ, 0, vmo, 0, PAGE);
        as.close();
        assertEquals(0, vmo.mappingCount());
        assertTrue(as.root().isDestroyed());
        as.close();
        h.destroy();
    }

    @Test
    void copyThroughPagerBackedMappingWaitsForSupply() throws Exception {
        VmAddressSpace as = VmAddressSpace.create(kernel, 1L << 30);
        java.util.concurrent.BlockingQueue<Long> requests = new java.util.concurrent.LinkedBlockingQueue<>();
        Pager pager = Pager.create(kernel, 0);
        Vmo vmo = pager.createVmo(0, (key, cmd, off, len) -> {
            if (cmd == PageRequestSink.COMMAND_READ) requests.add(off);
        }, 1, 2 * PAGE);
        VmMapping m = as.root().map(PERM_READ, 0, vmo, 0, 2 * PAGE);
        CompletableFuture<byte[]> copy = CompletableFuture.supplyAsync(() -> {
            byte[] b = new byte[8];
            as.read(m.base() + PAGE - 4, b, 0, 8);
            return b;
        });
        Long first = requests.poll(60, TimeUnit.SECONDS);
        assertEquals(PAGE - 4 - (PAGE - 4) % PAGE, first);
        Vmo aux = Vmo.create(kernel, 2 * PAGE, 0);
        byte[] fill = new byte[2 * PAGE];
        java.util.Arrays.fill(fill, (byte) 7);
        aux.write(0, fill);
        pager.supplyPages(vmo, 0, 2 * PAGE, aux, 0);
        assertArrayEquals(new byte[] {7, 7, 7, 7, 7, 7, 7, 7}, copy.get(60, TimeUnit.SECONDS));
        // Meanwhile the address space was never locked against others.
        assertTrue(as.isAccessible(m.base(), 2 * PAGE, PERM_READ));
    }
}
