package dev.zjvm.hal.cpu;

import dev.zjvm.hal.host.CpuFeatures;
import dev.zjvm.hal.host.HostMemory;
import dev.zjvm.hal.host.Libc;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Map;

import static dev.zjvm.hal.cpu.Asm.*;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Reads the calling Java thread's own CPU state that Java cannot see: fs/gs base, MXCSR, x87 control
 * word, rflags. Used to bind threads and by tests that check nothing leaks from a guest into the JVM.
 * Also the raw arch_prctl system call (glibc has no wrapper that may set fs or gs).
 */
@SuppressWarnings("restricted")   // downcalls to code the HAL generated or to libc are its job
public final class HostThreadState {
    private HostThreadState() {}

    private static final class Code {
        static final Map<String, Long> SYMBOLS = emit();
        static final MethodHandle FS = handle("fs", FunctionDescriptor.of(JAVA_LONG));
        static final MethodHandle GS = handle("gs", FunctionDescriptor.of(JAVA_LONG));
        static final MethodHandle FPCTL = handle("fpctl", FunctionDescriptor.of(JAVA_LONG));
        static final MethodHandle RFLAGS = handle("rflags", FunctionDescriptor.of(JAVA_LONG));
        static final MethodHandle XCR0 = handle("xcr0", FunctionDescriptor.of(JAVA_LONG));
        static final MethodHandle ARCH_PRCTL = handle("arch_prctl", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG));

        private static MethodHandle handle(String name, FunctionDescriptor fd) {
            // critical: these are a few instructions that never block, so no thread-state transition
            return Libc.LINKER.downcallHandle(MemorySegment.ofAddress(SYMBOLS.get(name)), fd, Linker.Option.critical(false));
        }

        private static Map<String, Long> emit() {
            boolean fsgs = CpuFeatures.fsgsbase();
            Asm a = new Asm();
            a.label("fs");
            if (fsgs) a.rdfsbase(RAX); else a.movFsLoad(RAX, 0);   // glibc TCB self-pointer == fs base
            a.ret();
            a.align(16);
            a.label("gs");
            if (fsgs) { a.rdgsbase(RAX); a.ret(); }
            else {
                a.subImm(RSP, 8);                         // arch_prctl(ARCH_GET_GS, rsp)
                a.movRR(RSI, RSP);
                a.movImm32(RDI, Trampoline.ARCH_GET_GS);
                a.movImm32(RAX, Trampoline.SYS_ARCH_PRCTL);
                a.syscall();
                a.pop(RAX);
                a.ret();
            }
            a.align(16);
            a.label("fpctl");                             // MXCSR | x87 CW << 32
            a.stmxcsr(RSP, -8);
            a.fnstcw(RSP, -16);
            a.movLoad32(RAX, RSP, -8);
            a.movLoad32(RCX, RSP, -16);
            a.andImm32(RCX, 0xFFFF);
            a.shlImm(RCX, 32);
            a.orRR(RAX, RCX);
            a.ret();
            a.align(16);
            a.label("rflags");
            a.pushfq();
            a.pop(RAX);
            a.ret();
            a.align(16);
            a.label("xcr0");                              // the XSAVE features the OS enabled
            a.xor32(RCX, RCX);
            a.xgetbv();
            a.shlImm(RDX, 32);
            a.orRR(RAX, RDX);
            a.ret();
            a.align(16);
            a.label("arch_prctl");                        // long arch_prctl(code, addr): raw, returns -errno
            a.movImm32(RAX, Trampoline.SYS_ARCH_PRCTL);
            a.syscall();
            a.ret();
            byte[] code = a.finish();
            long base = HostMemory.installCode(code);
            Map<String, Long> syms = new java.util.HashMap<>();
            a.labels().forEach((k, v) -> syms.put(k, base + v));
            return Map.copyOf(syms);
        }
    }

    /** The calling thread's fs base (its glibc TCB, which also identifies the OS thread). */
    public static long fsBase() {
        try { return (long) Code.FS.invokeExact(); } catch (Throwable t) { throw Libc.rethrow(t); }
    }

    public static long gsBase() {
        try { return (long) Code.GS.invokeExact(); } catch (Throwable t) { throw Libc.rethrow(t); }
    }

    /** The calling thread's MXCSR. */
    public static int mxcsr() { return (int) fpctl(); }

    /** The calling thread's x87 control word. */
    public static int x87ControlWord() { return (int) (fpctl() >>> 32) & 0xFFFF; }

    private static long fpctl() {
        try { return (long) Code.FPCTL.invokeExact(); } catch (Throwable t) { throw Libc.rethrow(t); }
    }

    /** XCR0: the state components XSAVE/XRSTOR handle on this host. */
    public static long xcr0() {
        try { return (long) Code.XCR0.invokeExact(); } catch (Throwable t) { throw Libc.rethrow(t); }
    }

    /** rflags as the calling Java code sees them. */
    public static long rflags() {
        try { return (long) Code.RFLAGS.invokeExact(); } catch (Throwable t) { throw Libc.rethrow(t); }
    }

    /** arch_prctl(ARCH_SET_GS, base) for the calling thread; used by the fallback mode's bind. */
    static void setGsBase(long base) {
        long rc;
        try { rc = (long) Code.ARCH_PRCTL.invokeExact((long) Trampoline.ARCH_SET_GS, base); } catch (Throwable t) { throw Libc.rethrow(t); }
        if (rc != 0) throw new IllegalStateException("arch_prctl(ARCH_SET_GS) failed: " + rc);
    }
}
