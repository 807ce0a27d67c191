package dev.zjvm.syscall.user;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import org.junit.jupiter.api.Test;

class HeapUserMemoryTest {
    private final HeapUserMemory m = new HeapUserMemory();

    private static int status(Runnable r) {
        try {
            r.run();
            return ZxStatus.OK;
        } catch (ZxException e) {
            return e.status();
        }
    }

    @Test
    void scalarsAreLittleEndianAndMayBeMisaligned() {
        m.map(0x1000, 64, true);
        m.writeU64(0x1003, 0x1122334455667788L);
        assertEquals(0x1122334455667788L, m.readU64(0x1003));
        assertEquals(0x55667788, m.readU32(0x1003));
        assertEquals((byte) 0x88, m.readBytes(0x1003, 1)[0]);
        m.writeU32Array(0x1020, new int[] {1, 2, 3}, 0, 3);
        assertArrayEquals(new int[] {1, 2, 3}, m.readU32Array(0x1020, 3));
    }

    @Test
    void faultsAreInvalidArgsAndChangeNothing() {
        m.map(0x1000, 16, true);
        m.map(0x1010, 16, false);
        m.map(0x1020, 16, true);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, status(() -> m.readU32(0)));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, status(() -> m.readU32(0x0ffe)));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, status(() -> m.readU32(0x102e)));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, status(() -> m.readU32(-4)));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, status(() -> m.readBytes(0x1000, -1)));
        // Reads across adjacent regions work; writes into the read-only one fail as a whole.
        assertEquals(0, m.readU64(0x100c));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, status(() -> m.writeU64(0x100c, -1L)));
        assertEquals(0, m.readU32(0x100c));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, status(() -> m.write(Long.MAX_VALUE - 2, new byte[8], 0, 8)));
        // Zero-length copies never fault.
        m.read(0, new byte[0], 0, 0);
        m.write(0xdead0000L, new byte[0], 0, 0);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, status(() -> UserMemory.requireAligned(0x1002, 4)));
        UserMemory.requireAligned(0x1004, 4);
    }
}
