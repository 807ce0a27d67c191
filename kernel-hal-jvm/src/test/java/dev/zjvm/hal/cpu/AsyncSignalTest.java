package dev.zjvm.hal.cpu;

import dev.zjvm.hal.host.HostMemory;
import dev.zjvm.hal.host.Libc;
import dev.zjvm.hal.signal.LinuxSignals;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;
import java.time.Duration;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * HotSpot's SIGUSR2 (suspend/resume; JFR's sampler sends it) arriving while a guest computes with its
 * own fs base: without the shim HotSpot's handler reads its TLS through the guest's fs and the JVM dies
 * silently. The shim must run the JVM's handler on the host fs and let the guest carry on.
 */
@SuppressWarnings("restricted")   // downcalls to code the HAL generated or to libc are its job
class AsyncSignalTest {
    private static final MethodHandle TGKILL = Libc.LINKER.downcallHandle(
            Libc.LINKER.defaultLookup().find("tgkill").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));

    @ParameterizedTest
    @EnumSource(FsGsMode.class)
    void sigusr2WhileAGuestComputesRunsTheJvmHandlerOnTheHostFs(FsGsMode mode) throws Throwable {
        assumeTrue(mode.supported());
        Guests g = Guests.of(mode);
        long flag = GuestMemory.page(Libc.PROT_READ | Libc.PROT_WRITE);
        int[] tid = new int[1];
        TestKernel kernel = new TestKernel();
        try (UserContext ctx = g.prepare("g_spin", flag)) {
            GuestThread t = g.cpu.start("spinning-guest", ctx, (thread, call) -> {
                if (call.number() == TestImage.SYS_NULL) tid[0] = Libc.gettid();
                return kernel.onSyscall(thread, call);
            });
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (kernel.syscalls == 0) { assertTrue(System.nanoTime() < deadline); Thread.sleep(1); }
            long before = g.cpu.signalShim().forwarded(LinuxSignals.SIGUSR2);
            int pid = Libc.getpid();
            for (int i = 0; i < 5; i++) {
                long seen = g.cpu.signalShim().forwarded(LinuxSignals.SIGUSR2);
                assertEquals(0, (int) TGKILL.invokeExact(pid, tid[0], LinuxSignals.SIGUSR2));
                long resendAt = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                while (g.cpu.signalShim().forwarded(LinuxSignals.SIGUSR2) == seen) {
                    assertTrue(System.nanoTime() < deadline, "SIGUSR2 was not forwarded");
                    // A signal that arrived while the thread was still on its way back into the guest
                    // went to the JVM directly (not a forward): send another.
                    if (System.nanoTime() > resendAt) {
                        assertEquals(0, (int) TGKILL.invokeExact(pid, tid[0], LinuxSignals.SIGUSR2));
                        resendAt = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                    }
                    Thread.sleep(1);
                }
            }
            assertTrue(g.cpu.signalShim().forwarded(LinuxSignals.SIGUSR2) >= before + 5);
            HostMemory.putLong(flag, 1);
            assertTrue(t.join(Duration.ofMinutes(1)));
            assertEquals(GuestThread.ExitReason.EXITED, t.exitReason());
            assertTrue(kernel.exitedCleanly(), kernel.describe());
        }
    }
}
