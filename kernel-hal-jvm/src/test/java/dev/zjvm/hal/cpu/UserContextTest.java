package dev.zjvm.hal.cpu;

import dev.zjvm.hal.host.CpuFeatures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class UserContextTest {

    static Stream<Arguments> modesAndArgCounts() {
        return Stream.of(FsGsMode.values()).flatMap(m -> IntStream.rangeClosed(0, 8).mapToObj(k -> Arguments.of(m, k)));
    }

    @ParameterizedTest(name = "{0}: {1} args")
    @MethodSource("modesAndArgCounts")
    void passesEveryArgumentAndTheReturnValue(FsGsMode mode, int k) {
        assumeTrue(mode.supported());
        TestKernel kernel = new TestKernel();
        try (UserContext ctx = Guests.of(mode).prepare("g_args" + k)) {
            assertNull(Guests.runToEnd(ctx, kernel));
            assertTrue(kernel.exitedCleanly(), kernel.describe());
            assertEquals(2, kernel.syscalls);
            assertTrue(kernel.hostViolations.isEmpty(), kernel.describe());
        }
    }

    @ParameterizedTest
    @EnumSource(FsGsMode.class)
    void syscallResultIsSeenAsReturnedRaxAndSyscallExitCarriesTheNumber(FsGsMode mode) {
        assumeTrue(mode.supported());
        try (UserContext ctx = Guests.of(mode).prepare("g_args8")) {
            SyscallExit call = (SyscallExit) ctx.run();
            assertEquals(TestImage.SYS_ARGS0 + 8, call.number());
            for (int i = 0; i < 8; i++) assertEquals(TestImage.ARGS[i], call.arg(i), "arg " + i);
            ctx.setSyscallResult(12345);                     // wrong on purpose: the guest must notice
            SyscallExit next = (SyscallExit) ctx.run();
            assertEquals(TestImage.SYS_FAIL, next.number());
            assertEquals(108, next.arg0());
            assertEquals(12345, next.arg1());
        }
    }

    @ParameterizedTest
    @EnumSource(FsGsMode.class)
    void calleeSavedRegistersAndGuestFsSurviveAndTheJvmGetsItsOwnStateBack(FsGsMode mode) {
        assumeTrue(mode.supported());
        long jvmFs = HostThreadState.fsBase();
        long tls = Guests.tlsPage(0x7E57_7E57_7E57L);
        TestKernel kernel = new TestKernel();
        try (UserContext ctx = Guests.of(mode).prepare("g_preserve", 5000, tls, 0x7E57_7E57_7E57L)) {
            assertNull(Guests.runToEnd(ctx, kernel));
            assertTrue(kernel.exitedCleanly(), kernel.describe());
            assertTrue(kernel.hostViolations.isEmpty(), kernel.describe());
            assertEquals(tls, ctx.fsBase(), "guest fs base as the context saw it last");
        }
        assertEquals(jvmFs, HostThreadState.fsBase());
    }

    @ParameterizedTest
    @EnumSource(FsGsMode.class)
    void guestFloatingPointControlNeitherLeaksIntoTheJvmNorIsLost(FsGsMode mode) {
        assumeTrue(mode.supported());
        int jvmMxcsr = HostThreadState.mxcsr() & 0xFFC0, jvmCw = HostThreadState.x87ControlWord();
        TestKernel kernel = new TestKernel();
        try (UserContext ctx = Guests.of(mode).prepare("g_fp", 1000)) {
            assertNull(Guests.runToEnd(ctx, kernel));
            assertTrue(kernel.exitedCleanly(), kernel.describe());
            assertTrue(kernel.hostViolations.isEmpty(), kernel.describe());
            assertEquals(TestImage.GUEST_MXCSR, ctx.mxcsr() & 0xFFC0);
            assertEquals(TestImage.GUEST_FCW, ctx.x87ControlWord());
        }
        assertEquals(jvmMxcsr, HostThreadState.mxcsr() & 0xFFC0);
        assertEquals(jvmCw, HostThreadState.x87ControlWord());
        assertEquals(0.1 + 0.2, Double.parseDouble("0.30000000000000004"));   // round-to-nearest in Java
    }

    @ParameterizedTest
    @EnumSource(FsGsMode.class)
    void syscallAtTheTopOfTheStackReadsNoArgumentsPastItsEnd(FsGsMode mode) {
        assumeTrue(mode.supported());
        TestKernel kernel = new TestKernel();
        long before = Guests.of(mode).cpu.signalShim().argCopyFaults();
        try (UserContext ctx = Guests.of(mode).prepare("g_top")) {
            RunResult first = ctx.run();
            SyscallExit call = assertInstanceOf(SyscallExit.class, first, () -> "got " + first);
            assertEquals(TestImage.SYS_NULL, call.number());
            assertEquals(0, call.arg6(), "the fake return address above the guest's call");
            assertEquals(0, call.arg7(), "past the stack: not readable, reported as 0");
            assertNull(Guests.runToEnd(ctx, kernel));
            assertTrue(kernel.exitedCleanly(), kernel.describe());
        }
        assertTrue(Guests.of(mode).cpu.signalShim().argCopyFaults() > before);
    }

    @ParameterizedTest
    @EnumSource(FsGsMode.class)
    void guestAlignmentCheckAndDirectionFlagsDoNotReachTheJvm(FsGsMode mode) {
        assumeTrue(mode.supported());
        TestKernel kernel = new TestKernel();
        try (UserContext ctx = Guests.of(mode).prepare("g_flags")) {
            assertNull(Guests.runToEnd(ctx, kernel));
            assertTrue(kernel.exitedCleanly(), kernel.describe());
            assertTrue(kernel.hostViolations.isEmpty(), kernel.describe());   // checked on every syscall
        }
        assertEquals(0, HostThreadState.rflags() & 0x40400);
    }

    @Test
    void contextsOfBothModesInterleavedOnOneThread() {
        assumeTrue(FsGsMode.FSGSBASE.supported());
        // Each run() of one context moves the gs base away from the other: the fallback's run() must
        // notice (gs:[SELF] check) and re-bind rather than enter with gs pointing at the wrong block.
        long tlsA = Guests.tlsPage(0xA), tlsB = Guests.tlsPage(0xB), tlsC = Guests.tlsPage(0xC);
        TestKernel ka = new TestKernel(), kb = new TestKernel(), kc = new TestKernel();
        try (UserContext a = Guests.of(FsGsMode.FSGSBASE).prepare("g_preserve", 3000, tlsA, 0xA);
             UserContext b = Guests.of(FsGsMode.ARCH_PRCTL).prepare("g_preserve", 3000, tlsB, 0xB);
             UserContext c = Guests.of(FsGsMode.ARCH_PRCTL).prepare("g_preserve", 3000, tlsC, 0xC)) {
            boolean doneA = false, doneB = false, doneC = false;
            while (!(doneA && doneB && doneC)) {
                if (!doneA) doneA = step(a, ka);
                if (!doneB) doneB = step(b, kb);
                if (!doneC) doneC = step(c, kc);
            }
            for (TestKernel k : new TestKernel[] {ka, kb, kc}) {
                assertTrue(k.exitedCleanly(), k.describe());
                assertTrue(k.hostViolations.isEmpty(), k.describe());
                assertEquals(3002, k.syscalls);
            }
        }
    }

    /** One syscall of ctx; true when the guest is done. */
    private static boolean step(UserContext ctx, TestKernel k) {
        RunResult r = ctx.run();
        SyscallExit call = assertInstanceOf(SyscallExit.class, r, () -> "trap: " + r);
        long v = k.handle(ctx, call);
        if (call.number() == TestImage.SYS_EXIT || call.number() == TestImage.SYS_FAIL) return true;
        ctx.setSyscallResult(v);
        return false;
    }

    @Test
    void fsMustBeCanonical() {
        try (UserContext ctx = Guests.of(FsGsMode.detect()).prepare("g_top")) {
            ctx.setGsBase(0);
            assertEquals(0, ctx.gsBase());
            assertThrows(IllegalArgumentException.class, () -> ctx.setFsBase(0x8000_0000_0000_0000L));
            assertThrows(IllegalArgumentException.class, () -> ctx.setFsBase(0x0000_8000_0000_0000L));
            assertThrows(IndexOutOfBoundsException.class, () -> ctx.syscallArg(8));
        }
    }

    @Test
    void aClosedContextRefusesToRun() {
        UserContext ctx = Guests.of(FsGsMode.detect()).prepare("g_top");
        ctx.close();
        assertThrows(IllegalStateException.class, ctx::run);
    }

    @Test
    void modeDetectionFollowsTheHost() {
        assertEquals(CpuFeatures.fsgsbase() ? FsGsMode.FSGSBASE : FsGsMode.ARCH_PRCTL, FsGsMode.detect());
        assertTrue(FsGsMode.ARCH_PRCTL.supported());
    }
}
