package dev.zjvm.hal.cpu;

import dev.zjvm.hal.host.HostMemory;
import dev.zjvm.hal.host.Libc;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** Test helper: sets xmm0-15 to all ones (they are caller-saved, so this is legal for a callee). */
@SuppressWarnings("restricted")   // downcalls to code the HAL generated are its job
final class VectorClobber {
    private static final MethodHandle CLOBBER = emit();

    private VectorClobber() {}

    private static MethodHandle emit() {
        Asm a = new Asm();
        for (int x = 0; x < 16; x++) a.pcmpeqd(x, x);
        a.ret();
        return Libc.LINKER.downcallHandle(MemorySegment.ofAddress(HostMemory.installCode(a.finish())), FunctionDescriptor.ofVoid());
    }

    static void clobberVectorRegisters() {
        try { CLOBBER.invokeExact(); } catch (Throwable t) { throw Libc.rethrow(t); }
    }
}
