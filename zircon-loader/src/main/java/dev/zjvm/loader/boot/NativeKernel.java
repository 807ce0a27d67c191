package dev.zjvm.loader.boot;

import dev.zjvm.hal.cpu.GuestCpu;
import dev.zjvm.hal.mem.NativeMemory;
import dev.zjvm.hal.time.MonotonicClock;
import dev.zjvm.hal.time.TscClock;
import dev.zjvm.object.Kernel;
import dev.zjvm.object.task.Job;
import dev.zjvm.object.task.Process;
import dev.zjvm.object.task.ProcessAddressSpace;
import dev.zjvm.object.vm.VmAddressSpace;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;

/**
 * A kernel wired to the native HAL, able to run guest code: memfd physical memory, one guest
 * address reservation sliced per process, the TSC clock shared with the vDSO, and the CPU
 * (trampoline and signal shim). This is what the loader boots and what embedders create.
 */
public final class NativeKernel implements AutoCloseable {
    /** Guest address range of each process (its root VMAR). */
    public static final long PROCESS_SPACE = VmAddressSpace.DEFAULT_SIZE;
    /** Room for this many live processes at once. */
    public static final int MAX_PROCESSES = 128;

    private final NativeMemory memory;
    private final MonotonicClock clock;
    private final GuestCpu cpu;
    private final Kernel kernel;
    private final Job rootJob;
    private final List<Consumer<Process>> processListeners = new CopyOnWriteArrayList<>();

    private NativeKernel(NativeMemory memory, MonotonicClock clock, GuestCpu cpu, long seed) {
        this.memory = memory;
        this.clock = clock;
        this.cpu = cpu;
        this.kernel = new Kernel(memory.physicalMemory(), clock, memory::newAddressSpace, seed);
        kernel.installService(ProcessAddressSpace.Factory.class, process -> {
            // Every process gets its address space here, which makes this the place to see them born.
            for (Consumer<Process> l : processListeners) l.accept(process);
            return VmAddressSpace.create(kernel, PROCESS_SPACE);
        });
        this.rootJob = Job.createRoot(kernel);
        rootJob.setName("root");
    }

    /** HAL classes whose static initialisers build native call stubs (the slow part of a cold start). */
    private static final String[] NATIVE_CLASSES = {
        "dev.zjvm.hal.host.Libc", "dev.zjvm.hal.host.HostSyscall", "dev.zjvm.hal.mem.MemNative",
        "dev.zjvm.hal.cpu.HostThreadState", "dev.zjvm.hal.cpu.Trampoline", "dev.zjvm.hal.time.TscClock"};

    /**
     * Start-up work that needs no configuration: calibrating the TSC (mostly a 50 ms sleep) and
     * initialising the HAL's native call stubs, each on its own background thread. A caller that
     * will create a kernel soon (the CLI, while it parses arguments and images) starts it first and
     * hands it to {@link #create(long, Warmup)}, which then finds both done. Nothing is reserved
     * and no guest-visible state is created.
     */
    public static final class Warmup {
        private final FutureTask<TscClock> calibration = new FutureTask<>(TscClock::calibrate);

        private Warmup() {
            Thread.ofPlatform().name("tsc-calibration").daemon().start(calibration);
            Thread.ofPlatform().name("hal-preload").daemon().start(() -> {
                ClassLoader loader = NativeKernel.class.getClassLoader();
                for (String name : NATIVE_CLASSES) {
                    try {
                        Class.forName(name, true, loader);
                    } catch (ClassNotFoundException | LinkageError e) {
                        return; // the kernel's own start-up will report the real problem
                    }
                }
            });
        }
    }

    /** Starts the configuration-independent start-up work in the background (see {@link Warmup}). */
    public static Warmup warmUp() {
        return new Warmup();
    }

    /**
     * @param seed seed of the kernel's random choices (ASLR); a fixed seed reproduces a run
     * @throws dev.zjvm.hal.mem.MemoryLimitException if the host refuses the memory or the range
     */
    public static NativeKernel create(long seed) {
        return create(seed, warmUp());
    }

    /** As {@link #create(long)}, using (and waiting for) work started earlier by {@link #warmUp()}. */
    public static NativeKernel create(long seed, Warmup warmup) {
        NativeMemory memory = NativeMemory.create(PROCESS_SPACE * MAX_PROCESSES);
        try {
            TscClock clock = calibrated(warmup.calibration);
            return new NativeKernel(memory, clock, GuestCpu.create(), seed);
        } catch (RuntimeException | Error e) {
            memory.close();
            throw e;
        }
    }

    /** The calibration's result, or the exception it threw, as if it had run on this thread. */
    private static TscClock calibrated(FutureTask<TscClock> calibration) {
        try {
            return calibration.get();
        } catch (InterruptedException e) {
            calibration.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calibrating the TSC", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException("TSC calibration failed", e.getCause());
        }
    }

    /** Calls {@code listener} with every process created from now on (on the creating thread). */
    public void onProcessCreated(Consumer<Process> listener) {
        processListeners.add(listener);
    }

    public Kernel kernel() {
        return kernel;
    }

    public Job rootJob() {
        return rootJob;
    }

    public GuestCpu cpu() {
        return cpu;
    }

    public MonotonicClock clock() {
        return clock;
    }

    public NativeMemory memory() {
        return memory;
    }

    /** Kills every task, stops the kernel's services and releases native memory. */
    @Override
    public void close() {
        try {
            rootJob.kill();
            kernel.close();
        } finally {
            memory.close();
        }
    }
}
