package dev.zjvm.loader.boot;

import dev.zjvm.loader.cli.BootConfig;
import dev.zjvm.loader.cli.BootException;
import dev.zjvm.loader.elf.ElfFormatException;
import dev.zjvm.loader.zbi.PlatformItems;
import dev.zjvm.object.boot.BootItems;
import dev.zjvm.object.boot.Display;
import dev.zjvm.object.boot.KernelOptions;
import dev.zjvm.object.debuglog.DebugLog;
import dev.zjvm.object.debuglog.SerialInput;
import dev.zjvm.object.debuglog.SerialConsole;
import dev.zjvm.object.dev.PowerControl;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.signal.ObjectWait;
import dev.zjvm.object.signal.Signals;
import dev.zjvm.object.task.BlockingContext;
import dev.zjvm.object.task.Job;
import dev.zjvm.object.task.Process;
import dev.zjvm.object.task.ThreadLauncher;
import dev.zjvm.syscall.dispatch.Dispatcher;
import dev.zjvm.syscall.exec.NativeThreadLauncher;
import dev.zjvm.syscall.exec.SyscallTraceLog;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A booted Zircon system: a {@link NativeKernel} running userboot from a validated
 * {@link BootConfig}. The embedding entry point: boot, read the console, wait for the end.
 *
 * <p>The run ends when a guest asks for shutdown or reboot ({@code zx_system_powerctl}) or when no
 * process is left alive. The exit status is then the return code of the program userboot ran
 * (the first process created after userboot) when {@code userboot.shutdown} was given, else 0.
 */
public final class ZirconSystem implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ZirconSystem.class);
    /**
     * Boot options before the command line is applied: the 2020 defaults except serial output,
     * which a real product turns on in its own command line and without which a program that has
     * no debuglog handle could not print ({@code kernel.enable-serial-syscalls=false} turns it off).
     */
    static final KernelOptions LOADER_DEFAULTS = new KernelOptions(false, KernelOptions.SerialSyscalls.OUTPUT_ONLY);

    private final NativeKernel nk;
    private final UserbootLauncher.Started userboot;
    private final BootConfig config;
    /** The program userboot ran: the first process created after userboot. */
    private final AtomicReference<Process> program;

    private ZirconSystem(NativeKernel nk, UserbootLauncher.Started userboot, BootConfig config, AtomicReference<Process> program) {
        this.nk = nk;
        this.userboot = userboot;
        this.config = config;
        this.program = program;
    }

    /**
     * Boots {@code config}; guest console lines (debuglog records and serial writes) go to
     * {@code console} as they arrive.
     *
     * @throws BootException with a one-line message if the kernel cannot start
     */
    public static ZirconSystem boot(BootConfig config, Consumer<String> console) throws BootException {
        return boot(config, console, NativeKernel.warmUp());
    }

    /** As {@link #boot(BootConfig, Consumer)}, with start-up work begun earlier by {@link NativeKernel#warmUp()}. */
    public static ZirconSystem boot(BootConfig config, Consumer<String> console, NativeKernel.Warmup warmup)
            throws BootException {
        long seed = config.aslrSeed().orElse(System.nanoTime());
        // The syscall table (parsed from syscalls.def) and the native set-up are independent and each
        // a good share of start-up: build them side by side.
        CompletableFuture<Dispatcher> table = CompletableFuture.supplyAsync(Dispatcher::standard);
        NativeKernel nk;
        try {
            nk = NativeKernel.create(seed, warmup);
        } catch (RuntimeException e) {
            table.cancel(false);
            throw new BootException("cannot start the kernel: " + e.getMessage(), e);
        }
        try {
            KernelOptions.install(nk.kernel(), options(config.cmdline()));
            BootItems.install(nk.kernel(), PlatformItems.read(config.zbi(), physicalMemory()));
            DebugLog.buffer(nk.kernel()).addListener(r -> console.accept(r.text()));
            SerialConsole.of(nk.kernel()).addListener(new LineSplitter(console));
            Dispatcher dispatcher = join(table);
            if (config.trace()) dispatcher.setTracer(SyscallTraceLog.standard());
            nk.kernel().installService(ThreadLauncher.class, new NativeThreadLauncher(nk.cpu(), dispatcher));

            VdsoImage vdso = VdsoImage.prepare(config.vdso(), config.vdsoLayout(), nk.cpu().syscallEntryAddress(),
                    VdsoConstants.forHost(nk.clock(), physicalMemory(), "zjvm-" + version()));
            AtomicReference<Process> program = new AtomicReference<>();
            AtomicReference<Process> first = new AtomicReference<>();
            nk.onProcessCreated(p -> {
                if (!first.compareAndSet(null, p)) program.compareAndSet(null, p);
            });
            UserbootLauncher.Started started = UserbootLauncher.start(nk.kernel(), nk.rootJob(), config.userboot(), vdso,
                    config.zbi().toByteArray(), config.cmdline().toBootstrapBytes());
            return new ZirconSystem(nk, started, config, program);
        } catch (ElfFormatException e) {
            nk.close();
            throw new BootException(e.getMessage(), e);
        } catch (RuntimeException e) {
            nk.close();
            throw new BootException("boot failed: " + e, e);
        }
    }

    /** The kernel's boot options: {@link #LOADER_DEFAULTS}, then the ZBI's CMDLINE items and the user's words. */
    static KernelOptions options(dev.zjvm.loader.zbi.KernelCommandLine cmdline) {
        return LOADER_DEFAULTS.with(cmdline.words());
    }

    private static Dispatcher join(CompletableFuture<Dispatcher> table) {
        try {
            return table.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
    }

    public NativeKernel kernel() {
        return nk;
    }

    /** The kernel's boot options (from {@link #LOADER_DEFAULTS} and the command line). */
    public KernelOptions options() {
        return KernelOptions.of(nk.kernel());
    }

    /** Where an embedder pushes serial console input ({@code zx_debug_read} reads it). */
    public SerialInput serialInput() {
        return SerialConsole.of(nk.kernel()).input();
    }

    /**
     * Feeds {@code in} (e.g. the loader's standard input) into the serial console on a daemon
     * thread, if {@code kernel.enable-serial-syscalls=true} lets guests read it; else does nothing.
     *
     * @return whether feeding started
     */
    public boolean feedSerialInput(java.io.InputStream in) {
        if (!options().serialSyscalls().allowsInput()) return false;
        SerialFeeder.start(in, serialInput());
        return true;
    }

    public Process userbootProcess() {
        return userboot.process();
    }

    /** Blocks until the system ends (see the class comment) and returns the exit status. */
    public int awaitExit() throws InterruptedException {
        PowerControl power = PowerControl.of(nk.kernel());
        while (!power.isRequested()) {
            List<Process> live = liveProcesses(nk.rootJob());
            if (live.isEmpty()) break;
            // Wake on the first of: that process ending, or a power request (checked each round).
            awaitDeath(live.get(0), 50_000_000L);
        }
        if (!config.userbootOptions().shutdown()) return 0;
        Process ran = program.get();
        if (ran == null) return 0;
        // The program may still be writing its last lines while userboot powers off: let it end.
        if (!ran.isDead()) awaitDeath(ran, 2_000_000_000L);
        return exitStatus(ran.returnCode());
    }

    /** Shell exit status of a Zircon return code: its low 8 bits, as a POSIX exit(). */
    static int exitStatus(long returnCode) {
        return (int) (returnCode & 0xff);
    }

    /** Waits up to {@code nanos} for {@code p} to terminate. */
    private void awaitDeath(Process p, long nanos) {
        Handle h = Handle.create(p, dev.zjvm.object.Rights.WAIT);
        try {
            ObjectWait.waitOne(h, Signals.TASK_TERMINATED, nk.clock().nowNanos() + nanos, BlockingContext.NONE);
        } finally {
            h.destroy();
        }
    }

    private static List<Process> liveProcesses(Job job) {
        List<Process> out = new ArrayList<>();
        for (Process p : job.processes()) if (!p.isDead()) out.add(p);
        for (Job child : job.childJobs()) out.addAll(liveProcesses(child));
        return out;
    }

    private static long physicalMemory() {
        return dev.zjvm.hal.host.HostRam.read().totalBytes();
    }

    private static String version() {
        String v = ZirconSystem.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Command-line word naming a PNG file the guest display's framebuffer is saved to at the end. */
    public static final String FRAMEBUFFER_PNG = "zjvm.framebuffer-png";

    /**
     * Saves the display framebuffer (if {@link #FRAMEBUFFER_PNG} names a file and a driver
     * registered one), kills every task and releases the kernel.
     */
    @Override
    public void close() {
        try {
            config.cmdline().get(FRAMEBUFFER_PNG).filter(p -> !p.isEmpty()).ifPresent(this::saveFramebuffer);
        } finally {
            nk.close();
        }
    }

    private void saveFramebuffer(String file) {
        var fb = Display.of(nk.kernel()).framebuffer();
        if (fb.isEmpty()) {
            LOG.info("{}: no framebuffer was registered, nothing saved", FRAMEBUFFER_PNG);
            return;
        }
        try {
            FramebufferPng.write(fb.get(), java.nio.file.Path.of(file));
            LOG.info("framebuffer saved to {}", file);
        } catch (java.io.IOException | IllegalArgumentException | dev.zjvm.object.ZxException e) {
            LOG.warn("cannot save the framebuffer to {}: {}", file, e.getMessage());
        }
    }

    /** Serial output arrives in arbitrary chunks; the console gets whole lines. */
    private static final class LineSplitter implements Consumer<byte[]> {
        private final Consumer<String> console;
        private final StringBuilder pending = new StringBuilder();

        LineSplitter(Consumer<String> console) {
            this.console = console;
        }

        @Override
        public synchronized void accept(byte[] data) {
            pending.append(new String(data, StandardCharsets.UTF_8));
            int nl;
            while ((nl = pending.indexOf("\n")) >= 0) {
                console.accept(pending.substring(0, nl));
                pending.delete(0, nl + 1);
            }
        }
    }
}
