package dev.zjvm.hal.signal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.*;

class SignalShimTest {

    @Test
    void installIsIdempotentAndThreadSafe() throws Exception {
        Set<SignalShim> seen = ConcurrentHashMap.newKeySet();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try { go.await(); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
                seen.add(SignalShim.install());
            }));
        }
        go.countDown();
        for (Thread t : threads) t.join();
        seen.add(SignalShim.install());
        assertEquals(1, seen.size());
        SignalShim shim = seen.iterator().next();
        for (int sig : SignalShim.FAULT_SIGNALS) assertTrue(shim.wraps(sig), LinuxSignals.name(sig));
        assertTrue(shim.wraps(LinuxSignals.SIGUSR2));
        assertFalse(shim.wraps(LinuxSignals.SIGQUIT), "SIGQUIT is blocked in Java threads: not wrapped");
        assertEquals(SignalShim.FAULT_SIGNALS.length + 1, shim.installLog().size(), "each signal wrapped once");
    }

    @Test
    void hotspotsImplicitExceptionsWorkBehindTheShimOnThreadsThatNeverRanAGuest() throws Exception {
        SignalShim.install();
        int[] npes = new int[1];
        boolean[] overflowed = new boolean[1];
        Thread t = Thread.ofPlatform().start(() -> {
            String[] values = {"x", null};
            for (int i = 0; i < 50_000; i++) {
                try {
                    npes[0] += values[i & 1].length() - 1;
                } catch (NullPointerException e) {
                    npes[0]++;
                }
            }
            try {
                recurse(0);
            } catch (StackOverflowError e) {
                overflowed[0] = true;
            }
        });
        t.join();
        assertEquals(25_000, npes[0]);
        assertTrue(overflowed[0]);
    }

    private static int recurse(int depth) { return recurse(depth + 1) + 1; }

    @Test
    void guestThreadMaskBlocksProcessDirectedSignalsButNotTheJvmsOrFaults() {
        long m = SignalShim.guestThreadBlockedMask();
        for (int sig : new int[] {LinuxSignals.SIGINT, LinuxSignals.SIGTERM, LinuxSignals.SIGHUP, LinuxSignals.SIGPIPE,
                LinuxSignals.SIGPROF, LinuxSignals.SIGCHLD, LinuxSignals.SIGUSR1})
            assertNotEquals(0, m & bit(sig), LinuxSignals.name(sig));
        for (int sig : new int[] {LinuxSignals.SIGSEGV, LinuxSignals.SIGBUS, LinuxSignals.SIGILL, LinuxSignals.SIGFPE,
                LinuxSignals.SIGTRAP, LinuxSignals.SIGUSR2, LinuxSignals.SIGKILL, LinuxSignals.SIGSTOP, LinuxSignals.SIGSYS,
                LinuxSignals.SIGRTMAX - 2})
            assertEquals(0, m & bit(sig), LinuxSignals.name(sig));
    }

    private static long bit(int sig) { return 1L << (sig - 1); }
}
