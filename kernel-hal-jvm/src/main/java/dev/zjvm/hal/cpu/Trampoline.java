package dev.zjvm.hal.cpu;

import dev.zjvm.hal.host.CpuFeatures;
import dev.zjvm.hal.host.HostMemory;
import dev.zjvm.hal.host.Libc;
import dev.zjvm.hal.signal.SignalShim;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Map;

import static dev.zjvm.hal.cpu.Asm.*;
import static dev.zjvm.hal.cpu.ContextLayout.*;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The machine code between Java and a guest, one immutable blob per {@link FsGsMode}, emitted once per
 * process on first use and never freed (W^X: written, then mapped read+execute).
 *
 * <pre>
 *  run(ctx)    a normal (non-critical: GC must not wait for the guest) downcall. Saves the host's
 *              callee-saved registers, rsp, fs base, MXCSR control bits and x87 control word in ctx,
 *              points gs at ctx, installs the guest's fs base / FP control, loads all guest GPRs and
 *              jumps to the guest's rip.
 *  entry       the vDSO's zcore_syscall_entry target (rax = number, args in rdi rsi rdx rcx r8 r9,
 *              args 7 and 8 on the guest stack above the return address). Saves the guest state into
 *              gs:ctx, restores the host and returns from run() with rax = syscall number.
 *  trap_exit   where the signal shim makes sigreturn land after a guest fault: returns RUN_TRAP.
 * </pre>
 *
 * Both exits leave run() with an indirect jmp, not ret: the return stack buffer holds the guest's
 * call, so a ret would always mispredict (trampoline spike, pitfall 2).
 */
@SuppressWarnings("restricted")   // downcalls to code the HAL generated or to libc are its job
final class Trampoline {
    private static final int[] CALLEE_SAVED = {RBX, RBP, R12, R13, R14, R15};
    /** rflags bits restored on an exact resume: CF PF AF ZF SF DF OF. */
    private static final int RFLAGS_USER = 0x0CD5;
    static final int EFLAGS_AC = 0x40000, EFLAGS_DF = 0x400, EFLAGS_RF = 0x10000, EFLAGS_TF = 0x100;
    static final int SYS_SIGALTSTACK = 131;
    static final int SYS_ARCH_PRCTL = 158, ARCH_SET_GS = 0x1001, ARCH_SET_FS = 0x1002,
            ARCH_GET_FS = 0x1003, ARCH_GET_GS = 0x1004;
    static final FunctionDescriptor RUN_DESCRIPTOR = FunctionDescriptor.of(JAVA_LONG, JAVA_LONG);

    final FsGsMode mode;
    final long base;
    final int size;
    private final Map<String, Integer> labels;

    private Trampoline(FsGsMode mode) {
        if (!mode.supported()) throw new UnsupportedOperationException(mode + " is not supported by this host");
        this.mode = mode;
        Asm a = new Asm();
        emitRun(a);
        a.align(16);
        emitEntry(a);
        a.align(16);
        emitTrapExit(a);
        byte[] code = a.finish();
        base = HostMemory.installCode(code);
        size = code.length;
        labels = Map.copyOf(a.labels());
    }

    long symbol(String name) {
        Integer off = labels.get(name);
        if (off == null) throw new IllegalArgumentException(name);
        return base + off;
    }

    /** Whether pc lies inside this blob (diagnostics: did a trap happen in the trampoline?). */
    boolean contains(long pc) { return pc >= base && pc < base + size; }

    /** Per-context constants the entry and the shim need (written once when a context is created). */
    void initContext(long ctx) {
        HostMemory.putLong(ctx + TRAP_EXIT, symbol("trap_exit"));
        HostMemory.putLong(ctx + ARGCOPY_LO, symbol("argcopy_lo"));
        HostMemory.putLong(ctx + ARGCOPY_HI, symbol("argcopy_hi"));
        HostMemory.putLong(ctx + ARGCOPY_RESUME, symbol("argcopy_hi"));
        HostMemory.putLong(ctx + GS_TAG, GS_TAG_VALUE);
        HostMemory.putLong(ctx + ENTRY_AT, symbol("entry"));   // sign-extended, as the entry's cmp compares it
        if (mode == FsGsMode.FSGSBASE) {
            HostMemory.putLong(ctx + GSPROBE_AT, symbol("entry"));
            HostMemory.putLong(ctx + GSPROBE_RESUME, symbol("entry_guest_gs"));
        }
    }

    // Lazily built, process-wide, immutable. The handles are static finals so invokeExact is a JIT constant.
    static final class Fsgsbase {
        static final Trampoline CODE = new Trampoline(FsGsMode.FSGSBASE);
        static final MethodHandle RUN = Libc.LINKER.downcallHandle(MemorySegment.ofAddress(CODE.symbol("run")), RUN_DESCRIPTOR);
    }

    static final class ArchPrctl {
        static final Trampoline CODE = new Trampoline(FsGsMode.ARCH_PRCTL);
        static final MethodHandle RUN = Libc.LINKER.downcallHandle(MemorySegment.ofAddress(CODE.symbol("run")), RUN_DESCRIPTOR);
    }

    static Trampoline of(FsGsMode mode) { return mode == FsGsMode.FSGSBASE ? Fsgsbase.CODE : ArchPrctl.CODE; }

    // ------------------------------------------------------------------ pieces
    /**
     * Switch MXCSR control bits (rdi = ctx, current MXCSR stored at curOff; clobbers rax, rcx). Only the
     * control bits (0xFFC0) are callee-saved; loading different *status* bits makes the next stmxcsr take
     * a ~55 ns assist (trampoline spike, pitfall 1). So skip when the control bits match, else load the
     * target control bits merged with the current status flags.
     */
    private static void mxcsrSwitch(Asm a, int curOff, int targetOff, String skip) {
        a.movLoad32(RAX, RDI, curOff);                 // eax = current MXCSR
        a.xorLoad32(RAX, RDI, targetOff);              // ^ target
        a.testImm32(RAX, 0xFFC0);                      // control bits differ?
        a.jcc(CC_E, skip);                             // no: nothing to load
        a.movLoad32(RAX, RDI, targetOff); a.andImm32(RAX, 0xFFC0);  // target control bits
        a.movLoad32(RCX, RDI, curOff); a.andImm32(RCX, 0x3F);       // current status flags
        a.or32(RAX, RCX);                              // merged
        a.movStore32(RDI, MX_TMP, RAX);                // ldmxcsr takes only memory
        a.ldmxcsr(RDI, MX_TMP);                        // switch
        a.label(skip);
    }

    /** arch_prctl(ARCH_SET_FS, [holder + disp]); holder must be a callee-saved register; clobbers rax rcx rdi rsi r11. */
    private static void archSetFs(Asm a, int holder, int disp) {
        a.movImm32(RAX, SYS_ARCH_PRCTL);               // syscall number
        a.movImm32(RDI, ARCH_SET_FS);                  // code
        a.movLoad(RSI, holder, disp);                  // new fs base
        a.syscall();                                   // kernel: clobbers rcx, r11; rflags preserved
    }

    /** Restore host callee-saved registers and leave run() with rax already set (rdi = ctx). */
    private static void returnFromRun(Asm a) {
        for (int r : CALLEE_SAVED) a.movLoad(r, RDI, hostReg(r));   // host callee-saved registers back
        a.movLoad(RCX, RDI, hostReg(RSP));             // rcx = run()'s rsp (points at its return address)
        a.movLoad(RDX, RCX, 0);                        // rdx = return address into the downcall stub
        a.leaR(RSP, RCX, 8);                           // pop it
        a.jmpR(RDX);                                   // "ret" via jmp: keeps the RSB in step
    }

    // ------------------------------------------------------------------ run(ctx)
    private void emitRun(Asm a) {
        boolean fsgs = mode == FsGsMode.FSGSBASE;
        a.label("run");
        // Is this OS thread prepared (alternate signal stack, blocked signals, fallback: gs)? BOUND_FS
        // caches "bound on the thread whose TCB is fs"; anything else goes back to Java to bind.
        if (fsgs) a.rdfsbase(RAX);                     // rax = host fs base (this thread's TCB)
        else a.movFsLoad(RAX, 0);                      // glibc TCB self-pointer: fs:[0] == fs base
        a.cmpMemReg(RDI, BOUND_FS, RAX);               // bound on this thread?
        a.jcc(CC_NE, "run_need_bind");                 // no: nothing saved or changed yet
        if (!fsgs) {
            a.movGsLoad(RCX, SELF);                    // gs was set by bind; does it still point at ctx?
            a.cmpRR(RCX, RDI);                         // (another context may have run here since)
            a.jcc(CC_NE, "run_need_bind");
        }
        a.movStore(RDI, H_FS, RAX);                    // host fs, restored by the entry / the shim
        for (int r : CALLEE_SAVED) a.movStore(RDI, hostReg(r), r);   // host callee-saved registers
        a.movStore(RDI, hostReg(RSP), RSP);            // rsp -> our return address into the downcall stub
        a.stmxcsr(RDI, H_MXCSR);                       // host MXCSR
        mxcsrSwitch(a, H_MXCSR, G_MXCSR, "run_mx");    // guest MXCSR control bits
        a.fnstcw(RDI, H_FCW);                          // host x87 control word
        a.fldcw(RDI, G_FCW);                           // guest x87 control word
        if (fsgs) {
            a.rdgsbase(RAX);                           // gs base := ctx, written only when it differs
            a.cmpRR(RAX, RDI);                         // (rdgsbase is cheap, wrgsbase is not)
            a.jcc(CC_E, "run_gs_ok");
            a.wrgsbase(RDI);
            a.label("run_gs_ok");
        }
        if (fsgs) {
            a.movLoad(RAX, RDI, RESUME);               // exact resume requested, or a guest gs base?
            a.orLoad(RAX, RDI, G_GS);                  // (one test for both rare cases)
            a.jcc(CC_NE, "run_rare");                  // rare: out of line
        } else {
            a.cmpMemImm32(RDI, RESUME, 0);             // exact resume after a trap requested?
            a.jcc(CC_NE, "run_resume");                // rare: out of line
        }
        a.label("run_go");                             // from here on no instruction may change rflags
        if (fsgs) {
            a.movLoad(RAX, RDI, G_FS);                 // guest fs base
            a.wrfsbase(RAX);
        } else {
            a.movRR(RBX, RDI);                         // keep ctx across the syscall (rbx already saved)
            archSetFs(a, RBX, G_FS);                   // guest fs base
            a.movRR(RDI, RBX);
        }
        for (int r = 0; r < 16; r++) if (r != RSP && r != RDI) a.movLoad(r, RDI, guestReg(r));  // guest GPRs
        a.movLoad(RSP, RDI, guestReg(RSP));            // guest stack
        a.movLoad(RDI, RDI, guestReg(RDI));            // last: the ctx pointer itself
        a.movGsStoreImm(IN_GUEST, 1);                  // needs no register; a fault from here on is the guest's
        a.jmpGsMem(G_RIP);                             // enter the guest

        a.label("run_need_bind");
        a.movImm64(RAX, RUN_NEED_BIND);                // Java binds this thread, then calls run() again
        a.ret();                                       // plain ret: nothing was switched

        emitResume(a, "run_resume", "run_go");
        if (fsgs) {
            a.label("run_rare");
            a.cmpMemImm32(RDI, G_GS, 0);
            a.jcc(CC_E, "run_resume");
            emitRunGuestGs(a);
        }
        emitRunRf(fsgs, a);
    }

    /**
     * Entry through iretq, for the two flags popfq cannot give: TF (single step: the first guest
     * instruction runs, then #DB) and RF. RF: exact resume at an instruction breakpoint that just fired (the hit is reported before the
     * instruction runs, so a plain resume would hit it again forever): enter with rflags.RF set, which
     * suppresses instruction breakpoints for exactly one instruction, as Linux does when it returns
     * from its own #DB handler. Only iretq can set RF (popfq clears it), so the guest is entered from
     * an iretq frame in ctx with the restored arithmetic flags; rdi = ctx, the XSAVE state is loaded.
     * Rare (a debugger continuing from a breakpoint), so every flag may be clobbered until the iretq.
     */
    private static void emitRunRf(boolean fsgs, Asm a) {
        a.label("run_rf");
        a.movLoad(RAX, RDI, G_RFLAGS);
        a.andImm64(RAX, RFLAGS_USER);
        a.movImm32(RDX, 0x202);                        // IF, the always-1 bit
        a.orRR(RAX, RDX);
        a.testImm32(RCX, RESUME_RF);                   // (rcx = the RESUME request)
        a.jcc(CC_E, "run_rf_no_rf");
        a.movImm32(RDX, EFLAGS_RF);
        a.orRR(RAX, RDX);
        a.label("run_rf_no_rf");
        a.testImm32(RCX, RESUME_STEP);                 // single step: TF traps after the first guest instruction
        a.jcc(CC_E, "run_rf_no_tf");
        a.movImm32(RDX, EFLAGS_TF);
        a.orRR(RAX, RDX);
        a.label("run_rf_no_tf");
        a.movStore(RDI, IRET_FRAME + 16, RAX);
        emitIretFrame(a);
        if (fsgs) {
            a.movLoad(RAX, RDI, G_FS);                 // guest fs base
            a.wrfsbase(RAX);
            a.cmpMemImm32(RDI, G_GS, 0);               // a guest gs base (run_guest_gs wrote the record)
            a.jcc(CC_E, "run_rf_gs_ok");
            a.movLoad(RAX, RDI, G_GS);
            a.wrgsbase(RAX);
            a.label("run_rf_gs_ok");
        } else {
            a.movRR(RBX, RDI);                         // keep ctx across the syscall (rbx already saved)
            archSetFs(a, RBX, G_FS);
            a.movRR(RDI, RBX);
        }
        a.movStoreImm(RDI, IN_GUEST, 1);               // a fault from here on is the guest's
        for (int r = 0; r < 16; r++) if (r != RSP && r != RDI) a.movLoad(r, RDI, guestReg(r));
        a.leaR(RSP, RDI, IRET_FRAME);
        a.movLoad(RDI, RDI, guestReg(RDI));            // last: the ctx pointer itself
        a.iretq();                                     // enter the guest, RF set for its first instruction
    }

    /** Exact resume after a trap: the XSAVE image captured by the shim and the guest's arithmetic flags. */
    private static void emitResume(Asm a, String label, String go) {
        a.label(label);
        a.movLoad(RCX, RDI, RESUME);                   // rcx = what to restore
        a.movStoreImm(RDI, RESUME, 0);                 // one-shot
        a.testImm32(RCX, RESUME_XSTATE);
        a.jcc(CC_E, label + "_flags");
        a.movLoad32(RAX, RDI, XFEATURES);              // edx:eax = requested-feature bitmap
        a.movLoad32(RDX, RDI, XFEATURES + 4);
        a.xrstor64(RDI, XAREA);                        // vector, x87 and MXCSR state of the guest
        a.label(label + "_flags");
        a.testImm32(RCX, RESUME_RF | RESUME_STEP);     // RF or TF: rflags via iretq
        a.jcc(CC_NE, "run_rf");
        a.testImm32(RCX, RESUME_FLAGS);
        a.jcc(CC_E, go);
        a.movLoad(RAX, RDI, G_RFLAGS);                 // guest rflags at the trap
        a.andImm64(RAX, RFLAGS_USER);                  // arithmetic flags + DF only
        a.push(RAX);                                   // on the host stack, below run()'s return address
        a.popfq();
        a.jmp(go);
    }

    /**
     * run() for a guest with its own gs base (FSGSBASE only). The last jump cannot go through gs, and
     * no register is left once the guest's are loaded, so the guest is entered with iretq from a frame
     * in ctx (a same-privilege iretq loads rip, rflags and rsp at once). The thread's signal-stack
     * record learns the ctx first: with gs the guest's, that is how the entry and the shim find it.
     */
    private static void emitRunGuestGs(Asm a) {
        a.label("run_guest_gs");
        a.movLoad(RAX, RDI, BOUND_REC);                // this thread's record (set by bind)
        a.movStore(RAX, SignalShim.RECORD_GUEST_CTX, RDI);
        a.cmpMemImm32(RDI, RESUME, 0);
        a.jcc(CC_NE, "run_gs_resume");
        a.label("run_gs_go");                          // from here on no instruction may change rflags
        a.movLoad(RAX, RDI, G_FS);                     // guest fs base
        a.wrfsbase(RAX);
        a.pushfq();                                    // the guest starts with the flags prepared so far
        a.pop(RAX);
        a.movStore(RDI, IRET_FRAME + 16, RAX);
        emitIretFrame(a);
        a.movLoad(RAX, RDI, G_GS);
        a.wrgsbase(RAX);                               // the guest's gs: ctx is reached through rdi only now
        a.movStoreImm(RDI, IN_GUEST, 1);               // a fault from here on is the guest's
        for (int r = 0; r < 16; r++) if (r != RSP && r != RDI) a.movLoad(r, RDI, guestReg(r));
        a.leaR(RSP, RDI, IRET_FRAME);
        a.movLoad(RDI, RDI, guestReg(RDI));            // last: the ctx pointer itself
        a.iretq();                                     // enter the guest
        emitResume(a, "run_gs_resume", "run_gs_go");
    }

    // ------------------------------------------------------------------ syscall entry
    private void emitEntry(Asm a) {
        boolean fsgs = mode == FsGsMode.FSGSBASE;
        a.label("entry");
        if (fsgs) {
            // gs is ctx unless the guest has its own gs base (then this probe may even fault: the
            // shim resumes at entry_guest_gs, as it would continue after a mismatch)
            a.cmpGsImm32(GS_TAG, GS_TAG_VALUE);
            a.jcc(CC_NE, "entry_guest_gs");
            a.label("entry_gs_ok");
        }
        for (int r = 0; r < 16; r++) if (r != RSP) a.movGsStore(guestReg(r), r);  // 15 guest GPRs, no scratch needed
        // Reads of guest memory come first, while IN_GUEST is 1: a bogus guest rsp faults as the guest's.
        a.movLoad(RAX, RSP, 0);                        // guest return address
        a.movGsStore(G_RIP, RAX);                      // the guest resumes there
        a.leaR(RAX, RSP, 8);                           // "pop" it
        a.movGsStore(guestReg(RSP), RAX);
        a.movGsStoreImm(ARG6, 0);                      // args 7/8 are 0 if the stack ends below them
        a.movGsStoreImm(ARG7, 0);
        a.label("argcopy_lo");                         // a fault in here resumes at argcopy_hi (shim)
        a.movLoad(RAX, RSP, 8);                        // 7th argument, above the return address
        a.movGsStore(ARG6, RAX);
        a.movLoad(RAX, RSP, 16);                       // 8th argument
        a.movGsStore(ARG7, RAX);
        a.label("argcopy_hi");
        // rflags hygiene: a guest-set DF would run JVM string ops backwards, AC would make any unaligned
        // JVM access SIGBUS. pushfq writes below the guest rsp, so it too comes while IN_GUEST is 1.
        a.pushfq();                                    // guest rflags
        a.pop(RAX);
        a.testImm32(RAX, EFLAGS_AC | EFLAGS_DF);       // AC or DF set?
        a.jcc(CC_NE, "entry_fix_flags");               // rare: out of line
        a.label("entry_flags_ok");
        a.movGsStoreImm(IN_GUEST, 0);                  // no guest memory is touched from here on
        a.cmpGsImm8(CAPTURE_XSTATE, 0);                // a stop pending: keep the vector state?
        a.jcc(CC_NE, "entry_capture");                 // rare: out of line
        a.label("entry_captured");
        a.stmxcsrGs(G_MXCSR);                          // guest MXCSR
        a.fnstcwGs(G_FCW);                             // guest x87 control word
        if (fsgs) {
            a.rdfsbase(RAX);                           // guest fs base (it may have changed it itself)
            a.movGsStore(G_FS, RAX);
            a.rdgsbase(RDI);                           // rdi = ctx
            a.movLoad(RAX, RDI, H_FS);                 // host fs base back
            a.wrfsbase(RAX);
        } else {
            // the guest fs cannot be read without rdfsbase: G_FS stays authoritative
            a.movGsLoad(RBX, SELF);                    // rbx = ctx (guest rbx already saved)
            archSetFs(a, RBX, H_FS);                   // host fs base back
            a.movRR(RDI, RBX);                         // rdi = ctx
        }
        mxcsrSwitch(a, G_MXCSR, H_MXCSR, "entry_mx");  // host MXCSR control bits
        a.fldcw(RDI, H_FCW);                           // host x87 control word
        a.movLoad32(RAX, RDI, guestReg(RAX));          // run() returns the syscall number: eax, zero-extended
                                                       // (never negative, so never mistaken for RUN_TRAP)
        returnFromRun(a);

        a.label("entry_fix_flags");
        a.andImm64(RAX, ~(EFLAGS_AC | EFLAGS_DF));     // clear AC and DF
        a.push(RAX);
        a.popfq();
        a.jmp("entry_flags_ok");

        // The guest's x87/SSE/AVX/AVX-512 state as of this syscall (rax, rdx are saved already).
        a.label("entry_capture");
        a.movImm32(RAX, CAPTURE_FEATURES);
        a.xor32(RDX, RDX);
        a.xsave64Gs(XAREA);
        a.movGsStoreImm(XFEATURES, CAPTURE_FEATURES);
        a.movGsStoreImm(XSTATE_SIZE, CAPTURE_SIZE);
        a.movGsStoreImm(CAPTURE_XSTATE, 2);
        a.jmp("entry_captured");

        if (fsgs) emitEntryGuestGs(a);
    }

    /**
     * The entry of a guest with its own gs base: find ctx through the thread's signal-stack record
     * (sigaltstack tells where the stack is; the record lies right above it), point gs back at ctx,
     * keep the guest's gs, and continue as the common entry. The scratch registers go on the guest
     * stack below the return address, as the common entry's pushfq does.
     */
    private static void emitEntryGuestGs(Asm a) {
        a.label("entry_guest_gs");
        a.push(RAX); a.push(RCX); a.push(RDX); a.push(RSI); a.push(RDI); a.push(R11);
        a.rdgsbase(RDX);                               // the guest's gs (a syscall keeps rdx)
        a.subImm(RSP, 24);                             // stack_t
        a.movImm32(RAX, SYS_SIGALTSTACK);
        a.xor32(RDI, RDI);                             // query only
        a.movRR(RSI, RSP);
        a.syscall();                                   // clobbers rcx, r11
        a.movLoad(RAX, RSP, 0);                        // ss_sp
        a.addImm(RSP, 24);
        a.addImm(RAX, SignalShim.ALT_STACK_SIZE);      // the record
        a.movLoad(RAX, RAX, SignalShim.RECORD_GUEST_CTX);
        a.wrgsbase(RAX);                               // gs = ctx again
        a.movStore(RAX, G_GS, RDX);
        a.pop(R11); a.pop(RDI); a.pop(RSI); a.pop(RDX); a.pop(RCX); a.pop(RAX);
        a.jmp("entry_gs_ok");
    }

    // ------------------------------------------------------------------ trap exit
    /**
     * Reached by sigreturn after the shim recorded a guest fault: the guest registers are in ctx,
     * IN_GUEST is 0, fs is the host's and rsp = H_RSP. The FP/vector state is still the guest's.
     */
    private void emitTrapExit(Asm a) {
        a.label("trap_exit");
        if (mode == FsGsMode.FSGSBASE) a.rdgsbase(RDI); // rdi = ctx
        else a.movGsLoad(RDI, SELF);
        a.fnstcw(RDI, G_FCW);                          // guest x87 control word
        a.stmxcsr(RDI, G_MXCSR);                       // guest MXCSR
        a.fninit();                                    // empty the x87 stack the guest may have left
        if (CpuFeatures.avx()) a.vzeroupper();         // no dirty upper vector state into the JVM
        mxcsrSwitch(a, G_MXCSR, H_MXCSR, "trap_mx");   // host MXCSR control bits
        a.fldcw(RDI, H_FCW);                           // host x87 control word
        a.movImm64(RAX, RUN_TRAP);                     // run() returns RUN_TRAP
        returnFromRun(a);
    }

    /**
     * The rip, cs, rsp and ss slots of the iretq frame in the context (rflags at +16 is the
     * caller's): the guest's rip and rsp, the host's code and stack selectors. Clobbers rax.
     */
    private static void emitIretFrame(Asm a) {
        a.movLoad(RAX, RDI, G_RIP);
        a.movStore(RDI, IRET_FRAME, RAX);
        a.movFromCs(RAX);
        a.movStore(RDI, IRET_FRAME + 8, RAX);
        a.movLoad(RAX, RDI, guestReg(RSP));
        a.movStore(RDI, IRET_FRAME + 24, RAX);
        a.movFromSs(RAX);
        a.movStore(RDI, IRET_FRAME + 32, RAX);
    }
}
