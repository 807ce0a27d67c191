package dev.zjvm.hal.cpu;

import dev.zjvm.hal.host.HostMemory;
import dev.zjvm.hal.host.Libc;
import dev.zjvm.hal.signal.SignalShim;

import java.time.Duration;

/**
 * Runs in a child JVM started by {@link ChildJvmTest}, for configurations that are fixed per process:
 * {@code handler} checks the shim flavour that uses arch_prctl instead of FSGSBASE (hosts without it);
 * {@code jfr} runs guests under a JFR recording. Prints "OK" and exits 0, or exits 1 with the reason.
 */
public final class ChildJvmChecks {
    public static void main(String[] args) throws Exception {
        try {
            switch (args[0]) {
                case "handler" -> handler();
                case "jfr" -> jfr();
                default -> throw new IllegalArgumentException(args[0]);
            }
            System.out.println("OK");
            System.exit(0);
        } catch (Throwable t) {
            t.printStackTrace(System.out);
            System.exit(1);
        }
    }

    private static void require(boolean ok, String what) {
        if (!ok) throw new AssertionError(what);
    }

    private static void handler() {
        require(!SignalShim.install().usesFsgsbase(), "expected the arch_prctl handler flavour");
        for (FsGsMode mode : FsGsMode.values()) {
            if (!mode.supported()) continue;
            Guests g = Guests.of(mode);
            for (String p : new String[] {"g_args8", "g_top", "g_flags"}) runClean(g, p);
            TestKernel k = new TestKernel();
            try (UserContext ctx = g.prepare("g_preserve", 20_000, Guests.tlsPage(9), 9)) {
                require(Guests.runToEnd(ctx, k) == null && k.exitedCleanly() && k.hostViolations.isEmpty(), "preserve: " + k.describe());
            }
            expect(g, "g_read", 0x1008, TrapKind.FATAL_PAGE_FAULT);
            expect(g, "g_ud2", 0, TrapKind.UNDEFINED_INSTRUCTION);
            expect(g, "g_int3", 0, TrapKind.SW_BREAKPOINT);
            expect(g, "g_div0", 0, TrapKind.GENERAL);
            expect(g, "g_overflow", 0, TrapKind.FATAL_PAGE_FAULT);
            long page = GuestMemory.page(Libc.PROT_NONE);
            TestKernel rk = new TestKernel();
            try (UserContext ctx = g.prepare("g_resume", page, 77)) {
                Trap t = Guests.runToEnd(ctx, rk);
                require(t != null && t.faultAddress() == page, "resume: first trap " + t);
                HostMemory.protect(page, GuestMemory.PAGE, Libc.PROT_READ | Libc.PROT_WRITE);
                ctx.requestExactResume();
                require(Guests.runToEnd(ctx, rk) == null && rk.exitedCleanly(), "resume: " + rk.describe());
            }
            runClean(g, "g_args3");
            System.gc();
            JvmSignals.assertImplicitExceptionsWork();
        }
    }

    private static void runClean(Guests g, String program) {
        TestKernel k = new TestKernel();
        try (UserContext ctx = g.prepare(program)) {
            require(Guests.runToEnd(ctx, k) == null && k.exitedCleanly() && k.hostViolations.isEmpty(), program + ": " + k.describe());
        }
    }

    private static void expect(Guests g, String program, long arg, TrapKind kind) {
        try (UserContext ctx = g.prepare(program, arg)) {
            Trap t = Guests.runToEnd(ctx, new TestKernel());
            require(t != null && t.kind() == kind, program + ": " + t);
        }
    }

    /** JFR's default sampler signals threads while guests compute and make syscalls (signals spike §5.4). */
    private static void jfr() throws Exception {
        Guests g = Guests.of(FsGsMode.detect());
        try (jdk.jfr.Recording r = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"))) {
            r.start();
            long flag = GuestMemory.page(Libc.PROT_READ | Libc.PROT_WRITE);
            TestKernel spinK = new TestKernel(), busyK = new TestKernel();
            UserContext spinCtx = g.prepare("g_spin", flag);
            UserContext busyCtx = g.prepare("g_preserve", 3_000_000, Guests.tlsPage(5), 5);
            GuestThread spin = g.cpu.start("jfr-spin", spinCtx, spinK);
            GuestThread busy = g.cpu.start("jfr-busy", busyCtx, busyK);
            require(busy.join(Duration.ofMinutes(3)), "busy guest did not finish");
            HostMemory.putLong(flag, 1);
            require(spin.join(Duration.ofMinutes(1)), "spinning guest did not finish");
            require(busyK.exitedCleanly() && busyK.hostViolations.isEmpty(), "busy: " + busyK.describe());
            require(spinK.exitedCleanly(), "spin: " + spinK.describe());
            r.stop();
        }
        System.gc();
    }
}
