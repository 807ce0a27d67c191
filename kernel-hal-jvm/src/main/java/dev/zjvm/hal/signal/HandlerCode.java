package dev.zjvm.hal.signal;

import dev.zjvm.hal.cpu.Asm;
import dev.zjvm.hal.cpu.ContextArena;
import dev.zjvm.hal.cpu.HardwareBreakpoints;
import dev.zjvm.hal.host.HostMemory;
import dev.zjvm.hal.host.Libc;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static dev.zjvm.hal.cpu.Asm.*;
import static dev.zjvm.hal.cpu.ContextLayout.*;
import static dev.zjvm.hal.signal.AltStackArena.*;
import static dev.zjvm.hal.signal.LinuxSignals.*;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The shim's machine code: the signal handler (read+execute) followed by its data page (read+write:
 * previous handlers, signal kinds, counters). See {@link SignalShim} for what the handler decides; the
 * steps are labelled A-F as in the signals spike's README §3.5.
 */
final class HandlerCode {
    static final long KIND_ASYNC = 1, KIND_FAULT = 2;
    // data page: six tables of NSIG qwords
    static final int D_OLD = 0, D_KIND = NSIG * 8, D_CHAINED = 2 * NSIG * 8, D_FORWARDED = 3 * NSIG * 8,
            D_TRAPPED = 4 * NSIG * 8, D_ARGFIX = 5 * NSIG * 8, D_PERF_IGNORED = 6 * NSIG * 8;

    private final boolean fsgsbase;
    final long handler, data;

    /** dst := fs base of the interrupted code. Clobbers rax, rcx, r11 in the fallback. */
    private void readFs(Asm a, int dst) {
        if (fsgsbase) { a.rdfsbase(dst); return; }
        archPrctlGet(a, ARCH_GET_FS, dst);
    }

    private void readGs(Asm a, int dst) {
        if (fsgsbase) { a.rdgsbase(dst); return; }
        archPrctlGet(a, ARCH_GET_GS, dst);
    }

    /** arch_prctl(code, &slot) keeping rdi/rsi/rdx (the handler's arguments); dst must not be rcx/r11/rdi/rsi/rdx. */
    private static void archPrctlGet(Asm a, int code, int dst) {
        a.push(RDI); a.push(RSI); a.push(RDX);         // the previous handler needs them unchanged
        a.push(RAX);                                   // result slot at [rsp]
        a.movRR(RSI, RSP);                             // &slot
        a.movImm32(RDI, code);
        a.movImm32(RAX, SYS_ARCH_PRCTL);
        a.syscall();                                   // clobbers rax, rcx, r11
        a.pop(dst);
        a.pop(RDX); a.pop(RSI); a.pop(RDI);
    }

    /**
     * Fails to {@code fail} unless rax is a live context this very thread entered: in the ctx arena,
     * slot-aligned, allocated, running a guest, with this thread's host fs (r11). Clobbers rcx.
     */
    private static void checkCtx(Asm a, ContextArena contexts, String fail) {
        a.movImm64(RCX, contexts.low()); a.cmpRR(RAX, RCX); a.jcc(CC_B, fail);   // in the ctx arena,
        a.movImm64(RCX, contexts.high()); a.cmpRR(RAX, RCX); a.jcc(CC_AE, fail);
        a.testImm32(RAX, SIZE - 1); a.jcc(CC_NE, fail);                          // slot-aligned,
        a.movImm64(RCX, MAGIC_VALUE); a.cmpMemReg(RAX, MAGIC, RCX); a.jcc(CC_NE, fail);  // allocated,
        a.cmpMemImm32(RAX, IN_GUEST, 0); a.jcc(CC_E, fail);                      // running a guest,
        // entered by this very thread (IN_GUEST is read first; the entering thread wrote H_FS before it)
        a.cmpMemReg(RAX, H_FS, R11); a.jcc(CC_NE, fail);
    }

    /** gs base := src, keeping rdi/rsi/rdx. Clobbers rax, rcx, r11 in the fallback. */
    private void writeGs(Asm a, int src) {
        if (fsgsbase) { a.wrgsbase(src); return; }
        a.push(RDI); a.push(RSI); a.push(RDX);
        a.movRR(RSI, src);
        a.movImm32(RDI, ARCH_SET_GS);
        a.movImm32(RAX, SYS_ARCH_PRCTL);
        a.syscall();
        a.pop(RDX); a.pop(RSI); a.pop(RDI);
    }

    /** fs base := src, keeping rdi/rsi/rdx. Clobbers rax, rcx, r11 in the fallback. */
    private void writeFs(Asm a, int src) {
        if (fsgsbase) { a.wrfsbase(src); return; }
        a.push(RDI); a.push(RSI); a.push(RDX);
        a.movRR(RSI, src);                             // new fs base
        a.movImm32(RDI, ARCH_SET_FS);
        a.movImm32(RAX, SYS_ARCH_PRCTL);
        a.syscall();
        a.pop(RDX); a.pop(RSI); a.pop(RDI);
    }

    /**
     * Falls through if the signal is a SIGTRAP of one of our hardware breakpoints (perf event with
     * sigtrap, si_perf_data tagged), else jumps to {@code notOurs}. Keeps rdi/rsi/rdx; clobbers rax, rcx.
     */
    private static void ourBreakpointTrap(Asm a, String notOurs) {
        a.cmpImm(RDI, SIGTRAP); a.jcc(CC_NE, notOurs);
        a.cmpMem32Imm8(RSI, SI_CODE, TRAP_PERF); a.jcc(CC_NE, notOurs);
        a.movLoad(RAX, RSI, SI_PERF_DATA); a.andImm64(RAX, ~3);
        a.movImm64(RCX, HardwareBreakpoints.SIG_DATA_TAG); a.cmpRR(RAX, RCX); a.jcc(CC_NE, notOurs);
    }

    /**
     * Our breakpoint fired outside guest code (Java or JVM code on the runner thread touched a watched
     * address; an instruction breakpoint on host code; a delivery delayed while SIGTRAP was blocked):
     * not a guest event, and the JVM has no SIGTRAP handler (its default would kill the process), so
     * count it and return. Execution continues: data breakpoints report after the access, and for an
     * instruction breakpoint the kernel saved rflags with RF set, which sigreturn restores.
     */
    private static void ignoreOurBreakpointTrap(Asm a, String label) {
        ourBreakpointTrap(a, label + "_not_ours");
        a.leaRip(RAX, "d_perf_ignored"); a.lockIncIdx8(RAX, RDI);
        a.ret();
        a.label(label + "_not_ours");
    }

    /** Emits the handler (RX page) followed by its data page (RW). */
    HandlerCode(boolean fsgsbase, AltStackArena altStacks, ContextArena contexts) {
        this.fsgsbase = fsgsbase;
        Asm a = new Asm();
        a.label("handler");
        // rdi = sig, rsi = siginfo*, rdx = ucontext*; rdi/rsi/rdx/rsp must reach the previous handler
        // unchanged, so only rax, rcx, r8-r11 are used before the decision.

        // ---- A. this OS thread's record, from the kernel's copy of its sigaltstack settings
        a.testMem32Imm(RDX, UC_SS_FLAGS, SS_DISABLE);  // no alternate stack: the thread never ran a guest
        a.jcc(CC_NE, "chain");
        a.movLoad(R8, RDX, UC_SS_SP);                  // r8 = ss_sp
        a.movImm64(R9, altStacks.low); a.cmpRR(R8, R9); a.jcc(CC_B, "chain");       // inside our arena?
        a.movImm64(R9, altStacks.high()); a.cmpRR(R8, R9); a.jcc(CC_AE, "chain");
        a.cmpMemImm32(RDX, UC_SS_SIZE, STACK_SIZE); a.jcc(CC_NE, "chain");          // our size?
        a.addImm(R8, STACK_SIZE);                      // r8 = thread record
        a.movImm64(R9, REC_MAGIC_VALUE); a.cmpMemReg(R8, REC_MAGIC, R9); a.jcc(CC_NE, "chain");
        readFs(a, R10);                                // r10 = fs base at the interruption
        a.movLoad(R11, R8, REC_HOST_FS);               // r11 = this thread's host fs base

        // ---- B. a guest fault? synchronous fault signal + valid ctx in gs + in guest + this thread
        a.leaRip(RAX, "d_kind"); a.movLoadIdx8(RAX, RAX, RDI);
        a.cmpImm(RAX, (int) KIND_FAULT); a.jcc(CC_NE, "not_guest");
        a.cmpMem32Imm8(RSI, SI_CODE, 0); a.jcc(CC_LE, "not_guest");   // si_code <= 0: sent by kill/tgkill/sigqueue
        // our hardware breakpoint: the guest's only if synchronous (not delayed by a blocked SIGTRAP)
        ourBreakpointTrap(a, "b_not_perf");
        a.cmpMem32Imm8(RSI, SI_PERF_FLAGS, 0); a.jcc(CC_NE, "not_guest");
        a.label("b_not_perf");
        // Not inside another handler that interrupted the guest: guest code never runs on the alternate
        // stack nor with a mask other than the thread's base mask (signals spike, pitfall 1).
        a.testMem32Imm(RDX, UC_SS_FLAGS, SS_ONSTACK); a.jcc(CC_NE, "not_guest");
        a.movLoad(RCX, RDX, UC_SIGMASK); a.cmpMemReg(R8, REC_BASEMASK, RCX); a.jcc(CC_NE, "not_guest");
        readGs(a, RAX);                                // rax = candidate ctx
        a.movLoad(R11, R8, REC_HOST_FS);               // (reloaded: the fallback's syscall clobbers r11)
        checkCtx(a, contexts, "try_record");
        a.jmp("ctx_found");
        // a guest with its own gs base: run() left the ctx in this thread's record
        a.label("try_record");
        a.movLoad(RAX, R8, REC_GUEST_CTX);
        checkCtx(a, contexts, "not_guest");
        a.label("ctx_found");
        // a single step (TF) of the guest's jump into the syscall entry: the entry must not run with
        // TF, so clear it and let the call proceed; Java reports the step after the call (STEP_AT_SYSCALL)
        a.cmpImm(RDI, SIGTRAP); a.jcc(CC_NE, "no_step_entry");
        a.cmpMem32Imm8(RSI, SI_CODE, TRAP_TRACE); a.jcc(CC_NE, "no_step_entry");
        a.movLoad(RCX, RDX, greg(REG_RIP));
        a.cmpMemReg(RAX, ENTRY_AT, RCX); a.jcc(CC_NE, "no_step_entry");
        a.movLoad(RCX, RDX, greg(REG_EFL)); a.andImm64(RCX, ~0x100); a.movStore(RDX, greg(REG_EFL), RCX);
        a.movStoreImm(RAX, STEP_AT_SYSCALL, 1);
        a.ret();                                       // sigreturn: the entry runs as for any call
        a.label("no_step_entry");
        // the entry's gs-tag probe read through a guest gs that maps nothing: continue the entry's
        // guest-gs path (GSPROBE_AT is 0 where there is no probe; no rip is 0)
        a.movLoad(RCX, RDX, greg(REG_RIP));
        a.cmpMemReg(RAX, GSPROBE_AT, RCX); a.jcc(CC_NE, "no_probe");
        a.movLoad(RCX, RAX, GSPROBE_RESUME); a.movStore(RDX, greg(REG_RIP), RCX);
        a.ret();                                       // sigreturn: the guest's registers are untouched
        a.label("no_probe");
        // the syscall entry's copy of args 7/8 may touch past the end of the guest stack: skip it
        a.movLoad(RCX, RDX, greg(REG_RIP));
        a.cmpMemReg(RAX, ARGCOPY_LO, RCX); a.jcc(CC_A, "guest_trap");     // lo > rip
        a.cmpMemReg(RAX, ARGCOPY_HI, RCX); a.jcc(CC_BE, "guest_trap");    // hi <= rip
        a.movLoad(RCX, RAX, ARGCOPY_RESUME); a.movStore(RDX, greg(REG_RIP), RCX);
        a.leaRip(RCX, "d_argfix"); a.xor32(RAX, RAX); a.lockIncIdx8(RCX, RAX);
        a.ret();                                       // sigreturn: continue the entry, args stay 0

        a.label("not_guest");
        a.cmpRR(R10, R11);                             // a guest fs installed?
        a.jcc(CC_NE, "foreign_fs");
        a.incMem(R8, REC_CHAINED);

        // ---- C. host fs: tail-jump to the previous handler, arguments and stack untouched
        a.label("chain");
        ignoreOurBreakpointTrap(a, "chain");
        a.leaRip(RAX, "d_chained"); a.lockIncIdx8(RAX, RDI);
        a.leaRip(RAX, "d_old"); a.movLoadIdx8(RAX, RAX, RDI);
        a.cmpImm(RAX, 1);
        a.jcc(CC_BE, "dfl_or_ign");
        a.jmpR(RAX);

        // ---- D. a guest's fs is installed: run the previous handler on the host fs
        a.label("foreign_fs");
        ignoreOurBreakpointTrap(a, "foreign_fs");
        a.incMem(R8, REC_FORWARDED);
        a.leaRip(RAX, "d_forwarded"); a.lockIncIdx8(RAX, RDI);
        a.leaRip(RAX, "d_old"); a.movLoadIdx8(RAX, RAX, RDI);
        a.cmpImm(RAX, 1);
        a.jcc(CC_BE, "dfl_or_ign");                    // neither needs TLS
        a.push(RBX); a.push(R12); a.push(R13);         // rsp == 0 (mod 16) for the call
        a.movRR(R12, RAX);                             // r12 = previous handler
        // the kernel clears DF/TF for a handler but not AC, which a guest can set: clear it for the JVM
        a.pushfq(); a.pop(RAX); a.andImm64(RAX, ~0x40000); a.push(RAX); a.popfq();
        a.movRR(RBX, R10);                             // rbx = the interrupted (guest) fs
        writeFs(a, R11);                               // host fs
        a.callR(R12);                                  // previous(sig, info, uc)
        writeFs(a, RBX);                               // guest fs again
        a.pop(R13); a.pop(R12); a.pop(RBX);
        a.ret();

        // ---- E. SIG_IGN: return. SIG_DFL: restore the default action and re-raise; the signal stays
        //         pending (blocked while we run) and takes effect right after sigreturn.
        a.label("dfl_or_ign");
        a.jcc(CC_E, "ret");                            // flags still from cmp rax,1: SIG_IGN
        a.subImm(RSP, 40);
        for (int off = 0; off < 32; off += 8) a.movStoreImm(RSP, off, 0);  // kernel sigaction {SIG_DFL}
        a.movRR(R9, RDI);
        a.movImm32(RAX, SYS_RT_SIGACTION); a.movRR(RSI, RSP); a.xor32(RDX, RDX); a.movImm32(R10, 8);
        a.syscall();
        a.movImm32(RAX, SYS_GETPID); a.syscall(); a.movRR(R8, RAX);
        a.movImm32(RAX, SYS_GETTID); a.syscall(); a.movRR(RSI, RAX);
        a.movRR(RDI, R8); a.movRR(RDX, R9); a.movImm32(RAX, SYS_TGKILL);
        a.syscall();
        a.addImm(RSP, 40);
        a.label("ret");
        a.ret();

        // ---- F. guest fault: rax = ctx, r8 = record, r10 = guest fs, r11 = host fs
        a.label("guest_trap");
        a.movStore(RAX, G_FS, R10);                    // the guest's fs base
        a.movStore(RAX, TRAP_SIGNO, RDI);
        a.movsxdLoad(RCX, RSI, SI_CODE); a.movStore(RAX, TRAP_CODE, RCX);
        a.movLoad(RCX, RSI, SI_ADDR); a.movStore(RAX, TRAP_ADDR, RCX);
        a.movLoad(RCX, RSI, SI_PERF_DATA); a.movStore(RAX, TRAP_PERF_DATA, RCX);   // used for TRAP_PERF only
        for (int r = 0; r < 16; r++) { a.movLoad(RCX, RDX, gregOfRegister(r)); a.movStore(RAX, guestReg(r), RCX); }
        a.movLoad(RCX, RDX, greg(REG_RIP)); a.movStore(RAX, G_RIP, RCX);
        a.movLoad(RCX, RDX, greg(REG_EFL)); a.movStore(RAX, G_RFLAGS, RCX);
        a.movLoad(RCX, RDX, greg(REG_ERR)); a.movStore(RAX, TRAP_ERR, RCX);
        a.movLoad(RCX, RDX, greg(REG_TRAPNO)); a.movStore(RAX, TRAP_TRAPNO, RCX);
        a.movStoreImm(RAX, IN_GUEST, 0);
        a.incMem(RAX, TRAP_COUNT);
        a.incMem(R8, REC_TRAPS);
        a.leaRip(RCX, "d_trapped"); a.lockIncIdx8(RCX, RDI);
        // the guest's complete FP/vector state as the kernel saved it (XSAVE standard format), so that
        // Java can resume the guest exactly (run() with RESUME_XSTATE does xrstor)
        a.movStoreImm(RAX, XSTATE_SIZE, 0);
        a.movLoad(RSI, RDX, UC_FPREGS);
        a.test(RSI, RSI); a.jcc(CC_E, "no_xstate");
        a.cmpMem32Imm32(RSI, FPX_MAGIC1, FP_XSTATE_MAGIC1); a.jcc(CC_NE, "no_xstate");
        a.movLoad32(RCX, RSI, FPX_XSTATE_SIZE);
        a.cmpImm(RCX, XAREA_MAX); a.jcc(CC_A, "no_xstate");
        a.movLoad(R9, RSI, FPX_XFEATURES); a.movStore(RAX, XFEATURES, R9);
        a.movStore(RAX, XSTATE_SIZE, RCX);
        a.leaR(RDI, RAX, XAREA);
        a.cld();                                       // (the kernel cleared DF already; be explicit)
        a.repMovsb();                                  // rdi, rsi, rcx consumed
        a.label("no_xstate");
        // leave the guest: host TLS from here on, and sigreturn resumes in trap_exit on the host stack
        a.movRR(R9, RAX);                              // r9 = ctx (survives the fallback's syscall)
        writeFs(a, R11);
        a.cmpMemImm32(R9, G_GS, 0);                    // the guest had its own gs: trap_exit finds ctx in gs
        a.jcc(CC_E, "trap_gs_ok");
        writeGs(a, R9);
        a.label("trap_gs_ok");
        a.movLoad(RCX, R9, TRAP_EXIT); a.movStore(RDX, greg(REG_RIP), RCX);
        a.movLoad(RCX, R9, hostReg(RSP)); a.movStore(RDX, greg(REG_RSP), RCX);
        a.movStoreImm(RDX, greg(REG_EFL), 0x202);      // drops TF/DF/AC the guest may have set
        a.ret();

        // ---- data page (RW): previous handlers, kinds, counters
        int codeEnd = a.pos();
        a.padTo((codeEnd + PAGE - 1) & ~(PAGE - 1));
        int dataOff = a.pos();
        a.label("d_old");
        a.padTo(dataOff + D_KIND); a.label("d_kind");
        a.padTo(dataOff + D_CHAINED); a.label("d_chained");
        a.padTo(dataOff + D_FORWARDED); a.label("d_forwarded");
        a.padTo(dataOff + D_TRAPPED); a.label("d_trapped");
        a.padTo(dataOff + D_ARGFIX); a.label("d_argfix");
        a.padTo(dataOff + D_PERF_IGNORED); a.label("d_perf_ignored");
        a.padTo(dataOff + PAGE);
        byte[] code = a.finish();
        Arrays.fill(code, dataOff, code.length, (byte) 0);   // padTo filled the data page with int3
        long mem = HostMemory.map(code.length, Libc.PROT_READ | Libc.PROT_WRITE);
        MemorySegment.copy(code, 0, Libc.EVERYTHING, JAVA_BYTE, mem, code.length);
        HostMemory.protect(mem, dataOff, Libc.PROT_READ | Libc.PROT_EXEC);   // W^X: code RX, data RW
        handler = mem + a.offsetOf("handler");
        data = mem + dataOff;
    }
}
