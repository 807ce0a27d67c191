package dev.zjvm.hal.cpu;

import dev.zjvm.hal.host.HostMemory;
import dev.zjvm.hal.host.Libc;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.*;

@SuppressWarnings("restricted")
class XStateTest {
    private static final long MAGIC = 0x0123_4567_89AB_CDEFL, OTHER = 0x7777_6666_5555_4444L;

    private static ByteBuffer le(byte[] b) { return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN); }

    @Test
    void afterACallOnlyTheControlsSurvive() {
        XState x = XState.afterCall(0x1F80, 0x037F, 0x7);
        byte[] fp = x.fpRegs();
        assertEquals(XState.FP_REGS_SIZE, fp.length);
        assertEquals(0x037F, le(fp).getShort(0));
        byte[] v = x.vectorRegs();
        assertEquals(XState.VECTOR_REGS_SIZE, v.length);
        assertEquals(0x1F80, le(v).getInt(2112));
        for (int i = 0; i < 2048; i++) assertEquals(0, v[i]);
    }

    @Test
    void vectorWritesKeepOnlyWhatTheHostHas() {
        XState sseOnly = XState.afterCall(0x1F80, 0x037F, 0x3);   // x87 + SSE, no AVX
        byte[] v = new byte[XState.VECTOR_REGS_SIZE];
        for (int i = 0; i < 2112; i++) v[i] = (byte) (i * 7 + 1);
        le(v).putInt(2112, 0x1F80 | 0xFFFF_0000);             // bits no CPU implements
        sseOnly.setVectorRegs(v);
        byte[] back = sseOnly.vectorRegs();
        for (int r = 0; r < 16; r++) {
            for (int i = 0; i < 16; i++) assertEquals(v[64 * r + i], back[64 * r + i], "xmm" + r);
            for (int i = 16; i < 64; i++) assertEquals(0, back[64 * r + i], "upper zmm" + r);
        }
        assertEquals(0x1F80, le(back).getInt(2112), "reserved MXCSR bits dropped");
    }

    @Test
    void fpRegsRoundTrip() {
        XState x = XState.afterCall(0x1F80, 0x037F, 0x3);
        byte[] fp = new byte[XState.FP_REGS_SIZE];
        ByteBuffer b = le(fp);
        b.putShort(0, (short) 0x027F).putShort(2, (short) 0x3800).put(4, (byte) 0x81).putShort(6, (short) 0x5D9);
        b.putLong(8, 0x1234).putLong(16, 0x5678);
        for (int i = 0; i < 8; i++) b.putLong(32 + 16 * i, i + 1).putShort(40 + 16 * i, (short) 0x3FFF);
        x.setFpRegs(fp);
        assertArrayEquals(fp, x.fpRegs());
        assertEquals(0x027F, x.x87ControlWord());
    }

    @Test
    void theEntryKeepsVectorStateWhileAStopIsPendingAndResumesWithIt() {
        Guests g = Guests.of(FsGsMode.detect());
        try (UserContext ctx = g.prepare("g_xmm", MAGIC)) {
            ctx.setCaptureXstate(true);
            SyscallExit first = assertInstanceOf(SyscallExit.class, ctx.run());
            assertEquals(TestImage.SYS_NULL, first.number());
            assertTrue(ctx.xstateCapturedAtEntry());
            XState x = ctx.xstate();
            assertNotNull(x);
            assertEquals(MAGIC, le(x.vectorRegs()).getLong(0), "xmm0 as the guest left it");
            // A debugger's write: xmm0 := OTHER, loaded when the guest resumes.
            byte[] v = x.vectorRegs();
            le(v).putLong(0, OTHER);
            x.setVectorRegs(v);
            ctx.resumeWithXstate(x);
            ctx.setCaptureXstate(false);
            VectorClobber.clobberVectorRegisters();
            ctx.setSyscallResult(0);
            SyscallExit second = assertInstanceOf(SyscallExit.class, ctx.run());
            assertEquals(TestImage.SYS_FAIL, second.number());
            assertEquals(9, second.arg0());
            assertEquals(OTHER, second.arg1(), "the guest saw the written xmm0");
            assertFalse(ctx.xstateCapturedAtEntry());
        }
    }

    @Test
    void withoutACaptureNothingIsKept() {
        Guests g = Guests.of(FsGsMode.detect());
        try (UserContext ctx = g.prepare("g_xmm", MAGIC)) {
            assertInstanceOf(SyscallExit.class, ctx.run());
            assertFalse(ctx.xstateCapturedAtEntry());
        }
    }
}
