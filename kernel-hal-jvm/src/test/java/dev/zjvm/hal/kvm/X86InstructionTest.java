package dev.zjvm.hal.kvm;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class X86InstructionTest {
    private static X86Instruction decode64(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) b[i] = (byte) bytes[i];
        return X86Instruction.decode(b, b.length, true);
    }

    @Test
    void absoluteStoreWithImmediate() {
        X86Instruction d = decode64(0xc7, 0x04, 0x25, 0x10, 0x00, 0x10, 0x00, 0x78, 0x56, 0x34, 0x12);
        assertEquals(11, d.length());
        assertTrue(d.memory());
        assertEquals(-1, d.base());
        assertEquals(-1, d.index());
        assertEquals(0x100010, d.displacement());
        assertEquals(0x100010L, d.effectiveAddress(new long[18], 0, 0, 0));
    }

    @Test
    void baseIndexScaleDisplacement() {
        X86Instruction d = decode64(0x89, 0x4c, 0x98, 0x08); // mov [rax+rbx*4+8], ecx
        assertEquals(4, d.length());
        assertEquals(0, d.base());
        assertEquals(3, d.index());
        assertEquals(4, d.scale());
        long[] regs = new long[18];
        regs[0] = 0x1000; // rax
        regs[1] = 0x10;   // rbx (kvm_regs order)
        assertEquals(0x1048L, d.effectiveAddress(regs, 0, 0, 0));
    }

    @Test
    void ripRelativeUsesTheNextInstruction() {
        X86Instruction d = decode64(0x8b, 0x05, 0xf0, 0xff, 0xff, 0xff); // mov eax, [rip-16]
        assertEquals(6, d.length());
        assertEquals(X86Instruction.RIP, d.base());
        assertEquals(0x2000L - 16, d.effectiveAddress(new long[18], 0x2000, 0, 0));
    }

    @Test
    void immediatesMoffsPrefixesAndMaps() {
        assertEquals(10, decode64(0x48, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8).length());       // mov rax, imm64
        assertFalse(decode64(0x48, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8).memory());
        X86Instruction moffs = decode64(0xa3, 0x20, 0, 0x10, 0, 0, 0, 0, 0);             // mov [moffs64], eax
        assertEquals(9, moffs.length());
        assertEquals(0x100020L, moffs.effectiveAddress(new long[18], 0, 0, 0));
        assertEquals(2, decode64(0xe6, 0x10).length());                                  // out 0x10, al
        assertEquals(3, decode64(0x0f, 0xb6, 0x07).length());                            // movzx eax, byte [rdi]
        assertEquals(5, decode64(0x66, 0xc7, 0x07, 0x34, 0x12).length());                // mov word [rdi], 0x1234
        X86Instruction fs = decode64(0x64, 0x8b, 0x04, 0x25, 0x10, 0, 0, 0);             // mov eax, fs:[0x10]
        assertEquals(8, fs.length());
        assertEquals(0x5010L, fs.effectiveAddress(new long[18], 0, 0x5000, 0));
        assertEquals(3, decode64(0xf6, 0x07, 0x01).length());                            // test byte [rdi], 1
        assertEquals(2, decode64(0xf6, 0x17).length());                                  // not byte [rdi]
    }

    @Test
    void unknownOrTruncatedIsNull() {
        assertNull(decode64(0xc5, 0xf8, 0x77));            // VEX
        assertNull(decode64(0xc7, 0x04, 0x25, 0x10));      // cut short
        assertNull(decode64(0x06));                        // push es: invalid in 64-bit code
    }
}
