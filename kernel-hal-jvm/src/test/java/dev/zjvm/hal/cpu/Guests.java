package dev.zjvm.hal.cpu;

import dev.zjvm.hal.host.HostMemory;
import dev.zjvm.hal.host.Libc;

import java.util.EnumMap;
import java.util.Map;

/**
 * Test fixture: one GuestCpu and one TestImage per mode (shared by the tests of the JVM), plus helpers
 * that set up a context on a fresh stack and run it on the calling thread.
 */
final class Guests {
    static final int STACK_SIZE = 64 * 1024;
    private static final Map<FsGsMode, Guests> BY_MODE = new EnumMap<>(FsGsMode.class);

    final GuestCpu cpu;
    final TestImage image;

    private Guests(FsGsMode mode) {
        cpu = GuestCpu.create(mode);
        image = new TestImage(cpu.syscallEntryAddress());
    }

    static synchronized Guests of(FsGsMode mode) { return BY_MODE.computeIfAbsent(mode, Guests::new); }

    /** A context that starts at program(args...) on a fresh stack, with its own TLS page as fs base. */
    UserContext prepare(String program, long... args) {
        UserContext ctx = cpu.newContext();
        long top = GuestMemory.stack(STACK_SIZE);
        HostMemory.putLong(top - 8, 0);                 // fake return address: rsp == 8 (mod 16) at entry
        ctx.setRsp(top - 8);
        ctx.setRip(image.sym(program));
        int[] regs = {Asm.RDI, Asm.RSI, Asm.RDX, Asm.RCX, Asm.R8, Asm.R9};
        for (int i = 0; i < args.length; i++) ctx.setRegister(Register.values()[regs[i]], args[i]);
        long tls = GuestMemory.page(Libc.PROT_READ | Libc.PROT_WRITE);
        HostMemory.putLong(tls, tls);                   // TCB self pointer, like a real TLS block
        ctx.setFsBase(tls);
        return ctx;
    }

    /** A TLS page with [0] = itself and [8] = magic. */
    static long tlsPage(long magic) {
        long tls = GuestMemory.page(Libc.PROT_READ | Libc.PROT_WRITE);
        HostMemory.putLong(tls, tls);
        HostMemory.putLong(tls + 8, magic);
        return tls;
    }

    /** Runs ctx on the calling thread until exit/fail (returns null) or a trap (returned). */
    static Trap runToEnd(UserContext ctx, TestKernel kernel) {
        for (;;) {
            RunResult r = ctx.run();
            if (r instanceof Trap t) return t;
            SyscallExit call = (SyscallExit) r;
            long v = kernel.handle(ctx, call);
            if (call.number() == TestImage.SYS_EXIT || call.number() == TestImage.SYS_FAIL) return null;
            ctx.setSyscallResult(v);
        }
    }
}
