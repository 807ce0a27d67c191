package dev.zjvm.hal.cpu;

import dev.zjvm.hal.host.HostMemory;
import dev.zjvm.hal.host.Libc;

import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

import static dev.zjvm.hal.cpu.Asm.*;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Hand-assembled guest programs for the tests: a code page with vDSO-style syscall stubs
 * ({@code mov $NUM, %eax; jmp *zcore_syscall_entry(%rip)}) and small programs, then a data page with
 * the zcore_syscall_entry slot, written with the cpu's entry address as the loader would.
 */
final class TestImage {
    static final int SYS_NULL = 0, SYS_EXIT = 1, SYS_SETFS = 2, SYS_FAIL = 3, SYS_WORK = 4, SYS_FPCHECK = 5,
            SYS_BLOCK = 6, SYS_ARGS0 = 10;   // SYS_ARGS0 + k: a syscall with k arguments, k = 0..8
    static final long[] ARGS = {0x0101_0101_0101_0101L, 0x2020_2020_2020_2020L, 0x0303_0303_0303_0303L,
            0x4040_4040_4040_4040L, 0x0505_0505_0505_0505L, 0x6060_6060_6060_6060L, 0x0707_0707_0707_0707L,
            0x7f08_0808_0808_0808L};
    static final long GARBAGE = 0xBAD0_BAD0_BAD0_BAD0L;
    static final long MAGIC_RBX = 0x1111_2222_3333_4444L, MAGIC_RBP = 0x5555_6666_7777_8888L,
            MAGIC_R15 = 0x0123_4567_89AB_CDEFL;
    static final int GUEST_MXCSR = 0x1F80 | 0x6000 | 0x8000;   // round toward zero + flush to zero
    static final int GUEST_FCW = 0x007F;                       // 24-bit precision

    /** What the handler of SYS_ARGS0+k returns: sum of (i+1) * arg_i over the k arguments. */
    static long argsResult(int k) {
        long s = 0;
        for (int i = 0; i < k; i++) s += (i + 1) * ARGS[i];
        return s;
    }

    final long base;
    private final Map<String, Long> symbols = new HashMap<>();

    TestImage(long syscallEntry) {
        Asm a = new Asm();
        stub(a, "sys_null", SYS_NULL); stub(a, "sys_exit", SYS_EXIT); stub(a, "sys_setfs", SYS_SETFS);
        stub(a, "sys_fail", SYS_FAIL); stub(a, "sys_work", SYS_WORK); stub(a, "sys_fpcheck", SYS_FPCHECK);
        stub(a, "sys_block", SYS_BLOCK);
        for (int k = 0; k <= 8; k++) stub(a, "sys_args" + k, SYS_ARGS0 + k);

        // g_args<k>(): a syscall with k arguments (6 in registers, then on the stack); unused ones garbage
        int[] regs = {RDI, RSI, RDX, RCX, R8, R9};
        for (int k = 0; k <= 8; k++) {
            a.label("g_args" + k);
            a.push(RBP);
            if (k >= 7) {
                a.movImm64(RAX, k == 8 ? ARGS[7] : GARBAGE); a.push(RAX);     // 8th
                a.movImm64(RAX, ARGS[6]); a.push(RAX);                        // 7th
            }
            for (int i = 0; i < 6; i++) a.movImm64(regs[i], i < k ? ARGS[i] : GARBAGE);
            a.call("sys_args" + k);
            if (k >= 7) a.addImm(RSP, 16);
            a.movImm64(RCX, argsResult(k)); a.cmpRR(RAX, RCX); a.jcc(CC_NE, "ga_fail" + k);
            a.xor32(RDI, RDI); a.call("sys_exit"); a.ud2();
            a.label("ga_fail" + k); a.movImm32(RDI, 100 + k); a.movRR(RSI, RAX); a.call("sys_fail"); a.ud2();
            a.align(16);
        }

        // g_top(): a syscall made with the stack nearly empty: the entry's copy of args 7/8 runs past the
        // stack's end (onto an inaccessible page) and must be skipped, not reported as a fault
        a.label("g_top");
        a.call("sys_null");
        a.xor32(RDI, RDI); a.call("sys_exit"); a.ud2();
        a.align(16);

        // g_preserve(n, tls, magic): setfs(tls); n x { sys_work; check rbx, rbp, r15, fs:[0] == tls,
        // fs:[8] == magic }; exit(0). r12 = counter, r13 = tls, r14 = magic are live across the calls too.
        a.label("g_preserve");
        a.push(RBP);
        a.movRR(R12, RDI); a.movRR(R13, RSI); a.movRR(R14, RDX);
        a.movRR(RDI, RSI); a.call("sys_setfs");
        a.movImm64(RBX, MAGIC_RBX); a.movImm64(RBP, MAGIC_RBP); a.movImm64(R15, MAGIC_R15);
        a.label("gp_top");
        a.call("sys_work");
        a.movImm64(RAX, MAGIC_RBX); a.cmpRR(RBX, RAX); a.jcc(CC_NE, "gp_fail1");
        a.movImm64(RAX, MAGIC_RBP); a.cmpRR(RBP, RAX); a.jcc(CC_NE, "gp_fail1");
        a.movImm64(RAX, MAGIC_R15); a.cmpRR(R15, RAX); a.jcc(CC_NE, "gp_fail1");
        a.cmpFsMem(R13, 0); a.jcc(CC_NE, "gp_fail2");
        a.cmpFsMem(R14, 8); a.jcc(CC_NE, "gp_fail3");
        a.dec(R12);
        a.jcc(CC_NE, "gp_top");
        a.xor32(RDI, RDI); a.call("sys_exit"); a.ud2();
        a.label("gp_fail1"); a.movImm32(RDI, 1); a.movRR(RSI, R12); a.call("sys_fail"); a.ud2();
        a.label("gp_fail2"); a.movImm32(RDI, 2); a.movFsLoad(RSI, 0); a.call("sys_fail"); a.ud2();
        a.label("gp_fail3"); a.movImm32(RDI, 3); a.movFsLoad(RSI, 8); a.call("sys_fail"); a.ud2();
        a.align(16);

        // g_fp(n): set MXCSR / x87 CW to GUEST_*, then n x { sys_fpcheck; check both survived }; exit(0)
        a.label("g_fp");
        a.push(RBP);
        a.movRR(R12, RDI);
        a.movImm32(RAX, GUEST_MXCSR); a.movStore32(RSP, -8, RAX); a.ldmxcsr(RSP, -8);
        a.movImm32(RAX, GUEST_FCW); a.movStore32(RSP, -8, RAX); a.fldcw(RSP, -8);
        a.label("gfp_top");
        a.call("sys_fpcheck");
        a.stmxcsr(RSP, -8); a.movLoad32(RSI, RSP, -8); a.andImm32(RSI, 0xFFC0);
        a.cmpImm(RSI, GUEST_MXCSR); a.jcc(CC_NE, "gfp_fail1");
        a.movStoreImm(RSP, -8, 0); a.fnstcw(RSP, -8); a.movLoad32(RSI, RSP, -8);
        a.cmpImm(RSI, GUEST_FCW); a.jcc(CC_NE, "gfp_fail2");
        a.dec(R12);
        a.jcc(CC_NE, "gfp_top");
        a.xor32(RDI, RDI); a.call("sys_exit"); a.ud2();
        a.label("gfp_fail1"); a.movImm32(RDI, 1); a.call("sys_fail"); a.ud2();
        a.label("gfp_fail2"); a.movImm32(RDI, 2); a.call("sys_fail"); a.ud2();
        a.align(16);

        // g_block(n): for i in 0..n-1 { r = sys_block(i); check r == i + 1 }; exit(0)
        a.label("g_block");
        a.push(RBP);
        a.movRR(R12, RDI); a.xor32(R13, R13);
        a.label("gb_top");
        a.movRR(RDI, R13); a.call("sys_block");
        a.inc(R13); a.cmpRR(RAX, R13); a.jcc(CC_NE, "gb_fail");
        a.cmpRR(R13, R12); a.jcc(CC_NE, "gb_top");
        a.xor32(RDI, RDI); a.call("sys_exit"); a.ud2();
        a.label("gb_fail"); a.movImm32(RDI, 1); a.movRR(RSI, RAX); a.call("sys_fail"); a.ud2();
        a.align(16);

        // g_flags(): set rflags.AC and DF, make a syscall (the JVM must see neither), clear DF, exit(0)
        a.label("g_flags");
        a.push(RBP);
        a.pushfq(); a.pop(RAX); a.movImm32(RCX, 0x40000); a.orRR(RAX, RCX); a.push(RAX); a.popfq();
        a.std();
        a.call("sys_null");
        a.cld();                                   // the ABI wants DF clear at calls
        a.xor32(RDI, RDI); a.call("sys_exit"); a.ud2();
        a.align(16);

        // g_spin(flag): one null syscall, then spin without syscalls until [flag] != 0; exit(0)
        a.label("g_spin");
        a.push(RBP);
        a.movRR(R12, RDI);
        a.call("sys_null");
        a.label("gs_top");
        a.cmpMemImm32(R12, 0, 0);
        a.jcc(CC_E, "gs_top");
        a.xor32(RDI, RDI); a.call("sys_exit"); a.ud2();
        a.align(16);

        // g_badsp(addr): a syscall made with rsp = addr: the entry itself faults reading the return address
        a.label("g_badsp");
        a.push(RBP);
        a.movRR(R12, RDI);
        a.call("sys_null");
        a.movRR(RSP, R12);
        a.movImm32(RAX, SYS_NULL);
        a.jmpRipMem("zcore_syscall_entry");
        a.align(16);

        // fault programs: one null syscall first (the fault hits a guest that is already running), the
        // faulting instruction at <name>_at, exit(0) if execution gets past it
        faultProgram(a, "g_read", () -> a.movLoad(RAX, R12, 0));
        faultProgram(a, "g_write", () -> a.movStore(R12, 8, RAX));
        faultProgram(a, "g_ud2", a::ud2);
        faultProgram(a, "g_int3", a::int3);
        faultProgram(a, "g_div0", () -> { a.xor32(RCX, RCX); a.movImm32(RAX, 1); a.xor32(RDX, RDX); a.label("g_div0_at"); a.div(RCX); });
        a.label("g_overflow");
        a.call("sys_null");
        a.label("g_overflow_rec");
        a.call("g_overflow_rec");
        a.align(16);

        // g_resume(addr, magic): xmm0 = magic, ZF = 1, store magic to [addr] (faults; Java fixes it and
        // resumes exactly), then check ZF, [addr] and xmm0; exit(0) or fail(1..3)
        a.label("g_resume");
        a.push(RBP);
        a.movRR(R12, RDI); a.movRR(R13, RSI);
        a.call("sys_null");
        a.movqToXmm(0, R13);
        a.movImm32(RCX, 5); a.cmpImm(RCX, 5);
        a.label("g_resume_at");
        a.movStore(R12, 0, R13);
        a.jcc(CC_NE, "gr_fail1");
        a.movLoad(RAX, R12, 0); a.cmpRR(RAX, R13); a.jcc(CC_NE, "gr_fail2");
        a.movqFromXmm(RAX, 0); a.cmpRR(RAX, R13); a.jcc(CC_NE, "gr_fail3");
        a.xor32(RDI, RDI); a.call("sys_exit"); a.ud2();
        a.label("gr_fail1"); a.movImm32(RDI, 1); a.call("sys_fail"); a.ud2();
        a.label("gr_fail2"); a.movImm32(RDI, 2); a.call("sys_fail"); a.ud2();
        a.label("gr_fail3"); a.movImm32(RDI, 3); a.call("sys_fail"); a.ud2();

        // g_gs(n, v0, v8): n x { sys_work; check gs:[0] == v0 and gs:[8] == v8 }; exit(0). The kernel set
        // the gs base; r12 = counter, r13 = v0, r14 = v8 are live across the calls too.
        a.label("g_gs");
        a.push(RBP);
        a.movRR(R12, RDI); a.movRR(R13, RSI); a.movRR(R14, RDX);
        a.label("ggs_top");
        a.call("sys_work");
        a.movGsLoad(RAX, 0); a.cmpRR(RAX, R13); a.jcc(CC_NE, "ggs_fail1");
        a.movGsLoad(RAX, 8); a.cmpRR(RAX, R14); a.jcc(CC_NE, "ggs_fail2");
        a.dec(R12);
        a.jcc(CC_NE, "ggs_top");
        a.xor32(RDI, RDI); a.call("sys_exit"); a.ud2();
        a.label("ggs_fail1"); a.movImm32(RDI, 1); a.movRR(RSI, RAX); a.call("sys_fail"); a.ud2();
        a.label("ggs_fail2"); a.movImm32(RDI, 2); a.movRR(RSI, RAX); a.call("sys_fail"); a.ud2();
        a.align(16);

        // g_xmm(v): xmm0 = v; sys_null; fail(9, xmm0): the kernel sees what xmm0 holds after a syscall
        a.label("g_xmm");
        a.push(RBP);
        a.movqToXmm(0, RDI);
        a.call("sys_null");
        a.movqFromXmm(RSI, 0);
        a.movImm32(RDI, 9); a.call("sys_fail"); a.ud2();
        a.align(16);

        if (a.pos() > 0x1000) throw new IllegalStateException("test image too big: " + a.pos());
        a.padTo(0x1000);
        a.label("zcore_syscall_entry");
        a.d64(syscallEntry);                       // what the loader does for the vDSO
        a.padTo(0x2000);
        byte[] code = a.finish();
        base = HostMemory.map(0x2000, Libc.PROT_READ | Libc.PROT_WRITE);
        MemorySegment.copy(code, 0, Libc.EVERYTHING, JAVA_BYTE, base, code.length);
        HostMemory.protect(base, 0x1000, Libc.PROT_READ | Libc.PROT_EXEC);
        a.labels().forEach((k, v) -> symbols.put(k, base + v));
    }

    long sym(String name) {
        Long v = symbols.get(name);
        if (v == null) throw new IllegalArgumentException(name);
        return v;
    }

    private static void stub(Asm a, String name, int number) {
        a.label(name);
        a.movImm32(RAX, number);
        a.jmpRipMem("zcore_syscall_entry");
        a.align(16);
    }

    private static void faultProgram(Asm a, String name, Runnable fault) {
        a.label(name);
        a.push(RBP);
        a.movRR(R12, RDI);
        a.call("sys_null");
        if (!name.equals("g_div0")) a.label(name + "_at");
        fault.run();
        a.xor32(RDI, RDI); a.call("sys_exit"); a.ud2();
        a.align(16);
    }
}
