package dev.zjvm.hal.bench;

import dev.zjvm.hal.cpu.Asm;
import dev.zjvm.hal.cpu.GuestCpu;
import dev.zjvm.hal.cpu.Register;
import dev.zjvm.hal.cpu.UserContext;
import dev.zjvm.hal.host.HostMemory;
import dev.zjvm.hal.host.Libc;

import java.lang.foreign.MemorySegment;

import static dev.zjvm.hal.cpu.Asm.*;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The benchmark's guest: vDSO-style stubs ({@code mov $NUM, %eax; jmp *zcore_syscall_entry(%rip)}) and
 * {@code loop(n)}: n null syscalls, then exit. One image per cpu (the slot holds that cpu's entry).
 */
final class BenchGuest implements AutoCloseable {
    static final int SYS_NULL = 0, SYS_EXIT = 1;
    private static final int STACK = 64 * 1024;

    private final long image, loop, stackTop;
    final UserContext context;

    BenchGuest(GuestCpu cpu) {
        Asm a = new Asm();
        a.label("sys_null"); a.movImm32(RAX, SYS_NULL); a.jmpRipMem("slot"); a.align(16);
        a.label("sys_exit"); a.movImm32(RAX, SYS_EXIT); a.jmpRipMem("slot"); a.align(16);
        a.label("loop");
        a.push(RBP);                      // SysV alignment at the calls
        a.movRR(R12, RDI);
        a.label("top");
        a.call("sys_null");
        a.dec(R12);
        a.jcc(CC_NE, "top");
        a.xor32(RDI, RDI);
        a.call("sys_exit");
        a.ud2();
        a.padTo(0x1000);
        a.label("slot");
        a.d64(cpu.syscallEntryAddress());
        a.padTo(0x2000);
        byte[] code = a.finish();
        image = HostMemory.map(0x2000, Libc.PROT_READ | Libc.PROT_WRITE);
        MemorySegment.copy(code, 0, Libc.EVERYTHING, JAVA_BYTE, image, code.length);
        HostMemory.protect(image, 0x1000, Libc.PROT_READ | Libc.PROT_EXEC);
        loop = image + a.offsetOf("loop");
        long stack = HostMemory.map(STACK + HostMemory.PAGE_SIZE, Libc.PROT_READ | Libc.PROT_WRITE);
        HostMemory.protect(stack, HostMemory.PAGE_SIZE, Libc.PROT_NONE);
        stackTop = stack + HostMemory.PAGE_SIZE + STACK;
        context = cpu.newContext();
        long tls = HostMemory.map(HostMemory.PAGE_SIZE, Libc.PROT_READ | Libc.PROT_WRITE);
        HostMemory.putLong(tls, tls);
        context.setFsBase(tls);         // a guest fs base, like a real guest thread
    }

    /** Points the context at loop(n) on a fresh stack. */
    void start(long n) {
        HostMemory.putLong(stackTop - 8, 0);
        context.setRsp(stackTop - 8);
        context.setRip(loop);
        context.setRegister(Register.RDI, n);
    }

    @Override public void close() { context.close(); }
}
