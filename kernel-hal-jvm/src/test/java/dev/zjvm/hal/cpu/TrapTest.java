package dev.zjvm.hal.cpu;

import dev.zjvm.hal.host.HostMemory;
import dev.zjvm.hal.host.Libc;
import dev.zjvm.hal.signal.LinuxSignals;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@SuppressWarnings("restricted")   // downcalls to code the HAL generated or to libc are its job
class TrapTest {
    private static final long UNMAPPED = 0x1008;   // below mmap_min_addr: never mapped

    private static Trap fault(Guests g, String program, long arg) {
        TestKernel kernel = new TestKernel();
        try (UserContext ctx = g.prepare(program, arg)) {
            Trap t = Guests.runToEnd(ctx, kernel);
            assertNotNull(t, () -> program + " did not fault: " + kernel.describe());
            assertEquals(1, kernel.syscalls, "the prologue's null syscall");
            assertTrue(kernel.hostViolations.isEmpty(), kernel.describe());
            return t;
        }
    }

    /** After a trap the same thread runs another guest normally, and the JVM's own signals still work. */
    private static void jvmCarriesOn(Guests g) {
        long tls = Guests.tlsPage(42);
        TestKernel kernel = new TestKernel();
        try (UserContext ctx = g.prepare("g_preserve", 2000, tls, 42)) {
            assertNull(Guests.runToEnd(ctx, kernel));
            assertTrue(kernel.exitedCleanly(), kernel.describe());
            assertTrue(kernel.hostViolations.isEmpty(), kernel.describe());
        }
        System.gc();
        assertEquals(UserContext.DEFAULT_MXCSR & 0xFFC0, HostThreadState.mxcsr() & 0xFFC0);
        assertEquals(UserContext.DEFAULT_X87_CW, HostThreadState.x87ControlWord());
        assertEquals(0, HostThreadState.rflags() & 0x40400, "AC/DF in the JVM");
        JvmSignals.assertImplicitExceptionsWork();
    }

    private static void check(FsGsMode mode, String program, long arg, Consumer<Trap> expectations) {
        assumeTrue(mode.supported());
        Guests g = Guests.of(mode);
        Trap t = fault(g, program, arg);
        expectations.accept(t);
        jvmCarriesOn(g);
    }

    @ParameterizedTest
    @EnumSource(FsGsMode.class)
    void readOfAnUnmappedPage(FsGsMode mode) {
        Guests g = Guests.of(mode);
        check(mode, "g_read", UNMAPPED, t -> {
            assertEquals(TrapKind.FATAL_PAGE_FAULT, t.kind());
            assertEquals(0x108, t.kind().zirconExceptionType());
            assertEquals(UNMAPPED, t.faultAddress());
            assertEquals(g.image.sym("g_read_at"), t.registers().rip());
            assertEquals(LinuxSignals.SIGSEGV, t.signal());
            assertEquals(14, t.vector());
            assertFalse(t.isWrite());
            assertEquals(UNMAPPED, t.registers().r12(), "guest registers at the fault");
        });
    }

    @ParameterizedTest
    @EnumSource(FsGsMode.class)
    void writeToAReadOnlyPage(FsGsMode mode) {
        Guests g = Guests.of(mode);
        long page = GuestMemory.page(Libc.PROT_READ);
        check(mode, "g_write", page, t -> {
            assertEquals(TrapKind.FATAL_PAGE_FAULT, t.kind());
            assertEquals(page + 8, t.faultAddress());
            assertTrue(t.isWrite());
            assertEquals(g.image.sym("g_write_at"), t.registers().rip());
        });
    }

    @ParameterizedTest
    @EnumSource(FsGsMode.class)
    void undefinedInstruction(FsGsMode mode) {
        Guests g = Guests.of(mode);
        check(mode, "g_ud2", 0, t -> {
            assertEquals(TrapKind.UNDEFINED_INSTRUCTION, t.kind());
            assertEquals(0x208, t.kind().zirconExceptionType());
            assertEquals(g.image.sym("g_ud2_at"), t.registers().rip());
            assertEquals(g.image.sym("g_ud2_at"), t.faultAddress());
            assertEquals(LinuxSignals.SIGILL, t.signal());
        });
    }

    @ParameterizedTest
    @EnumSource(FsGsMode.class)
    void softwareBreakpoint(FsGsMode mode) {
        Guests g = Guests.of(mode);
        check(mode, "g_int3", 0, t -> {
            assertEquals(TrapKind.SW_BREAKPOINT, t.kind());
            assertEquals(0x308, t.kind().zirconExceptionType());
            assertEquals(g.image.sym("g_int3_at") + 1, t.registers().rip(), "x86 reports rip after int3");
        });
    }

    @ParameterizedTest
    @EnumSource(FsGsMode.class)
    void divideError(FsGsMode mode) {
        Guests g = Guests.of(mode);
        check(mode, "g_div0", 0, t -> {
            assertEquals(TrapKind.GENERAL, t.kind());
            assertEquals(0x008, t.kind().zirconExceptionType());
            assertEquals(0, t.vector());
            assertEquals(LinuxSignals.SIGFPE, t.signal());
            assertEquals(g.image.sym("g_div0_at"), t.registers().rip());
            assertEquals(g.image.sym("g_div0_at"), t.faultAddress());
        });
    }

    @ParameterizedTest
    @EnumSource(FsGsMode.class)
    void aSyscallWithABogusStackPointerIsTheGuestsFault(FsGsMode mode) {
        check(mode, "g_badsp", UNMAPPED, t -> {
            assertEquals(TrapKind.FATAL_PAGE_FAULT, t.kind());
            assertEquals(UNMAPPED, t.faultAddress());
            assertEquals(UNMAPPED, t.registers().rsp());
            assertTrue(Trampoline.of(mode).contains(t.registers().rip()), "faulted in the syscall entry");
        });
    }

    @ParameterizedTest
    @EnumSource(FsGsMode.class)
    void guestStackOverflow(FsGsMode mode) {
        assumeTrue(mode.supported());
        Guests g = Guests.of(mode);
        TestKernel kernel = new TestKernel();
        try (UserContext ctx = g.prepare("g_overflow")) {
            long top = ctx.rsp() + 8;
            long guard = GuestMemory.guardOf(top, Guests.STACK_SIZE);
            Trap t = Guests.runToEnd(ctx, kernel);
            assertNotNull(t);
            assertEquals(TrapKind.FATAL_PAGE_FAULT, t.kind());
            assertTrue(t.faultAddress() >= guard && t.faultAddress() < guard + GuestMemory.PAGE,
                    () -> String.format("fault 0x%x, guard page 0x%x", t.faultAddress(), guard));
            assertTrue(t.isWrite());
            assertEquals(g.image.sym("g_overflow_rec"), t.registers().rip());
        }
        jvmCarriesOn(g);
    }

    @ParameterizedTest
    @EnumSource(FsGsMode.class)
    void aFixedPageFaultResumesExactly(FsGsMode mode) {
        assumeTrue(mode.supported());
        Guests g = Guests.of(mode);
        long page = GuestMemory.page(Libc.PROT_NONE);
        TestKernel kernel = new TestKernel();
        try (UserContext ctx = g.prepare("g_resume", page, 0x5A5A_1234_5678L)) {
            Trap t = Guests.runToEnd(ctx, kernel);
            assertNotNull(t);
            assertEquals(page, t.faultAddress());
            assertEquals(g.image.sym("g_resume_at"), t.registers().rip());
            HostMemory.protect(page, GuestMemory.PAGE, Libc.PROT_READ | Libc.PROT_WRITE);   // "the pager"
            assertTrue(HostMemory.getLong(ctx.address() + ContextLayout.XSTATE_SIZE) > 0, "XSAVE image captured");
            VectorClobber.clobberVectorRegisters();                  // xmm0 must come back from the captured image
            ctx.requestExactResume();
            assertNull(Guests.runToEnd(ctx, kernel));
            assertTrue(kernel.exitedCleanly(), kernel.describe());   // ZF and xmm0 survived the trap
        }
    }

    @ParameterizedTest
    @EnumSource(FsGsMode.class)
    void faultsOnOneThreadLeaveAnotherGuestThreadUnaffected(FsGsMode mode) throws Exception {
        assumeTrue(mode.supported());
        Guests g = Guests.of(mode);
        long tls = Guests.tlsPage(7);
        TestKernel steady = new TestKernel();
        UserContext steadyCtx = g.prepare("g_preserve", 200_000, tls, 7);
        GuestThread other = g.cpu.start("steady-guest", steadyCtx, steady);
        long ro = GuestMemory.page(Libc.PROT_READ);
        String[] programs = {"g_read", "g_write", "g_ud2", "g_int3", "g_div0"};
        long[] args = {UNMAPPED, ro, 0, 0, 0};
        int faults = 0;
        for (int round = 0; round < 40 && (faults < 100 || other.exitReason() == null); round++) {
            for (int i = 0; i < programs.length; i++) {
                Trap t = fault(g, programs[i], args[i]);
                assertNotNull(t.kind());
                faults++;
            }
        }
        assertTrue(other.join(Duration.ofMinutes(2)), "steady guest did not finish");
        assertEquals(GuestThread.ExitReason.EXITED, other.exitReason(), () -> String.valueOf(other.failure()));
        assertTrue(steady.exitedCleanly(), steady.describe());
        assertTrue(steady.hostViolations.isEmpty(), steady.describe());
        assertEquals(200_002, steady.syscalls);
        steadyCtx.close();
        jvmCarriesOn(g);
    }
}
