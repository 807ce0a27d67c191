package dev.zjvm.hal.cpu;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A guest's x87/SSE/AVX/AVX-512 state as an XSAVE image (standard, not compacted, format) and its
 * conversion to and from Zircon's {@code zx_thread_state_fp_regs_t} (160 bytes) and
 * {@code zx_thread_state_vector_regs_t} (2120 bytes). A component whose XSTATE_BV bit is clear is
 * in its initial state (zeros; x87 control word 0x037F) whatever the image bytes say.
 *
 * <p>Writes set the XSTATE_BV bits of the components they fill, only for components the host
 * enabled ({@code xcr0}): xrstor faults on a bit XCR0 lacks.
 */
public final class XState {
    public static final int FP_REGS_SIZE = 160;
    public static final int VECTOR_REGS_SIZE = 2120;
    static final int X87 = 1, SSE = 1 << 1, AVX = 1 << 2, OPMASK = 1 << 5, ZMM_HI256 = 1 << 6, HI16_ZMM = 1 << 7;
    // Standard-format offsets (architecturally fixed for these components).
    private static final int MXCSR = 24, MXCSR_MASK = 28, ST = 32, XMM = 160, XSTATE_BV = 512;
    private static final int AVX_OFF = 576, OPMASK_OFF = 1088, ZMM_HI256_OFF = 1152, HI16_ZMM_OFF = 1664;
    private static final int DEFAULT_FCW = 0x037F, DEFAULT_MXCSR_MASK = 0xFFBF;

    private final byte[] image;
    private final ByteBuffer b;
    private final long xcr0;

    private XState(byte[] image, long xcr0) {
        if (image.length < ContextLayout.CAPTURE_SIZE) image = java.util.Arrays.copyOf(image, ContextLayout.CAPTURE_SIZE);
        this.image = image;
        this.b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        this.xcr0 = xcr0;
    }

    /** An image as XSAVE wrote it (a copy is kept). */
    public static XState of(byte[] image, long xcr0) {
        return new XState(image.clone(), xcr0);
    }

    /**
     * The state of a thread stopped inside a syscall whose vector state was not kept: the syscall
     * is a call, so only the callee-saved controls (MXCSR, x87 control word) survive it.
     */
    public static XState afterCall(int mxcsr, int fcw, long xcr0) {
        XState x = new XState(new byte[ContextLayout.CAPTURE_SIZE], xcr0);
        x.b.putShort(0, (short) fcw);
        x.b.putInt(MXCSR, mxcsr);
        x.b.putInt(MXCSR_MASK, DEFAULT_MXCSR_MASK);
        x.b.putLong(XSTATE_BV, (X87 | SSE) & xcr0);
        return x;
    }

    public byte[] image() {
        return image.clone();
    }

    private boolean has(int component) {
        return (b.getLong(XSTATE_BV) & component) != 0;
    }

    private void mark(int component) {
        b.putLong(XSTATE_BV, b.getLong(XSTATE_BV) | (component & xcr0));
    }

    public int mxcsr() {
        return b.getInt(MXCSR);
    }

    public int x87ControlWord() {
        return has(X87) ? b.getShort(0) & 0xFFFF : DEFAULT_FCW;
    }

    /** {@code zx_thread_state_fp_regs_t}: fcw, fsw, ftw (abridged), fop, fip, fdp, st[8] (16 bytes each). */
    public byte[] fpRegs() {
        ByteBuffer o = ByteBuffer.allocate(FP_REGS_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        if (!has(X87)) {
            o.putShort(0, (short) DEFAULT_FCW);
            return o.array();
        }
        o.putShort(0, b.getShort(0)).putShort(2, b.getShort(2)).put(4, b.get(4)).putShort(6, b.getShort(6));
        o.putLong(8, b.getLong(8)).putLong(16, b.getLong(16));
        for (int i = 0; i < 8; i++) o.putLong(32 + 16 * i, b.getLong(ST + 16 * i)).putLong(40 + 16 * i, b.getLong(ST + 16 * i + 8));
        return o.array();
    }

    public void setFpRegs(byte[] fp) {
        ByteBuffer in = ByteBuffer.wrap(fp).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(0, in.getShort(0)).putShort(2, in.getShort(2)).put(4, in.get(4)).putShort(6, in.getShort(6));
        b.putLong(8, in.getLong(8)).putLong(16, in.getLong(16));
        for (int i = 0; i < 8; i++) b.putLong(ST + 16 * i, in.getLong(32 + 16 * i)).putLong(ST + 16 * i + 8, in.getLong(40 + 16 * i));
        mark(X87);
    }

    /** {@code zx_thread_state_vector_regs_t}: zmm[32] (64 bytes each), opmask[8], mxcsr. */
    public byte[] vectorRegs() {
        byte[] o = new byte[VECTOR_REGS_SIZE];
        for (int i = 0; i < 16; i++) {
            if (has(SSE)) System.arraycopy(image, XMM + 16 * i, o, 64 * i, 16);
            if (has(AVX)) System.arraycopy(image, AVX_OFF + 16 * i, o, 64 * i + 16, 16);
            if (has(ZMM_HI256)) System.arraycopy(image, ZMM_HI256_OFF + 32 * i, o, 64 * i + 32, 32);
        }
        if (has(HI16_ZMM)) System.arraycopy(image, HI16_ZMM_OFF, o, 64 * 16, 64 * 16);
        if (has(OPMASK)) System.arraycopy(image, OPMASK_OFF, o, 2048, 64);
        ByteBuffer.wrap(o).order(ByteOrder.LITTLE_ENDIAN).putInt(2112, mxcsr());
        return o;
    }

    /**
     * Takes the parts of {@code v} the host has (XMM always; YMM, ZMM and opmask with AVX and
     * AVX-512); MXCSR bits the CPU does not implement are dropped (they would fault in xrstor).
     */
    public void setVectorRegs(byte[] v) {
        for (int i = 0; i < 16; i++) {
            System.arraycopy(v, 64 * i, image, XMM + 16 * i, 16);
            if ((xcr0 & AVX) != 0) System.arraycopy(v, 64 * i + 16, image, AVX_OFF + 16 * i, 16);
            if ((xcr0 & ZMM_HI256) != 0) System.arraycopy(v, 64 * i + 32, image, ZMM_HI256_OFF + 32 * i, 32);
        }
        if ((xcr0 & HI16_ZMM) != 0) System.arraycopy(v, 64 * 16, image, HI16_ZMM_OFF, 64 * 16);
        if ((xcr0 & OPMASK) != 0) System.arraycopy(v, 2048, image, OPMASK_OFF, 64);
        int mask = b.getInt(MXCSR_MASK);
        if (mask == 0) mask = DEFAULT_MXCSR_MASK;
        b.putInt(MXCSR, ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN).getInt(2112) & mask);
        mark(SSE | AVX | OPMASK | ZMM_HI256 | HI16_ZMM);
    }
}
