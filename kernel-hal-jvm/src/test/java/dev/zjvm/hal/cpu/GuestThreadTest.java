package dev.zjvm.hal.cpu;

import dev.zjvm.hal.signal.LinuxSignals;
import dev.zjvm.hal.signal.SignalShim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class GuestThreadTest {
    private static final Duration LONG = Duration.ofMinutes(2);

    /** Waits (bounded) until cond holds; polling, because the condition is another thread's state. */
    private static void await(String what, java.util.function.BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out waiting for " + what);
            Thread.sleep(1);
        }
    }

    @ParameterizedTest
    @EnumSource(FsGsMode.class)
    void severalGuestThreadsRunCorrectlyWhileAnotherThreadAllocatesAndCollects(FsGsMode mode) throws Exception {
        assumeTrue(mode.supported());
        Guests g = Guests.of(mode);
        int n = 3, iterations = mode == FsGsMode.FSGSBASE ? 300_000 : 50_000;
        List<GuestThread> threads = new ArrayList<>();
        List<TestKernel> kernels = new ArrayList<>();
        List<UserContext> contexts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long magic = 0x1000 + i;
            TestKernel k = new TestKernel();
            UserContext ctx = g.prepare("g_preserve", iterations, Guests.tlsPage(magic), magic);
            kernels.add(k);
            contexts.add(ctx);
            threads.add(g.cpu.start("guest-" + i, ctx, k));
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong gcs = new AtomicLong();
        Thread churn = Thread.ofPlatform().name("churn").start(() -> {
            List<byte[]> keep = new ArrayList<>();
            long last = System.nanoTime();
            while (!stop.get()) {
                keep.add(new byte[8 * 1024]);
                if (keep.size() > 1024) keep.clear();
                if (System.nanoTime() - last > 20_000_000L) { System.gc(); gcs.incrementAndGet(); last = System.nanoTime(); }
            }
        });
        try {
            for (GuestThread t : threads) assertTrue(t.join(LONG), t.name() + " did not finish");
        } finally {
            stop.set(true);
            churn.join();
        }
        for (int i = 0; i < n; i++) {
            GuestThread t = threads.get(i);
            assertEquals(GuestThread.ExitReason.EXITED, t.exitReason(), () -> String.valueOf(t.failure()));
            assertTrue(kernels.get(i).exitedCleanly(), kernels.get(i).describe());
            assertTrue(kernels.get(i).hostViolations.isEmpty(), kernels.get(i).describe());
            assertEquals(iterations + 2, kernels.get(i).syscalls);
            contexts.get(i).close();
        }
        assertTrue(gcs.get() > 0, "the churn thread collected at least once");
    }

    @ParameterizedTest
    @EnumSource(FsGsMode.class)
    void aGuestBlockedInItsHandlerIsWokenByAnotherThread(FsGsMode mode) throws Exception {
        assumeTrue(mode.supported());
        Guests g = Guests.of(mode);
        TestKernel k = new TestKernel();
        AtomicBoolean release = new AtomicBoolean();
        k.blockAnswer = TestKernel.parkUntil(release);
        try (UserContext ctx = g.prepare("g_block", 3)) {
            GuestThread t = g.cpu.start("blocked-guest", ctx, k);
            await("the guest to park in its handler",
                    () -> k.blockedThread != null && k.blockedThread.getState() == Thread.State.WAITING);
            assertNull(t.exitReason());
            release.set(true);
            LockSupport.unpark(k.blockedThread);
            assertTrue(t.join(LONG));
            assertEquals(GuestThread.ExitReason.EXITED, t.exitReason());
            assertTrue(k.exitedCleanly(), k.describe());
        }
    }

    @Test
    void killEndsAGuestBlockedInAnInterruptibleWait() throws Exception {
        Guests g = Guests.of(FsGsMode.detect());
        TestKernel k = new TestKernel();
        CountDownLatch never = new CountDownLatch(1);
        k.blockAnswer = i -> {
            try {
                never.await();
                return i + 1;
            } catch (InterruptedException e) {
                return -1;
            }
        };
        try (UserContext ctx = g.prepare("g_block", 3)) {
            GuestThread t = g.cpu.start("killed-guest", ctx, k);
            await("the guest to block", () -> k.blockedThread != null && k.blockedThread.getState() == Thread.State.WAITING);
            t.kill();
            assertTrue(t.join(LONG));
            assertEquals(GuestThread.ExitReason.KILLED, t.exitReason());
            assertEquals(-1, k.exitCode, "the guest never got to exit by itself");
        }
    }

    @Test
    void anUnhandledTrapEndsTheThreadWithTheTrap() throws Exception {
        Guests g = Guests.of(FsGsMode.detect());
        try (UserContext ctx = g.prepare("g_ud2")) {
            GuestThread t = g.cpu.start("ud2-guest", ctx, new TestKernel());
            assertTrue(t.join(LONG));
            assertEquals(GuestThread.ExitReason.TRAP, t.exitReason());
            assertEquals(TrapKind.UNDEFINED_INSTRUCTION, t.lastTrap().kind());
        }
    }

    @Test
    void aResumedBreakpointContinuesTheGuest() throws Exception {
        Guests g = Guests.of(FsGsMode.detect());
        TestKernel k = new TestKernel();
        SyscallHandler resuming = new SyscallHandler() {
            @Override public long onSyscall(GuestThread thread, SyscallExit call) { return k.onSyscall(thread, call); }
            @Override public TrapAction onTrap(GuestThread thread, Trap trap) {
                return trap.kind() == TrapKind.SW_BREAKPOINT ? TrapAction.RESUME : TrapAction.EXIT;
            }
        };
        long before = g.cpu.signalShim().trapped(LinuxSignals.SIGTRAP);
        try (UserContext ctx = g.prepare("g_int3")) {
            GuestThread t = g.cpu.start("int3-guest", ctx, resuming);
            assertTrue(t.join(LONG));
            assertEquals(GuestThread.ExitReason.EXITED, t.exitReason());
            assertTrue(k.exitedCleanly(), k.describe());
        }
        assertEquals(before + 1, g.cpu.signalShim().trapped(LinuxSignals.SIGTRAP));
    }

    @Test
    void aThrowingHandlerEndsTheThreadAsFailed() throws Exception {
        Guests g = Guests.of(FsGsMode.detect());
        try (UserContext ctx = g.prepare("g_top")) {
            GuestThread t = g.cpu.start("throwing-guest", ctx, (thread, call) -> { throw new IllegalStateException("boom"); });
            assertTrue(t.join(LONG));
            assertEquals(GuestThread.ExitReason.FAILED, t.exitReason());
            assertEquals("boom", t.failure().getMessage());
        }
    }

    @Test
    void guestThreadsBlockProcessDirectedSignalsAndSigprof() throws Exception {
        Guests g = Guests.of(FsGsMode.detect());
        long[] mask = new long[1];
        try (UserContext ctx = g.prepare("g_top")) {
            GuestThread t = g.cpu.start("mask-guest", ctx, (thread, call) -> {
                mask[0] = SignalShim.currentSigmask();
                thread.exit();
                return 0;
            });
            assertTrue(t.join(LONG));
        }
        for (int sig : new int[] {LinuxSignals.SIGINT, LinuxSignals.SIGTERM, LinuxSignals.SIGHUP, LinuxSignals.SIGPROF})
            assertNotEquals(0, mask[0] & (1L << (sig - 1)), LinuxSignals.name(sig) + " blocked");
        for (int sig : new int[] {LinuxSignals.SIGSEGV, LinuxSignals.SIGUSR2, LinuxSignals.SIGBUS})
            assertEquals(0, mask[0] & (1L << (sig - 1)), LinuxSignals.name(sig) + " not blocked");
    }

    @Test
    void twoCpusInOneJvmAreIndependent() throws Exception {
        GuestCpu a = GuestCpu.create(), b = GuestCpu.create();
        assertNotSame(a, b);
        assertEquals(a.syscallEntryAddress(), b.syscallEntryAddress(), "immutable code is shared");
        assertSame(a.signalShim(), b.signalShim(), "signal dispositions are per process");
    }
}
