package dev.zjvm.object.task;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@code zx_thread_state_general_regs_t} for x86-64: 20 u64 in ABI order (constants.md §14).
 */
public record GeneralRegs(long rax, long rbx, long rcx, long rdx, long rsi, long rdi, long rbp, long rsp,
                          long r8, long r9, long r10, long r11, long r12, long r13, long r14, long r15,
                          long rip, long rflags, long fsBase, long gsBase) {
    /** Size of the ABI struct in bytes. */
    public static final int SIZE = 160;
    /** rflags bits user code may change (CF PF AF ZF SF TF DF OF); the rest is kept. */
    public static final long USER_FLAGS = 0x1 | 0x4 | 0x10 | 0x40 | 0x80 | 0x100 | 0x400 | 0x800;
    /** The trap flag: single stepping. */
    public static final long TF = 0x100;

    /** Encodes the ABI struct (little-endian). */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values()) b.putLong(v);
        return b.array();
    }

    /** Decodes the ABI struct; {@code bytes} must hold at least {@link #SIZE} bytes. */
    public static GeneralRegs fromBytes(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long[] v = new long[20];
        for (int i = 0; i < v.length; i++) v[i] = b.getLong();
        return new GeneralRegs(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12],
                v[13], v[14], v[15], v[16], v[17], v[18], v[19]);
    }

    private long[] values() {
        return new long[] {rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp, r8, r9, r10, r11, r12, r13, r14, r15, rip, rflags,
            fsBase, gsBase};
    }

    public GeneralRegs withRflags(long value) {
        return new GeneralRegs(rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp, r8, r9, r10, r11, r12, r13, r14, r15, rip,
                value, fsBase, gsBase);
    }

    public GeneralRegs withFsBase(long value) {
        return new GeneralRegs(rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp, r8, r9, r10, r11, r12, r13, r14, r15, rip,
                rflags, value, gsBase);
    }

    public GeneralRegs withGsBase(long value) {
        return new GeneralRegs(rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp, r8, r9, r10, r11, r12, r13, r14, r15, rip,
                rflags, fsBase, value);
    }

    /** True for a canonical x86-64 address (bits 63..47 all equal). */
    public static boolean isCanonical(long address) {
        return (address >> 47) == 0 || (address >> 47) == -1;
    }
}
