package dev.zjvm.hal.cpu;

import dev.zjvm.hal.host.HostMemory;
import dev.zjvm.hal.host.Libc;
import dev.zjvm.hal.signal.SignalShim;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Guest debug registers armed as host perf breakpoints: they fire as HW_BREAKPOINT traps of the guest only. */
class HardwareBreakpointTest {
    private static final long SENTINEL = 0x5EED_0000_0000_0001L;
    /** DR7: L0 (exec), L2 (exec), L0 + RW0 = write + LEN0 = 8 bytes. */
    private static final long DR7_EXEC0 = 1, DR7_EXEC2 = 1 << 4, DR7_WRITE0_8 = 1 | (1L << 16) | (2L << 18);
    /** Traps a guest may take before the test calls it looping. */
    private static final int MAX_TRAPS = 5;

    @BeforeAll
    static void hostAllowsIt() {
        assumeTrue(HardwareBreakpoints.availableOnThisHost(),
                "perf_event_open(PERF_TYPE_BREAKPOINT, sigtrap) is not permitted on this host (perf_event_paranoid, seccomp, kernel < 5.13)");
    }

    /** Runs g_write(page) (stores rax to [page + 8]) with rax preset, resuming exactly after each trap. */
    private static java.util.List<Trap> runResuming(UserContext ctx, TestKernel kernel) {
        java.util.List<Trap> traps = new java.util.ArrayList<>();
        for (;;) {
            Trap t = Guests.runToEnd(ctx, kernel);
            if (t == null) return traps;
            traps.add(t);
            if (t.kind() != TrapKind.HW_BREAKPOINT || traps.size() >= MAX_TRAPS) return traps;
            ctx.requestExactResume();
        }
    }

    /** g_write(page) stores rax (0, the null syscall's result) to [page + 8], which holds SENTINEL before. */
    private static UserContext prepareWrite(Guests g, long page) {
        HostMemory.putLong(page + 8, SENTINEL);
        return g.prepare("g_write", page);
    }

    @ParameterizedTest
    @EnumSource(FsGsMode.class)
    void anInstructionBreakpointStopsBeforeTheInstructionAndTheGuestContinuesPastIt(FsGsMode mode) {
        assumeTrue(mode.supported());
        Guests g = Guests.of(mode);
        long page = GuestMemory.page(Libc.PROT_READ | Libc.PROT_WRITE);
        long at = g.image.sym("g_write_at");
        TestKernel kernel = new TestKernel();
        try (UserContext ctx = prepareWrite(g, page)) {
            ctx.setDebugRegisters(new long[] {0, 0, at, 0}, DR7_EXEC2);
            Trap t = Guests.runToEnd(ctx, kernel);
            assertNotNull(t, kernel.describe());
            assertEquals(TrapKind.HW_BREAKPOINT, t.kind());
            assertEquals(0x408, t.kind().zirconExceptionType());
            assertEquals(1, t.vector());
            assertEquals(1L << 2, t.debugStatus(), "DR6.B2");
            assertEquals(at, t.registers().rip(), "reported before the instruction runs");
            assertEquals(at, t.faultAddress());
            assertEquals(SENTINEL, HostMemory.getLong(page + 8), "the store has not happened at the stop");
            ctx.requestExactResume();
            Trap again = Guests.runToEnd(ctx, kernel);
            assertNull(again, "continues past the breakpoint, no second stop");
            assertTrue(kernel.exitedCleanly(), kernel.describe());
            assertTrue(kernel.hostViolations.isEmpty(), kernel.describe());
            assertEquals(0, HostMemory.getLong(page + 8), "the store happened once resumed");
        }
    }

    @ParameterizedTest
    @EnumSource(FsGsMode.class)
    void aWriteWatchpointStopsAfterTheStore(FsGsMode mode) {
        assumeTrue(mode.supported());
        Guests g = Guests.of(mode);
        long page = GuestMemory.page(Libc.PROT_READ | Libc.PROT_WRITE);
        long at = g.image.sym("g_write_at");
        TestKernel kernel = new TestKernel();
        try (UserContext ctx = prepareWrite(g, page)) {
            ctx.setDebugRegisters(new long[] {page + 8, 0, 0, 0}, DR7_WRITE0_8);
            java.util.List<Trap> traps = runResuming(ctx, kernel);
            assertEquals(1, traps.size(), () -> traps.toString());
            Trap t = traps.get(0);
            assertEquals(TrapKind.HW_BREAKPOINT, t.kind());
            assertEquals(1L, t.debugStatus(), "DR6.B0");
            assertTrue(t.registers().rip() > at && t.registers().rip() <= at + 15, "after the store");
            assertEquals(0, t.registers().rax());
            assertEquals(0, HostMemory.getLong(page + 8), "the store happened");
            assertTrue(kernel.exitedCleanly(), kernel.describe());
        }
    }

    @ParameterizedTest
    @EnumSource(FsGsMode.class)
    void dr7ZeroDisarms(FsGsMode mode) {
        assumeTrue(mode.supported());
        Guests g = Guests.of(mode);
        long page = GuestMemory.page(Libc.PROT_READ | Libc.PROT_WRITE);
        TestKernel kernel = new TestKernel();
        long execAndWrite1 = DR7_EXEC0 | (1 << 2) | (1L << 20) | (2L << 22);   // exec DR0, write DR1 (8 bytes)
        try (UserContext ctx = prepareWrite(g, page)) {
            ctx.setDebugRegisters(new long[] {g.image.sym("g_write_at"), page + 8, 0, 0}, execAndWrite1);
            assertFalse(ctx.debugRegistersArmed(), "not bound to a thread yet");
            Trap t = Guests.runToEnd(ctx, kernel);
            assertNotNull(t, kernel.describe());
            assertEquals(1L, t.debugStatus());
            assertTrue(ctx.debugRegistersArmed(), "armed at the first run");
            ctx.setDebugRegisters(new long[4], 0);
            assertFalse(ctx.debugRegistersArmed());
            ctx.requestExactResume();
            assertNull(Guests.runToEnd(ctx, kernel), "the write watchpoint no longer fires");
            assertTrue(kernel.exitedCleanly(), kernel.describe());
        }
        try (UserContext ctx = prepareWrite(g, page)) {
            ctx.setDebugRegisters(new long[] {g.image.sym("g_write_at"), page + 8, 0, 0}, execAndWrite1);
            ctx.setDebugRegisters(new long[] {g.image.sym("g_write_at"), page + 8, 0, 0}, 0);
            TestKernel k2 = new TestKernel();
            assertNull(Guests.runToEnd(ctx, k2), "no breakpoint fires");
            assertTrue(k2.exitedCleanly(), k2.describe());
        }
    }

    @ParameterizedTest
    @EnumSource(FsGsMode.class)
    void anInstructionBreakpointOnHostCodeIsIgnoredAndThatCodeRunsOn(FsGsMode mode) {
        assumeTrue(mode.supported());
        Guests g = Guests.of(mode);
        long page = GuestMemory.page(Libc.PROT_READ | Libc.PROT_WRITE);
        SignalShim shim = SignalShim.install();
        TestKernel kernel = new TestKernel();
        try (UserContext ctx = prepareWrite(g, page)) {
            // the trampoline's run(): executed by this (runner) thread, with the host's fs, at every run
            ctx.setDebugRegisters(new long[] {Trampoline.of(mode).symbol("run"), 0, 0, 0}, DR7_EXEC0);
            long before = shim.ignoredBreakpointTraps();
            assertNull(Guests.runToEnd(ctx, kernel), kernel.describe());
            assertTrue(kernel.exitedCleanly(), kernel.describe());
            assertTrue(shim.ignoredBreakpointTraps() >= before + 2, "one per run(), each ignored once");
            JvmSignals.assertImplicitExceptionsWork();
        }
    }

    @ParameterizedTest
    @EnumSource(FsGsMode.class)
    void aWatchpointHitByJavaCodeOnTheRunnerThreadIsIgnored(FsGsMode mode) {
        assumeTrue(mode.supported());
        Guests g = Guests.of(mode);
        long page = GuestMemory.page(Libc.PROT_READ | Libc.PROT_WRITE);
        SignalShim shim = SignalShim.install();
        TestKernel kernel = new TestKernel();
        try (UserContext ctx = prepareWrite(g, page)) {
            ctx.setDebugRegisters(new long[] {page + 8, 0, 0, 0}, DR7_WRITE0_8);
            RunResult first = ctx.run();                         // the null syscall: bound and armed here
            assertInstanceOf(SyscallExit.class, first);
            assertTrue(ctx.debugRegistersArmed());
            long before = shim.ignoredBreakpointTraps();
            HostMemory.putLong(page + 8, 42);                    // Java, on the runner thread, in its watch
            assertTrue(shim.ignoredBreakpointTraps() > before, "the SIGTRAP came and was ignored");
            assertEquals(42, HostMemory.getLong(page + 8));
            JvmSignals.assertImplicitExceptionsWork();
            ctx.setSyscallResult(kernel.handle(ctx, (SyscallExit) first));
            java.util.List<Trap> traps = runResuming(ctx, kernel);
            assertEquals(1, traps.size(), "the guest's own store still stops: " + traps);
            assertEquals(TrapKind.HW_BREAKPOINT, traps.get(0).kind());
            assertTrue(kernel.exitedCleanly(), kernel.describe());
        }
    }
}
