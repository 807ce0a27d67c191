package dev.zjvm.syscall.handler;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.boot.KernelOptions;
import dev.zjvm.object.dev.KtraceBuffer;
import dev.zjvm.object.dev.Resource;
import dev.zjvm.object.dev.ResourceKind;
import dev.zjvm.syscall.testing.ErrorChecks;
import dev.zjvm.syscall.testing.SyscallHarness;
import org.junit.jupiter.api.Test;

class KtraceSyscallsTest {
    private static final KernelOptions DEBUGGING = new KernelOptions(true, KernelOptions.SerialSyscalls.DISABLED);
    private final SyscallHarness h = new SyscallHarness(DEBUGGING);

    private int root() {
        return h.install(Resource.root(h.kernel));
    }

    private long size(SyscallHarness k, int root) {
        long actual = k.alloc(8);
        assertEquals(ZxStatus.OK, k.status("ktrace_read", root, 0, 0, 0, actual));
        return k.u64(actual);
    }

    /** Metadata, then one TAG_SYSCALL_NAME record per numbered syscall. */
    private static final long BASE = 64 + KtraceSyscalls.SYSCALL_NAMES.stream().filter(java.util.Objects::nonNull)
            .mapToLong(n -> (12 + Math.min(n.length(), 31) + 1 + 7) & ~7).sum();

    @Test
    void syscallNamesFollowTheMetadata() {
        int root = root();
        assertEquals(BASE, size(h, root));
        long buf = h.alloc(256);
        long actual = h.alloc(8);
        assertEquals(ZxStatus.OK, h.status("ktrace_read", root, buf, 64, 256, actual));
        long off = expectName(buf, 0, KtraceBuffer.EVENT_SYSCALL_NAME, 0, 0, KtraceSyscalls.SYSCALL_NAMES.get(0));
        expectName(buf, off, KtraceBuffer.EVENT_SYSCALL_NAME, 1, 0, KtraceSyscalls.SYSCALL_NAMES.get(1));
        assertEquals("clock_get", KtraceSyscalls.SYSCALL_NAMES.get(SyscallHarness.number("clock_get")));
        assertTrue(BASE > 64 + 160 * 16, "every syscall is named");
    }

    @Test
    void allTraceCallsNeedDebuggingSyscalls() {
        SyscallHarness off = new SyscallHarness(); // 2020 default
        int root = off.install(Resource.root(off.kernel));
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, off.status("ktrace_read", root, 0, 0, 0, off.alloc(8)));
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, off.status("ktrace_control", root, KtraceBuffer.ACTION_START, 0, 0));
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, off.status("ktrace_control", 0x7777, 99, 0, 0), "before any other check");
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, off.status("mtrace_control", 0x7777, 0, 0, 0, 0, 0));
        // ktrace_write is not gated: with tracing never started it reports the record was not written.
        assertEquals(ZxStatus.ERR_UNAVAILABLE, off.status("ktrace_write", root, 1, 0, 0));
        assertFalse(KtraceSyscalls.buffer(off.ctx).isCapturing());
    }

    @Test
    void roundTrip() {
        int root = root();
        assertEquals(BASE, size(h, root), "two metadata records and the syscall names");
        long buf = h.alloc(256);
        long actual = h.alloc(8);
        assertEquals(ZxStatus.OK, h.status("ktrace_read", root, buf, 0, 64, actual));
        assertEquals(64, h.u64(actual));
        assertEquals(KtraceBuffer.tag(0, KtraceBuffer.GRP_META, 32), h.u32(buf));
        assertEquals(KtraceBuffer.VERSION, h.u32(buf + 16));
        assertEquals(KtraceBuffer.tag(1, KtraceBuffer.GRP_META, 32), h.u32(buf + 32));

        assertEquals(ZxStatus.ERR_UNAVAILABLE, h.status("ktrace_write", root, 5, 1, 2), "not capturing");
        assertEquals(ZxStatus.OK, h.status("ktrace_control", root, KtraceBuffer.ACTION_START, 0, 0));
        long start = size(h, root); // after the names of the live process and thread
        assertEquals(BASE + 24 + 24, start);
        long t0 = h.kernel.clock().ticks();
        assertEquals(ZxStatus.OK, h.status("ktrace_write", root, 5, 11, 22));
        long t1 = h.kernel.clock().ticks();
        assertEquals(ZxStatus.OK, h.status("ktrace_write", root, 0x7ff, -1, 0));
        assertEquals(start + 48, size(h, root));
        assertEquals(ZxStatus.OK, h.status("ktrace_read", root, buf, start, 24, actual));
        assertEquals(24, h.u64(actual));
        assertEquals(0x0408_0503, h.u32(buf), "TAG_PROBE_24(5)");
        assertEquals((int) h.thread.koid(), h.u32(buf + 4));
        assertTrue(t0 <= h.u64(buf + 8) && h.u64(buf + 8) <= t1);
        assertEquals(11, h.u32(buf + 16));
        assertEquals(22, h.u32(buf + 20));
        assertEquals(ZxStatus.OK, h.status("ktrace_read", root, buf, start + 36, 256, actual));
        assertEquals(12, h.u64(actual), "reads stop at the end of the data");
        assertEquals(ZxStatus.OK, h.status("ktrace_read", root, buf, start + 4096, 256, actual));
        assertEquals(0, h.u64(actual));

        assertEquals(ZxStatus.OK, h.status("ktrace_control", root, KtraceBuffer.ACTION_STOP, 0, 0));
        assertEquals(ZxStatus.ERR_UNAVAILABLE, h.status("ktrace_write", root, 5, 1, 2));
        assertEquals(ZxStatus.OK, h.status("ktrace_control", root, KtraceBuffer.ACTION_REWIND, 0, 0));
        assertEquals(BASE, size(h, root), "REWIND keeps the metadata and writes the syscall names again");
    }

    @Test
    void groupMaskFiltersProbes() {
        int root = root();
        assertEquals(ZxStatus.OK, h.status("ktrace_control", root, KtraceBuffer.ACTION_START, KtraceBuffer.GRP_META, 0));
        assertEquals(ZxStatus.ERR_UNAVAILABLE, h.status("ktrace_write", root, 1, 0, 0));
        assertEquals(ZxStatus.OK, h.status("ktrace_control", root, KtraceBuffer.ACTION_START, KtraceBuffer.GRP_PROBE, 0));
        assertEquals(ZxStatus.OK, h.status("ktrace_write", root, 1, 0, 0));
    }

    @Test
    void probesAndBadArguments() {
        int root = root();
        int foo = h.status("ktrace_control", root, KtraceBuffer.ACTION_NEW_PROBE, 0, h.string("foo\0"));
        int bar = h.status("ktrace_control", root, KtraceBuffer.ACTION_NEW_PROBE, 0, h.string("bar\0"));
        assertTrue(foo > 0 && bar > 0 && foo != bar);
        assertEquals(foo, h.status("ktrace_control", root, KtraceBuffer.ACTION_NEW_PROBE, 0, h.string("foo\0")));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("ktrace_control", root, 9, 0, 0));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("ktrace_write", root, 0x800, 0, 0));
        Resource mmio = Resource.root(h.kernel).createChild(ResourceKind.MMIO.value(), 0, 4096, "mmio");
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status("ktrace_write", h.install(mmio), 1, 0, 0));
    }

    /** The name records at {@code off}: tag, id, arg, name; returns the offset after them. */
    private long expectName(long buf, long off, int event, long id, long arg, String name) {
        int size = (12 + name.length() + 1 + 7) & ~7;
        assertEquals(KtraceBuffer.tag(event, KtraceBuffer.GRP_META, size), h.u32(buf + off), name);
        assertEquals((int) id, h.u32(buf + off + 4), name);
        assertEquals((int) arg, h.u32(buf + off + 8), name);
        assertEquals(name + "\0", new String(h.memory.readBytes(buf + off + 12, name.length() + 1)));
        return off + size;
    }

    @Test
    void startNamesTheLiveProcessesAndThreads() {
        int root = root();
        dev.zjvm.object.task.Process other = h.job.createProcess("a-process-with-a-name-longer-than-31");
        other.createThread("w");
        assertEquals(ZxStatus.OK, h.status("ktrace_control", root, KtraceBuffer.ACTION_START, 0, 0));
        long buf = h.alloc(512);
        long actual = h.alloc(8);
        assertEquals(ZxStatus.OK, h.status("ktrace_read", root, buf, BASE, 512, actual)); // the records after the syscall names
        long off = 0;
        off = expectName(buf, off, KtraceBuffer.EVENT_PROC_NAME, h.process.koid(), 0, "harness");
        off = expectName(buf, off, KtraceBuffer.EVENT_PROC_NAME, other.koid(), 0, "a-process-with-a-name-longer-th");
        off = expectName(buf, off, KtraceBuffer.EVENT_THREAD_NAME, h.thread.koid(), h.process.koid(), "main");
        off = expectName(buf, off, KtraceBuffer.EVENT_THREAD_NAME, other.threads().get(0).koid(), other.koid(), "w");
        assertEquals(off, h.u64(actual));
        // Without the META group the names are not written.
        h.call("ktrace_control", root, KtraceBuffer.ACTION_REWIND, 0, 0);
        h.call("ktrace_control", root, KtraceBuffer.ACTION_START, KtraceBuffer.GRP_PROBE, 0);
        assertEquals(BASE, size(h, root));
    }

    @Test
    void newProbeWritesItsNameEvenWhenNotCapturing() {
        int root = root();
        long buf = h.alloc(256);
        long actual = h.alloc(8);
        int id = h.status("ktrace_control", root, KtraceBuffer.ACTION_NEW_PROBE, 0, h.string("my.probe\0"));
        assertEquals(ZxStatus.OK, h.status("ktrace_read", root, buf, BASE, 256, actual));
        assertEquals(expectName(buf, 0, KtraceBuffer.EVENT_PROBE_NAME, id, 0, "my.probe"), h.u64(actual));
        h.status("ktrace_control", root, KtraceBuffer.ACTION_NEW_PROBE, 0, h.string("my.probe\0"));
        assertEquals(BASE + h.u64(actual), size(h, root), "a known probe is not named again");
        h.call("ktrace_control", root, KtraceBuffer.ACTION_REWIND, 0, 0);
        assertEquals(ZxStatus.OK, h.status("ktrace_read", root, buf, BASE, 256, actual));
        assertEquals(expectName(buf, 0, KtraceBuffer.EVENT_PROBE_NAME, id, 0, "my.probe"), h.u64(actual),
                "REWIND reports the syscalls and the probes again");
    }

    @Test
    void fullBufferStopsTheCapture() {
        KtraceBuffer b = new KtraceBuffer(h.kernel, 64 + 48);
        b.control(KtraceBuffer.ACTION_START, KtraceBuffer.GRP_PROBE, null); // no name records
        assertTrue(b.writeProbe(1, 0, 0, 0, 0));
        assertTrue(b.writeProbe(2, 0, 0, 0, 0));
        assertFalse(b.writeProbe(3, 0, 0, 0, 0));
        assertFalse(b.isCapturing());
        assertEquals(64 + 48, b.available());
        assertEquals(0, b.control(KtraceBuffer.ACTION_NEW_PROBE, 0, "late") - 1, "the probe exists...");
        assertEquals(64 + 48, b.available(), "...but a full buffer takes no more names until REWIND");
    }

    @Test
    void eachKernelHasItsOwnTrace() {
        SyscallHarness other = new SyscallHarness(DEBUGGING);
        int root = root();
        h.call("ktrace_control", root, KtraceBuffer.ACTION_START, 0, 0);
        h.call("ktrace_write", root, 3, 0, 0);
        assertEquals(BASE + 48 + 24, size(h, root), "metadata, syscall names, this kernel's process and thread names, one probe");
        assertEquals(BASE, size(other, other.install(Resource.root(other.kernel))));
    }

    @Test
    void errorChecks() {
        ErrorChecks.of(h, "ktrace_read").args(0, 0, 0, 64, 0).handle(0, this::root, 0).optionalOut(1).out(4).run(); // NULL data asks for the size
        ErrorChecks.of(h, "ktrace_control").args(0, KtraceBuffer.ACTION_STOP, 0, 0).handle(0, this::root, 0).run();
        ErrorChecks.of(h, "ktrace_control").args(0, KtraceBuffer.ACTION_NEW_PROBE, 0, h.string("p".repeat(40)))
                .handle(0, this::root, 0).in(3).validStatus(1).run();
        int root = root();
        h.call("ktrace_control", root, KtraceBuffer.ACTION_START, 0, 0);
        ErrorChecks.of(h, "ktrace_write").args(0, 7, 1, 2).handle(0, this::root, 0).run();
        ErrorChecks.of(h, "mtrace_control").args(0, 0, 0, 0, 0, 0).handle(0, this::root, 0)
                .validStatus(ZxStatus.ERR_NOT_SUPPORTED).run();
    }
}
