package dev.zjvm.hal.cpu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A deliberately small x86-64 emitter: only the instruction forms the trampoline, the signal shim,
 * the clock helper and test guests need. Raw bytes; branches and RIP-relative operands name labels
 * resolved by {@link #finish()} (rel32 only, so every blob is position independent).
 *
 * <p>Encodings were cross-checked against GNU objdump in the trampoline/signals spikes, and
 * {@code AsmTest} compares a sample of them with objdump when it is installed.
 * Register numbers are the x86 encodings (rax=0 ... r15=15), as in {@link Register}.
 */
public final class Asm {
    public static final int RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7,
            R8 = 8, R9 = 9, R10 = 10, R11 = 11, R12 = 12, R13 = 13, R14 = 14, R15 = 15;

    // condition codes for jcc
    public static final int CC_E = 0x4, CC_NE = 0x5, CC_B = 0x2, CC_AE = 0x3, CC_BE = 0x6, CC_A = 0x7,
            CC_L = 0xC, CC_GE = 0xD, CC_LE = 0xE, CC_G = 0xF;

    private static final int SEG_FS = 0x64, SEG_GS = 0x65;

    private byte[] buf = new byte[256];
    private int pos;
    private final Map<String, Integer> labels = new LinkedHashMap<>();
    private record Fixup(int at, String label, int end) {}
    private final List<Fixup> fixups = new ArrayList<>();

    // ---------------------------------------------------------------- raw emission
    public void b(int x) {
        if (pos == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);
        buf[pos++] = (byte) x;
    }
    public void d32(int x) { b(x); b(x >> 8); b(x >> 16); b(x >> 24); }
    public void d64(long x) { d32((int) x); d32((int) (x >>> 32)); }
    public int pos() { return pos; }

    public void label(String name) {
        if (labels.putIfAbsent(name, pos) != null) throw new IllegalStateException("dup label " + name);
    }
    public int offsetOf(String name) {
        Integer o = labels.get(name);
        if (o == null) throw new IllegalStateException("no label " + name);
        return o;
    }
    Map<String, Integer> labels() { return labels; }

    /** Pad with int3 up to the given absolute offset. */
    public void padTo(int offset) {
        if (offset < pos) throw new IllegalStateException("padTo backwards");
        while (pos < offset) b(0xCC);
    }
    public void align(int n) { while (pos % n != 0) b(0xCC); }

    private void rel32(String label) {
        int at = pos;
        d32(0);
        fixups.add(new Fixup(at, label, pos));
    }

    public byte[] finish() {
        for (Fixup f : fixups) {
            int target = offsetOf(f.label);
            int rel = target - f.end;
            buf[f.at] = (byte) rel; buf[f.at + 1] = (byte) (rel >> 8);
            buf[f.at + 2] = (byte) (rel >> 16); buf[f.at + 3] = (byte) (rel >> 24);
        }
        return Arrays.copyOf(buf, pos);
    }

    // ---------------------------------------------------------------- operand helpers
    private void rex(boolean w, int reg, int base) {
        int r = 0x40 | (w ? 8 : 0) | ((reg >> 3) & 1) << 2 | ((base >> 3) & 1);
        if (r != 0x40) b(r);
    }
    /** ModRM(+SIB)(+disp) for [base + disp]. */
    private void mem(int reg, int base, int disp) {
        int rm = base & 7;
        if (disp == 0 && rm != 5) {
            b(((reg & 7) << 3) | rm);
            if (rm == 4) b(0x24);
        } else if (disp >= -128 && disp <= 127) {
            b(0x40 | ((reg & 7) << 3) | rm);
            if (rm == 4) b(0x24);
            b(disp);
        } else {
            b(0x80 | ((reg & 7) << 3) | rm);
            if (rm == 4) b(0x24);
            d32(disp);
        }
    }
    /** ModRM+SIB for absolute [disp32] (no base, no index) -- used with fs:/gs: overrides. */
    private void abs(int reg, int disp) { b(((reg & 7) << 3) | 4); b(0x25); d32(disp); }
    /** ModRM for [rip + label]; must be the last bytes of the instruction. */
    private void rip(int reg, String label) { b(((reg & 7) << 3) | 5); rel32(label); }
    private void modrmReg(int reg, int rm) { b(0xC0 | ((reg & 7) << 3) | (rm & 7)); }

    // ---------------------------------------------------------------- instructions
    public void movLoad(int dst, int base, int disp) { rex(true, dst, base); b(0x8B); mem(dst, base, disp); }
    public void movStore(int base, int disp, int src) { rex(true, src, base); b(0x89); mem(src, base, disp); }
    public void movGsLoad(int dst, int disp) { b(SEG_GS); rex(true, dst, 0); b(0x8B); abs(dst, disp); }
    public void movGsStore(int disp, int src) { b(SEG_GS); rex(true, src, 0); b(0x89); abs(src, disp); }
    public void movFsLoad(int dst, int disp) { b(SEG_FS); rex(true, dst, 0); b(0x8B); abs(dst, disp); }
    /** mov qword gs:[disp], simm32 */
    public void movGsStoreImm(int disp, int imm) { b(SEG_GS); b(0x48); b(0xC7); abs(0, disp); d32(imm); }
    /** mov qword [base+disp], simm32 */
    public void movStoreImm(int base, int disp, int imm) { rex(true, 0, base); b(0xC7); mem(0, base, disp); d32(imm); }
    public void movLoad32(int dst, int base, int disp) { rex(false, dst, base); b(0x8B); mem(dst, base, disp); }
    public void movStore32(int base, int disp, int src) { rex(false, src, base); b(0x89); mem(src, base, disp); }
    public void xorLoad32(int dst, int base, int disp) { rex(false, dst, base); b(0x33); mem(dst, base, disp); }
    public void testImm32(int r, int imm) { rex(false, 0, r); b(0xF7); modrmReg(0, r); d32(imm); }
    public void andImm32(int r, int imm) { rex(false, 0, r); b(0x81); modrmReg(4, r); d32(imm); }
    public void or32(int dst, int src) { rex(false, src, dst); b(0x09); modrmReg(src, dst); }
    public void shlImm(int r, int imm8) { rex(true, 0, r); b(0xC1); modrmReg(4, r); b(imm8); }
    /** or r64, qword [base + disp]. */
    public void orLoad(int dst, int base, int disp) { rex(true, dst, base); b(0x0B); mem(dst, base, disp); }
    public void orRR(int dst, int src) { rex(true, src, dst); b(0x09); modrmReg(src, dst); }
    public void movRR(int dst, int src) { rex(true, src, dst); b(0x89); modrmReg(src, dst); }
    public void movImm64(int dst, long imm) { rex(true, 0, dst); b(0xB8 + (dst & 7)); d64(imm); }
    /** mov r32, imm32 (zero-extends into the 64-bit register) */
    public void movImm32(int dst, int imm) { rex(false, 0, dst); b(0xB8 + (dst & 7)); d32(imm); }
    public void leaR(int dst, int base, int disp) { rex(true, dst, base); b(0x8D); mem(dst, base, disp); }
    public void push(int r) { rex(false, 0, r); b(0x50 + (r & 7)); }
    public void pushImm(int imm) { b(0x68); d32(imm); }
    public void pop(int r) { rex(false, 0, r); b(0x58 + (r & 7)); }
    public void ret() { b(0xC3); }
    public void jmpR(int r) { rex(false, 0, r); b(0xFF); modrmReg(4, r); }
    public void callR(int r) { rex(false, 0, r); b(0xFF); modrmReg(2, r); }
    public void call(String label) { b(0xE8); rel32(label); }
    public void jmp(String label) { b(0xE9); rel32(label); }
    public void jcc(int cc, String label) { b(0x0F); b(0x80 | cc); rel32(label); }
    /** jmp qword [rip + label]  (the libos vDSO stub form: jmp *zcore_syscall_entry(%rip)) */
    public void jmpRipMem(String label) { b(0xFF); rip(4, label); }
    /** jmp qword gs:[disp] */
    public void jmpGsMem(int disp) { b(SEG_GS); b(0xFF); abs(4, disp); }
    /** call qword gs:[disp] */
    public void callGsMem(int disp) { b(SEG_GS); b(0xFF); abs(2, disp); }
    public void dec(int r) { rex(true, 0, r); b(0xFF); modrmReg(1, r); }
    public void inc(int r) { rex(true, 0, r); b(0xFF); modrmReg(0, r); }
    /** cmp a, b (64-bit) */
    public void cmpRR(int a, int bReg) { rex(true, bReg, a); b(0x39); modrmReg(bReg, a); }
    /** cmp reg, qword fs:[disp] */
    public void cmpFsMem(int reg, int disp) { b(SEG_FS); rex(true, reg, 0); b(0x3B); abs(reg, disp); }
    /** cmp qword gs:[disp], simm8 */
    public void cmpGsImm8(int disp, int imm8) { b(SEG_GS); b(0x48); b(0x83); abs(7, disp); b(imm8); }
    /** cmp qword gs:[disp], imm32 (sign-extended). */
    public void cmpGsImm32(int disp, int imm) { b(SEG_GS); b(0x48); b(0x81); abs(7, disp); d32(imm); }
    /** mov r32, cs (zero-extended into r64). */
    public void movFromCs(int r) { rex(false, 0, r); b(0x8C); modrmReg(1, r); }
    /** mov r32, ss. */
    public void movFromSs(int r) { rex(false, 0, r); b(0x8C); modrmReg(2, r); }
    public void iretq() { b(0x48); b(0xCF); }
    /** xsave64 gs:[disp] (edx:eax = requested features). */
    public void xsave64Gs(int disp) { b(SEG_GS); b(0x48); b(0x0F); b(0xAE); abs(4, disp); }
    /** xgetbv: edx:eax = XCR[ecx]. */
    public void xgetbv() { b(0x0F); b(0x01); b(0xD0); }
    public void cmpImm(int r, int imm) { rex(true, 0, r); b(0x81); modrmReg(7, r); d32(imm); }
    public void addImm(int r, int imm) {
        rex(true, 0, r);
        if (imm >= -128 && imm <= 127) { b(0x83); modrmReg(0, r); b(imm); } else { b(0x81); modrmReg(0, r); d32(imm); }
    }
    public void subImm(int r, int imm) {
        rex(true, 0, r);
        if (imm >= -128 && imm <= 127) { b(0x83); modrmReg(5, r); b(imm); } else { b(0x81); modrmReg(5, r); d32(imm); }
    }
    public void xor32(int a, int bReg) { rex(false, bReg, a); b(0x31); modrmReg(bReg, a); }
    public void test(int a, int bReg) { rex(true, bReg, a); b(0x85); modrmReg(bReg, a); }
    public void syscall() { b(0x0F); b(0x05); }
    public void ud2() { b(0x0F); b(0x0B); }
    public void int3() { b(0xCC); }

    // ---------------------------------------------------------------- added for the signal shim
    /** lea dst, [rip + label] */
    public void leaRip(int dst, String label) { rex(true, dst, 0); b(0x8D); rip(dst, label); }
    /** mov dst, qword [rip + label] */
    public void movLoadRip(int dst, String label) { rex(true, dst, 0); b(0x8B); rip(dst, label); }
    /** mov dst, qword [base + index*8]  (base must not be rbp/r13) */
    public void movLoadIdx8(int dst, int base, int index) {
        if ((base & 7) == 5) throw new IllegalArgumentException("base rbp/r13 needs a displacement");
        int r = 0x48 | ((dst >> 3) & 1) << 2 | ((index >> 3) & 1) << 1 | ((base >> 3) & 1);
        b(r); b(0x8B); b(((dst & 7) << 3) | 4); b(0xC0 | ((index & 7) << 3) | (base & 7));
    }
    /** cmp qword [base+disp], reg */
    public void cmpMemReg(int base, int disp, int reg) { rex(true, reg, base); b(0x39); mem(reg, base, disp); }
    /** cmp qword [base+disp], simm32 */
    public void cmpMemImm32(int base, int disp, int imm) { rex(true, 0, base); b(0x81); mem(7, base, disp); d32(imm); }
    /** cmp dword [base+disp], simm8 */
    public void cmpMem32Imm8(int base, int disp, int imm8) { rex(false, 0, base); b(0x83); mem(7, base, disp); b(imm8); }
    /** test dword [base+disp], imm32 */
    public void testMem32Imm(int base, int disp, int imm) { rex(false, 0, base); b(0xF7); mem(0, base, disp); d32(imm); }
    /** inc qword [base+disp] (not atomic: only used on per-thread / per-ctx counters) */
    public void incMem(int base, int disp) { rex(true, 0, base); b(0xFF); mem(0, base, disp); }
    /** movsxd dst, dword [base+disp] */
    public void movsxdLoad(int dst, int base, int disp) { rex(true, dst, base); b(0x63); mem(dst, base, disp); }
    /** and r64, simm32 */
    public void andImm64(int r, int imm) { rex(true, 0, r); b(0x81); modrmReg(4, r); d32(imm); }
    /** cmp dword [base+disp], imm32 */
    public void cmpMem32Imm32(int base, int disp, int imm) { rex(false, 0, base); b(0x81); mem(7, base, disp); d32(imm); }
    /** lock inc qword [base + index*8]  (base must not be rbp/r13) */
    public void lockIncIdx8(int base, int index) {
        if ((base & 7) == 5) throw new IllegalArgumentException("base rbp/r13 needs a displacement");
        b(0xF0);
        b(0x48 | ((index >> 3) & 1) << 1 | ((base >> 3) & 1));
        b(0xFF); b(0x04); b(0xC0 | ((index & 7) << 3) | (base & 7));
    }
    /** rep movsb: copy rcx bytes from [rsi] to [rdi] */
    public void repMovsb() { b(0xF3); b(0xA4); }
    public void fninit() { b(0xDB); b(0xE3); }
    public void vzeroupper() { b(0xC5); b(0xF8); b(0x77); }
    /** xrstor64 [base+disp]: RFBM = edx:eax */
    public void xrstor64(int base, int disp) { rex(true, 0, base); b(0x0F); b(0xAE); mem(5, base, disp); }
    public void pushfq() { b(0x9C); }
    public void cld() { b(0xFC); }
    public void std() { b(0xFD); }
    public void popfq() { b(0x9D); }
    public void hlt() { b(0xF4); }
    /** rdtsc: edx:eax = time-stamp counter */
    public void rdtsc() { b(0x0F); b(0x31); }
    /** lfence: orders rdtsc after earlier loads */
    public void lfence() { b(0x0F); b(0xAE); b(0xE8); }
    /** unsigned divide rdx:rax by r64 */
    public void div(int r) { rex(true, 0, r); b(0xF7); modrmReg(6, r); }
    /** movq xmm, r64 */
    public void movqToXmm(int xmm, int r) { b(0x66); rex(true, xmm, r); b(0x0F); b(0x6E); modrmReg(xmm, r); }
    /** movq r64, xmm */
    public void movqFromXmm(int r, int xmm) { b(0x66); rex(true, xmm, r); b(0x0F); b(0x7E); modrmReg(xmm, r); }
    /** pcmpeqd xmm, xmm (sets all bits: used to clobber vector state) */
    public void pcmpeqd(int x1, int x2) { b(0x66); rex(false, x1, x2); b(0x0F); b(0x76); modrmReg(x1, x2); }

    // FSGSBASE: F3 REX.W 0F AE /op, op: 0 rdfsbase, 1 rdgsbase, 2 wrfsbase, 3 wrgsbase
    private void fsgs(int op, int r) { b(0xF3); rex(true, 0, r); b(0x0F); b(0xAE); modrmReg(op, r); }
    public void rdfsbase(int r) { fsgs(0, r); }
    public void rdgsbase(int r) { fsgs(1, r); }
    public void wrfsbase(int r) { fsgs(2, r); }
    public void wrgsbase(int r) { fsgs(3, r); }

    // SSE / x87 control words
    public void stmxcsr(int base, int disp) { rex(false, 0, base); b(0x0F); b(0xAE); mem(3, base, disp); }
    public void ldmxcsr(int base, int disp) { rex(false, 0, base); b(0x0F); b(0xAE); mem(2, base, disp); }
    public void fnstcw(int base, int disp) { rex(false, 0, base); b(0xD9); mem(7, base, disp); }
    public void fldcw(int base, int disp) { rex(false, 0, base); b(0xD9); mem(5, base, disp); }
    public void stmxcsrGs(int disp) { b(SEG_GS); b(0x0F); b(0xAE); abs(3, disp); }
    public void fnstcwGs(int disp) { b(SEG_GS); b(0xD9); abs(7, disp); }
    public void fldcwGs(int disp) { b(SEG_GS); b(0xD9); abs(5, disp); }
}
