package dev.zjvm.syscall.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.boot.BootItems;
import dev.zjvm.object.boot.KernelOptions;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.ipc.Event;
import dev.zjvm.object.task.Job;
import dev.zjvm.object.task.Process;
import dev.zjvm.object.task.Thread;
import dev.zjvm.syscall.dispatch.Dispatcher;
import dev.zjvm.syscall.abi.SyscallTable;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallNumbering;
import dev.zjvm.syscall.dispatch.SyscallRegistry;
import dev.zjvm.syscall.user.HeapUserMemory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A kernel with one running guest process whose syscalls a test makes exactly as a guest would:
 * by number, with raw 64-bit arguments, and pointers into user memory the test reads and writes.
 *
 * <p>Layout of user memory: {@link #MEM_SIZE} writable bytes at {@link #MEM_BASE} (hand them out
 * with {@link #alloc}), a read-only page at {@link #READ_ONLY}, nothing at {@link #UNMAPPED}.
 * The JUnit thread is the process's first guest thread; {@link #runAsGuest} runs code on further
 * guest threads of the same process.
 */
public final class SyscallHarness {
    public static final long MEM_BASE = 0x1000_0000L;
    public static final int MEM_SIZE = 1 << 20;
    public static final long READ_ONLY = 0x0f00_0000L;
    public static final long UNMAPPED = 0x2000_0000L;

    private static final SyscallTable TABLE = SyscallTable.standard(); // immutable, shared by tests
    private static final SyscallNumbering NUMBERING = SyscallNumbering.of(TABLE);

    public final Kernel kernel;
    public final Job rootJob;
    /** The job the process lives in (a child of the root job). */
    public final Job job;
    public final Process process;
    public final Thread thread;
    public final HeapUserMemory memory = new HeapUserMemory();
    public final SyscallContext ctx;
    public final Dispatcher dispatcher;
    private long next = MEM_BASE;

    public SyscallHarness() {
        this(SyscallRegistry.standard());
    }

    /**
     * A harness whose kernel booted with {@code options} and {@code bootItems} (as the loader
     * installs them from the command line and the ZBI).
     */
    public SyscallHarness(KernelOptions options, BootItems bootItems) {
        this(SyscallRegistry.standard(), options, bootItems);
    }

    /** A harness whose kernel booted with {@code options} and no platform boot items. */
    public SyscallHarness(KernelOptions options) {
        this(options, BootItems.NONE);
    }

    /**
     * A harness with the given syscalls. Its kernel has the 2020 default options and no boot items
     * unless a test installs them ({@link KernelOptions#install}) before the first call reads them.
     */
    public SyscallHarness(SyscallRegistry registry) {
        this(Kernel.forTesting(42), registry, null, null);
    }

    /** A harness over a kernel the test built (e.g. with memfd physical memory). */
    public SyscallHarness(Kernel kernel, SyscallRegistry registry) {
        this(kernel, registry, null, null);
    }

    private SyscallHarness(SyscallRegistry registry, KernelOptions options, BootItems bootItems) {
        this(Kernel.forTesting(42), registry, options, bootItems);
    }

    private SyscallHarness(Kernel kernel, SyscallRegistry registry, KernelOptions options, BootItems bootItems) {
        this.kernel = kernel;
        if (options != null) KernelOptions.install(kernel, options);
        if (bootItems != null) BootItems.install(kernel, bootItems);
        rootJob = Job.createRoot(kernel);
        job = rootJob.createChild();
        Handle.createDefault(job); // the harness's own reference; never closed
        process = job.createProcess("harness");
        Handle.createDefault(process);
        thread = process.createThread("main");
        process.start(thread, 0, 0, null, 0);
        assertTrue(thread.bindCurrent());
        memory.map(MEM_BASE, MEM_SIZE, true);
        memory.map(READ_ONLY, 4096, false);
        ctx = new SyscallContext(process, thread, memory);
        dispatcher = new Dispatcher(NUMBERING, registry);
    }

    public static SyscallNumbering numbering() {
        return NUMBERING;
    }

    /** Syscall number of {@code name} (without zx_). */
    public static int number(String name) {
        return TABLE.byName(name).orElseThrow(() -> new IllegalArgumentException("no such syscall: " + name))
                .number().orElseThrow(() -> new IllegalArgumentException("vDSO-only: " + name));
    }

    /** Calls a syscall by name on the main guest thread. Unused trailing arguments are 0. */
    public long call(String name, long... args) {
        return callAs(ctx, name, args);
    }

    /** Calls a syscall as {@code caller} (a guest thread context from {@link #runAsGuest}). */
    public long callAs(SyscallContext caller, String name, long... args) {
        return callNumber(caller, number(name), args);
    }

    public long callNumber(SyscallContext caller, int number, long... args) {
        long[] a = java.util.Arrays.copyOf(args, 8);
        return dispatcher.dispatch(caller, number, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
    }

    /** Status (low 32 bits, signed) of a call. */
    public int status(String name, long... args) {
        return (int) call(name, args);
    }

    // ---- user memory ----

    /** Fresh zeroed user memory, 16-byte aligned. */
    public synchronized long alloc(int size) {
        long a = next;
        next += (size + 15) & ~15;
        if (next > MEM_BASE + MEM_SIZE) throw new IllegalStateException("harness memory exhausted");
        return a;
    }

    public int u32(long vaddr) {
        return memory.readU32(vaddr);
    }

    public long u64(long vaddr) {
        return memory.readU64(vaddr);
    }

    public void putU32(long vaddr, int v) {
        memory.writeU32(vaddr, v);
    }

    public void putU64(long vaddr, long v) {
        memory.writeU64(vaddr, v);
    }

    /** Copies {@code values} into fresh user memory as u32s and returns the address. */
    public long u32s(int... values) {
        long a = alloc(Math.max(4, values.length * 4));
        memory.writeU32Array(a, values, 0, values.length);
        return a;
    }

    /** Copies a string (no NUL) into fresh user memory and returns the address. */
    public long string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        long a = alloc(Math.max(1, b.length));
        memory.writeBytes(a, b);
        return a;
    }

    // ---- handles ----

    /** Installs a handle with the type's default rights; returns its value. */
    public int install(KernelObject object) {
        return process.handleTable().add(Handle.createDefault(object));
    }

    public int install(KernelObject object, int rights) {
        return process.handleTable().add(Handle.create(object, rights));
    }

    /** A new event's handle value (default rights). */
    public int newEvent() {
        return install(new Event(kernel));
    }

    /** The object behind a handle value of the harness process (any rights). */
    public <T extends KernelObject> T object(long value, Class<T> type) {
        return process.handleTable().get((int) value, type, 0);
    }

    public int rights(long value) {
        return process.handleTable().handle((int) value).rights();
    }

    public boolean isValid(long value) {
        return process.handleTable().isValid((int) value);
    }

    // ---- more guest threads ----

    /** A new started guest thread of the process; bind it on the Java thread that will use it. */
    public SyscallContext newThreadContext(String name) {
        Thread t = process.createThread(name);
        t.start(0, 0, 0, 0);
        return new SyscallContext(process, t, memory);
    }

    /** Runs {@code body} on a new daemon Java thread acting as a new guest thread of the process. */
    public <T> CompletableFuture<T> runAsGuest(String name, Function<SyscallContext, T> body) {
        SyscallContext c = newThreadContext(name);
        CompletableFuture<T> f = new CompletableFuture<>();
        java.lang.Thread jt = new java.lang.Thread(() -> {
            try {
                if (!c.thread().bindCurrent()) throw new IllegalStateException("guest thread already dead");
                f.complete(body.apply(c));
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        }, "guest-" + name);
        jt.setDaemon(true);
        jt.start();
        return f;
    }

    /** Polls (without asserting times) until {@code t} is in state {@code state}; fails after 30 s. */
    public static void awaitThreadState(Thread t, int state) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (t.state() != state) {
            if (System.nanoTime() > end) fail("thread state is " + t.state() + ", expected " + state);
            try {
                java.lang.Thread.sleep(1);
            } catch (InterruptedException e) {
                java.lang.Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    /** Absolute deadline {@code millis} from now on the kernel's clock. */
    public long deadlineIn(long millis) {
        return kernel.clock().nowNanos() + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** Koids alive now (for {@link LeakCheck}). */
    public List<Long> liveKoids() {
        return kernel.liveKoids();
    }
}
