package dev.zjvm.hal.kvm;

/**
 * Length and memory operand of one x86 instruction in 64-bit or 32-bit code, enough to find the
 * instruction behind an MMIO exit. KVM reports MMIO writes only after it has moved RIP past the
 * instruction, so the start is found by decoding backwards and checking that the operand's
 * effective address is the trapped one ({@link #effectiveAddress}). VEX/EVEX encodings and 16-bit
 * code are not decoded ({@link #decode} returns null).
 *
 * @param length        instruction length in bytes
 * @param memory        true if a ModRM memory operand or a moffs operand is present
 * @param base          base register number (0-15), -1 for none, 16 for RIP-relative
 * @param index         index register number, -1 for none
 * @param scale         1, 2, 4 or 8
 * @param displacement  sign-extended displacement (the absolute address for moffs)
 * @param segment       0 for none, 4 for FS, 5 for GS (the only overrides that matter in 64-bit code)
 * @param address32     32-bit addressing (0x67 prefix or 32-bit code)
 */
public record X86Instruction(int length, boolean memory, int base, int index, int scale, long displacement,
                             int segment, boolean address32) {
    public static final int MAX_LENGTH = 15;
    public static final int RIP = 16;

    /** Decodes the instruction at the start of {@code code} ({@code n} valid bytes); null if unknown. */
    public static X86Instruction decode(byte[] code, int n, boolean mode64) {
        int at = 0;
        boolean op16 = false, addrOverride = false;
        int segment = 0, rex = 0;
        while (at < n) {
            int b = code[at] & 0xff;
            if (b == 0x66) op16 = true;
            else if (b == 0x67) addrOverride = true;
            else if (b == 0x64) segment = 4;
            else if (b == 0x65) segment = 5;
            else if (b != 0xf0 && b != 0xf2 && b != 0xf3 && b != 0x2e && b != 0x36 && b != 0x3e && b != 0x26) break;
            at++;
        }
        if (!mode64 && addrOverride) return null; // 16-bit addressing in 32-bit code: not decoded
        boolean addr32 = !mode64 || addrOverride;
        if (mode64 && at < n && (code[at] & 0xf0) == 0x40) rex = code[at++] & 0xff;
        if (at >= n) return null;
        boolean rexW = (rex & 8) != 0;
        int iz = op16 ? 2 : 4;
        int op = code[at++] & 0xff;
        boolean modrm;
        int imm;
        boolean moffs = false;
        if (op == 0x0f) {
            if (at >= n) return null;
            int op2 = code[at++] & 0xff;
            if (op2 == 0x38) { if (at >= n) return null; at++; modrm = true; imm = 0; }
            else if (op2 == 0x3a) { if (at >= n) return null; at++; modrm = true; imm = 1; }
            else if (op2 >= 0x80 && op2 <= 0x8f) { modrm = false; imm = 4; }
            else if (op2 == 0x05 || op2 == 0x06 || op2 == 0x07 || op2 == 0x08 || op2 == 0x09 || op2 == 0x0b
                    || op2 == 0x0e || (op2 >= 0x30 && op2 <= 0x37) || op2 == 0x77 || op2 == 0xa0 || op2 == 0xa1
                    || op2 == 0xa2 || op2 == 0xa8 || op2 == 0xa9 || op2 == 0xaa || (op2 >= 0xc8 && op2 <= 0xcf)) {
                modrm = false; imm = 0;
            } else {
                modrm = true;
                imm = (op2 >= 0x70 && op2 <= 0x73) || op2 == 0xa4 || op2 == 0xac || op2 == 0xba || op2 == 0x0f
                        || op2 == 0xc2 || op2 == 0xc4 || op2 == 0xc5 || op2 == 0xc6 ? 1 : 0;
            }
        } else {
            int lo = op & 7;
            if (op < 0x40 && lo < 6) { modrm = lo < 4; imm = lo == 4 ? 1 : lo == 5 ? iz : 0; }
            else if (op < 0x40) return null;                       // segment pushes/pops, BCD: invalid in 64-bit
            else if (op < 0x50) return null;                        // REX not directly before the opcode / inc-dec
            else if (op < 0x60) { modrm = false; imm = 0; }
            else if (op == 0x63) { modrm = true; imm = 0; }
            else if (op == 0x68) { modrm = false; imm = iz; }
            else if (op == 0x69) { modrm = true; imm = iz; }
            else if (op == 0x6a) { modrm = false; imm = 1; }
            else if (op == 0x6b) { modrm = true; imm = 1; }
            else if (op >= 0x6c && op <= 0x6f) { modrm = false; imm = 0; }
            else if (op >= 0x70 && op <= 0x7f) { modrm = false; imm = 1; }
            else if (op == 0x80 || op == 0x83) { modrm = true; imm = 1; }
            else if (op == 0x81) { modrm = true; imm = iz; }
            else if (op >= 0x84 && op <= 0x8f) { modrm = true; imm = 0; }
            else if (op >= 0x90 && op <= 0x9f && op != 0x9a) { modrm = false; imm = 0; }
            else if (op >= 0xa0 && op <= 0xa3) { modrm = false; imm = mode64 && !addr32 ? 8 : 4; moffs = true; }
            else if (op == 0xa8) { modrm = false; imm = 1; }
            else if (op == 0xa9) { modrm = false; imm = iz; }
            else if ((op >= 0xa4 && op <= 0xa7) || (op >= 0xaa && op <= 0xaf)) { modrm = false; imm = 0; }
            else if (op >= 0xb0 && op <= 0xb7) { modrm = false; imm = 1; }
            else if (op >= 0xb8 && op <= 0xbf) { modrm = false; imm = rexW ? 8 : iz; }
            else if (op == 0xc0 || op == 0xc1 || op == 0xc6) { modrm = true; imm = 1; }
            else if (op == 0xc2 || op == 0xca) { modrm = false; imm = 2; }
            else if (op == 0xc7) { modrm = true; imm = iz; }
            else if (op == 0xc8) { modrm = false; imm = 3; }
            else if (op == 0xc3 || op == 0xc9 || op == 0xcb || op == 0xcc || op == 0xcf) { modrm = false; imm = 0; }
            else if (op == 0xcd) { modrm = false; imm = 1; }
            else if ((op >= 0xd0 && op <= 0xd3) || (op >= 0xd8 && op <= 0xdf)) { modrm = true; imm = 0; }
            else if (op == 0xd7) { modrm = false; imm = 0; }
            else if (op >= 0xe0 && op <= 0xe7) { modrm = false; imm = 1; }
            else if (op == 0xe8 || op == 0xe9) { modrm = false; imm = 4; }
            else if (op == 0xeb) { modrm = false; imm = 1; }
            else if (op >= 0xec && op <= 0xef) { modrm = false; imm = 0; }
            else if (op == 0xf1 || op == 0xf4 || op == 0xf5 || (op >= 0xf8 && op <= 0xfd)) { modrm = false; imm = 0; }
            else if (op == 0xf6 || op == 0xf7) {
                if (at >= n) return null;
                int reg = (code[at] >> 3) & 7;
                modrm = true;
                imm = reg < 2 ? (op == 0xf6 ? 1 : iz) : 0;
            }
            else if (op == 0xfe || op == 0xff) { modrm = true; imm = 0; }
            else return null;                                       // VEX, EVEX, invalid opcodes
        }
        boolean memory = moffs;
        int base = -1, index = -1, scale = 1;
        long disp = 0;
        if (modrm) {
            if (at >= n) return null;
            int m = code[at++] & 0xff;
            int mod = m >> 6, rm = m & 7;
            if (mod != 3) {
                memory = true;
                base = rm | ((rex & 1) << 3);
                int dispSize = mod == 1 ? 1 : mod == 2 ? 4 : 0;
                if (rm == 4) {
                    if (at >= n) return null;
                    int sib = code[at++] & 0xff;
                    scale = 1 << (sib >> 6);
                    int idx = ((sib >> 3) & 7) | ((rex & 2) << 2);
                    index = idx == 4 ? -1 : idx;
                    base = (sib & 7) | ((rex & 1) << 3);
                    if ((sib & 7) == 5 && mod == 0) { base = -1; dispSize = 4; }
                } else if (rm == 5 && mod == 0) {
                    base = mode64 ? RIP : -1;
                    dispSize = 4;
                }
                if (at + dispSize > n) return null;
                disp = readSigned(code, at, dispSize);
                at += dispSize;
            }
        }
        if (moffs) {
            if (at + imm > n) return null;
            disp = imm == 8 ? readSigned(code, at, 8) : readSigned(code, at, 4) & 0xffffffffL;
        }
        at += imm;
        if (at > n || at > MAX_LENGTH) return null;
        return new X86Instruction(at, memory, base, index, scale, disp, segment, addr32);
    }

    private static long readSigned(byte[] b, int at, int size) {
        long v = 0;
        for (int i = 0; i < size; i++) v |= (b[at + i] & 0xffL) << (8 * i);
        int shift = 64 - 8 * size;
        return size == 0 ? 0 : (v << shift) >> shift;
    }

    /**
     * The linear address of the memory operand given the registers in {@code struct kvm_regs} order and
     * the address of the next instruction; null without a memory operand.
     */
    public Long effectiveAddress(long[] kvmRegs, long nextRip, long fsBase, long gsBase) {
        if (!memory) return null;
        long ea = displacement;
        if (base == RIP) ea += nextRip;
        else if (base >= 0) ea += kvmRegs[KVM_REG[base]];
        if (index >= 0) ea += kvmRegs[KVM_REG[index]] * scale;
        if (address32) ea &= 0xffffffffL;
        if (segment == 4) ea += fsBase;
        else if (segment == 5) ea += gsBase;
        return ea;
    }

    /** kvm_regs index of x86 register number r (rax rcx rdx rbx rsp rbp rsi rdi r8-r15). */
    private static final int[] KVM_REG = {0, 2, 3, 1, 6, 7, 4, 5, 8, 9, 10, 11, 12, 13, 14, 15};
}
