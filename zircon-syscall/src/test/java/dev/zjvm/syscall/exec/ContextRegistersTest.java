package dev.zjvm.syscall.exec;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.hal.cpu.GuestCpu;
import dev.zjvm.hal.cpu.UserContext;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** FP, vector and debug registers of a native guest thread, as the debugger syscalls see them. */
class ContextRegistersTest {
    private final UserContext ctx = GuestCpu.create().newContext();
    private final ContextRegisters regs = new ContextRegisters(ctx);

    @AfterEach
    void close() {
        ctx.close();
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void aThreadStoppedInACallShowsItsControlWordsAndTakesWrittenVectors() {
        assertEquals(UserContext.DEFAULT_X87_CW, le(regs.readExtended(ContextRegisters.KIND_FP)).getShort(0));
        byte[] v = regs.readExtended(ContextRegisters.KIND_VECTOR);
        assertEquals(2120, v.length);
        assertEquals(UserContext.DEFAULT_MXCSR, le(v).getInt(2112));
        le(v).putLong(64 * 3, 0x4242_4242L).putInt(2112, 0x1F80 | 0x6000);
        assertTrue(regs.writeExtended(ContextRegisters.KIND_VECTOR, v));
        byte[] back = regs.readExtended(ContextRegisters.KIND_VECTOR);
        assertEquals(0x4242_4242L, le(back).getLong(64 * 3));
        assertEquals(0x1F80 | 0x6000, le(back).getInt(2112));
        assertEquals(0x1F80 | 0x6000, ctx.mxcsr(), "the guest resumes with the written MXCSR");
        assertNotNull(ctx.xstate(), "an image to load on resume");
        regs.stopEnded();
        // After the stop, a new one starts from the guest's state again.
        assertEquals(0x1F80 | 0x6000, le(regs.readExtended(ContextRegisters.KIND_VECTOR)).getInt(2112));
    }

    @Test
    void debugRegistersAreValidatedAndMaskedAsZirconDoes() {
        assertArrayEquals(new byte[48], regs.readExtended(ContextRegisters.KIND_DEBUG));
        byte[] d = new byte[48];
        le(d).putLong(0, 0x1000_0000L).putLong(8, 0).putLong(32, -1L).putLong(40, -1L);
        assertTrue(regs.writeExtended(ContextRegisters.KIND_DEBUG, d));
        ByteBuffer back = le(regs.readExtended(ContextRegisters.KIND_DEBUG));
        assertEquals(0x1000_0000L, back.getLong(0));
        assertEquals(ContextRegisters.DR6_FIXED | ContextRegisters.DR6_WRITABLE, back.getLong(32));
        assertEquals(0xFFFF_07FFL, back.getLong(40), "user bits plus bit 10, LE, GE");
        le(d).putLong(16, 0xFFFF_8000_0000_0000L);
        ZxException e = assertThrows(ZxException.class, () -> regs.writeExtended(ContextRegisters.KIND_DEBUG, d));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, e.status());
        assertEquals(0x1000_0000L, le(regs.readExtended(ContextRegisters.KIND_DEBUG)).getLong(0), "unchanged");
        assertNull(regs.readExtended(3));
        assertFalse(regs.writeExtended(3, new byte[8]));
    }

    @Test
    void aSuspensionRequestAsksTheEntryToKeepVectorState() {
        assertFalse(ctx.xstateCapturedAtEntry());
        regs.stopRequested();
        assertEquals(1, dev.zjvm.hal.host.HostMemory.getLong(ctx.address() + dev.zjvm.hal.cpu.ContextLayout.CAPTURE_XSTATE));
        regs.stopEnded();
        assertEquals(0, dev.zjvm.hal.host.HostMemory.getLong(ctx.address() + dev.zjvm.hal.cpu.ContextLayout.CAPTURE_XSTATE));
    }
}
