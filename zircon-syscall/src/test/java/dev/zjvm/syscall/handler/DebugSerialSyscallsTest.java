package dev.zjvm.syscall.handler;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.boot.KernelOptions;
import dev.zjvm.object.boot.KernelOptions.SerialSyscalls;
import dev.zjvm.object.debuglog.DebugLog;
import dev.zjvm.object.debuglog.LogRecord;
import dev.zjvm.object.debuglog.SerialConsole;
import dev.zjvm.object.dev.Resource;
import dev.zjvm.object.dev.ResourceKind;
import dev.zjvm.object.task.Process;
import dev.zjvm.object.task.ThreadState;
import dev.zjvm.syscall.testing.ErrorChecks;
import dev.zjvm.syscall.testing.SyscallHarness;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** debug_write / debug_read / debug_send_command under the kernel's boot options. */
class DebugSerialSyscallsTest {
    private static final int NS = ZxStatus.ERR_NOT_SUPPORTED;

    private static int root(SyscallHarness h) {
        return h.install(Resource.root(h.kernel));
    }

    private static int mmio(SyscallHarness h) {
        return h.install(Resource.root(h.kernel).createChild(ResourceKind.MMIO.value(), 0, 4096, "mmio"));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void serialDisabledByDefault() {
        SyscallHarness h = new SyscallHarness(); // 2020 defaults
        long buf = h.string("hi");
        assertEquals(NS, h.status("debug_write", buf, 2));
        assertEquals(NS, h.status("debug_read", root(h), h.alloc(8), 8, h.alloc(8)));
        assertEquals(NS, h.status("debug_read", 0, 0, 8, 0), "before the resource check");
        assertEquals(NS, h.status("debug_send_command", root(h), h.string("help"), 4));
    }

    @Test
    void outputOnlyWritesButDoesNotRead() {
        SyscallHarness h = new SyscallHarness(new KernelOptions(false, SerialSyscalls.OUTPUT_ONLY));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SerialConsole.of(h.kernel).addListener(out::writeBytes);
        byte[] big = new byte[300];
        java.util.Arrays.fill(big, (byte) 'a');
        long buf = h.alloc(big.length);
        h.memory.writeBytes(buf, big);
        assertEquals(ZxStatus.OK, h.status("debug_write", buf, big.length));
        assertEquals(DebugLogSyscalls.DEBUG_WRITE_MAX, out.size(), "capped at 256 bytes");
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("debug_write", SyscallHarness.UNMAPPED, 4));
        assertEquals(NS, h.status("debug_read", root(h), h.alloc(8), 8, h.alloc(8)));
    }

    @Test
    void readReturnsBufferedInputAndMapsCarriageReturn() {
        SyscallHarness h = new SyscallHarness(new KernelOptions(false, SerialSyscalls.ENABLED));
        SerialConsole.of(h.kernel).input().offer(ascii("ls\r-l\n"));
        long buf = h.alloc(16);
        long actual = h.alloc(8);
        assertEquals(ZxStatus.OK, h.status("debug_read", root(h), buf, 4, actual));
        assertEquals(4, h.u64(actual));
        assertEquals("ls\n-", new String(h.memory.readBytes(buf, 4), StandardCharsets.US_ASCII));
        assertEquals(ZxStatus.OK, h.status("debug_read", root(h), buf, 16, actual));
        assertEquals(2, h.u64(actual), "what is buffered, without waiting for more");
        assertEquals(ZxStatus.OK, h.status("debug_read", root(h), buf, 0, actual), "size 0 does not wait");
        assertEquals(0, h.u64(actual));
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status("debug_read", mmio(h), buf, 4, actual));
    }

    @Test
    void readErrorChecks() {
        SyscallHarness h = new SyscallHarness(new KernelOptions(false, SerialSyscalls.ENABLED));
        SerialConsole.of(h.kernel).input().offer(new byte[2000]); // every checked call finds input
        ErrorChecks.of(h, "debug_read").args(0, 0, 4, 0).handle(0, () -> root(h), 0).out(1).out(3).run();
    }

    @Test
    void readBlocksUntilInputAndAKillEndsIt() throws Exception {
        SyscallHarness h = new SyscallHarness(new KernelOptions(false, SerialSyscalls.ENABLED));
        int res = root(h);
        long buf = h.alloc(16);
        long actual = h.alloc(8);
        CompletableFuture<Integer> reader = h.runAsGuest("reader", c -> (int) h.callAs(c, "debug_read", res, buf, 16, actual));
        dev.zjvm.object.task.Thread t = h.process.threads().stream().filter(x -> x.name().equals("reader")).findFirst().orElseThrow();
        SyscallHarness.awaitThreadState(t, ThreadState.BLOCKED);
        SerialConsole.of(h.kernel).input().offer(ascii("y"));
        assertEquals(ZxStatus.OK, reader.get(30, TimeUnit.SECONDS));
        assertEquals(1, h.u64(actual));

        CompletableFuture<Integer> stuck = h.runAsGuest("stuck", c -> (int) h.callAs(c, "debug_read", res, buf, 16, actual));
        dev.zjvm.object.task.Thread s = h.process.threads().stream().filter(x -> x.name().equals("stuck")).findFirst().orElseThrow();
        SyscallHarness.awaitThreadState(s, ThreadState.BLOCKED);
        s.kill();
        assertEquals(ZxStatus.ERR_INTERNAL_INTR_KILLED, stuck.get(30, TimeUnit.SECONDS));
    }

    @Test
    void aSuspendedReadWaitsAgainAfterTheResume() throws Exception {
        SyscallHarness h = new SyscallHarness(new KernelOptions(false, SerialSyscalls.ENABLED));
        int res = root(h);
        long buf = h.alloc(16);
        long actual = h.alloc(8);
        CompletableFuture<Integer> reader = h.runAsGuest("reader", c -> (int) h.callAs(c, "debug_read", res, buf, 16, actual));
        dev.zjvm.object.task.Thread t = h.process.threads().stream().filter(x -> x.name().equals("reader")).findFirst().orElseThrow();
        SyscallHarness.awaitThreadState(t, ThreadState.BLOCKED);
        long tokenOut = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("task_suspend_token", h.install(t), tokenOut));
        SyscallHarness.awaitThreadState(t, ThreadState.SUSPENDED);
        assertFalse(reader.isDone(), "a suspension does not end the read");
        assertEquals(ZxStatus.OK, h.status("handle_close", h.u32(tokenOut)));
        SyscallHarness.awaitThreadState(t, ThreadState.BLOCKED);
        SerialConsole.of(h.kernel).input().offer(ascii("z"));
        assertEquals(ZxStatus.OK, reader.get(30, TimeUnit.SECONDS));
        assertEquals(1, h.u64(actual));
        assertEquals('z', h.memory.readBytes(buf, 1)[0]);
    }

    @Test
    void sendCommandRunsTheKernelConsole() {
        SyscallHarness h = new SyscallHarness(new KernelOptions(true, SerialSyscalls.DISABLED));
        List<String> log = new ArrayList<>();
        DebugLog.buffer(h.kernel).addListener((LogRecord r) -> log.add(r.text()));
        assertEquals(ZxStatus.OK, h.status("debug_send_command", root(h), h.string("zx ps"), 5));
        assertTrue(log.stream().anyMatch(l -> l.contains(Long.toString(h.process.koid())) && l.contains("harness")), log.toString());
        assertEquals(ZxStatus.ERR_NOT_FOUND, h.status("debug_send_command", root(h), h.string("nosuch"), 6));

        Process victim = h.job.createProcess("victim");
        String kill = "zx kill " + victim.koid();
        assertEquals(ZxStatus.OK, h.status("debug_send_command", root(h), h.string(kill), kill.length()));
        assertTrue(victim.isDead());

        long big = h.alloc(257);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("debug_send_command", root(h), big, 257), "at most 256 bytes");
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("debug_send_command", root(h), big, -1L));
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status("debug_send_command", mmio(h), h.string("help"), 4));
        ErrorChecks.of(h, "debug_send_command").args(0, h.string("help"), 4).handle(0, () -> root(h), 0).in(1).run();
    }
}
