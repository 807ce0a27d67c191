package dev.zjvm.hal.bench;

import dev.zjvm.hal.cpu.Asm;
import dev.zjvm.hal.cpu.FsGsMode;
import dev.zjvm.hal.cpu.GuestCpu;
import dev.zjvm.hal.cpu.RunResult;
import dev.zjvm.hal.cpu.SyscallExit;
import dev.zjvm.hal.cpu.UserContext;
import dev.zjvm.hal.host.CpuFeatures;
import dev.zjvm.hal.host.HostMemory;
import dev.zjvm.hal.host.Libc;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Round-trip cost of a null guest syscall (guest -> trampoline -> Java -> guest) through the public
 * API ({@link UserContext#run()}), with FSGSBASE and with the arch_prctl fallback, against a raw Linux
 * getppid: from a Java loop through a libc downcall, and from a native loop. All rows are measured in
 * the same JVM, interleaved round-robin, so that drift on a noisy host hits them alike. Prints ns per
 * operation, min (intrinsic cost) and median (typical) over the repetitions.
 *
 * <p>Usage: {@code SyscallBench [reps] [n]} (defaults 21 rounds, 1,000,000 null syscalls per round; the
 * slower rows use n/5). Each round measures every row once, so rows of one round share the host's
 * momentary load; besides min and median per row it prints the median of the per-round ratios, the
 * figure least disturbed by drift. Run it through {@code scripts/bench-hal.sh syscall}.
 */
@SuppressWarnings("restricted")   // downcalls to code the HAL generated or to libc are its job
public final class SyscallBench {
    private static final int SYS_GETPPID = 110;

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 21;
        long n = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000L;
        System.out.printf("SyscallBench: %d reps, n = %,d (slow rows n/5), JDK %s, %s, FSGSBASE %s%n",
                reps, n, Runtime.version(), cpuModel(), CpuFeatures.fsgsbase() ? "available" : "absent");

        Map<String, LongUnaryOperator> rows = new LinkedHashMap<>();   // name -> (count -> elapsed ns)
        Map<String, Long> counts = new LinkedHashMap<>();
        if (FsGsMode.FSGSBASE.supported()) {
            BenchGuest fsgs = new BenchGuest(GuestCpu.create(FsGsMode.FSGSBASE));
            rows.put("null syscall, FSGSBASE", c -> nullSyscalls(fsgs, c));
            counts.put("null syscall, FSGSBASE", n);
            // A guest with its own gs base (ZX_PROP_REGISTER_GS) takes the out-of-line path both ways.
            BenchGuest withGs = new BenchGuest(GuestCpu.create(FsGsMode.FSGSBASE));
            withGs.context.setGsBase(dev.zjvm.hal.host.HostMemory.map(4096, Libc.PROT_READ | Libc.PROT_WRITE));
            rows.put("null syscall, FSGSBASE, guest gs base", c -> nullSyscalls(withGs, c));
            counts.put("null syscall, FSGSBASE, guest gs base", n / 5);
        }
        BenchGuest fallback = new BenchGuest(GuestCpu.create(FsGsMode.ARCH_PRCTL));
        rows.put("null syscall, arch_prctl fallback", c -> nullSyscalls(fallback, c));
        counts.put("null syscall, arch_prctl fallback", n / 5);
        rows.put("getppid, downcall from Java", SyscallBench::getppidDowncalls);
        counts.put("getppid, downcall from Java", n / 5);
        MethodHandle nativeLoop = rawGetppidLoop();
        rows.put("getppid, raw syscall in a native loop", c -> nativeGetppid(nativeLoop, c));
        counts.put("getppid, raw syscall in a native loop", n / 5);

        // warm-up (JIT, first binds), not recorded
        rows.forEach((name, op) -> op.applyAsLong(Math.min(counts.get(name), 200_000)));
        Map<String, List<Double>> results = new LinkedHashMap<>();
        for (int r = 0; r < reps; r++) {
            for (var e : rows.entrySet()) {
                long c = counts.get(e.getKey());
                double ns = (double) e.getValue().applyAsLong(c) / c;
                results.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(ns);
            }
        }
        System.out.printf("%-42s %9s %9s   %s%n", "ns per operation", "min", "median", "all reps");
        Map<String, double[]> summary = new LinkedHashMap<>();
        results.forEach((name, list) -> {
            double[] v = list.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double min = v[0], median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
            summary.put(name, new double[] {min, median});
            System.out.printf("%-42s %9.1f %9.1f   %s%n", name, min, median,
                    Arrays.toString(list.stream().mapToLong(Math::round).toArray()));
        });
        System.out.println("ratios (min/min, median/median, median of per-round ratios):");
        for (String name : summary.keySet()) {
            if (!name.startsWith("null syscall")) continue;
            for (String base : List.of("getppid, downcall from Java", "getppid, raw syscall in a native loop")) {
                double[] s = summary.get(name), b = summary.get(base);
                List<Double> mine = results.get(name), theirs = results.get(base);
                double[] perRound = new double[mine.size()];
                for (int i = 0; i < perRound.length; i++) perRound[i] = mine.get(i) / theirs.get(i);
                Arrays.sort(perRound);
                System.out.printf("  %-36s / %-38s %.2f  %.2f  %.2f%n", name, base, s[0] / b[0], s[1] / b[1],
                        perRound[perRound.length / 2]);
            }
        }
    }

    /** n null syscalls through UserContext.run(): what the kernel's run loop pays per syscall. */
    private static long nullSyscalls(BenchGuest g, long n) {
        UserContext ctx = g.context;
        g.start(n);
        long t0 = System.nanoTime();
        for (;;) {
            RunResult r = ctx.run();
            if (!(r instanceof SyscallExit call)) throw new IllegalStateException("benchmark guest trapped: " + r);
            if (call.number() == BenchGuest.SYS_EXIT) break;
            ctx.setSyscallResult(0);
        }
        return System.nanoTime() - t0;
    }

    private static long getppidDowncalls(long n) {
        long t0 = System.nanoTime();
        int sink = 0;
        for (long i = 0; i < n; i++) sink += Libc.getppid();
        long t = System.nanoTime() - t0;
        if (sink == 42) System.out.print("");     // keep the calls alive
        return t;
    }

    private static long nativeGetppid(MethodHandle loop, long n) {
        long t0 = System.nanoTime();
        try {
            loop.invokeExact(n);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
        return System.nanoTime() - t0;
    }

    /** void loop(n): n raw getppid system calls. */
    private static MethodHandle rawGetppidLoop() {
        Asm a = new Asm();
        a.movRR(Asm.R8, Asm.RDI);                  // counter (syscall clobbers only rax, rcx, r11)
        a.label("top");
        a.movImm32(Asm.RAX, SYS_GETPPID);
        a.syscall();
        a.dec(Asm.R8);
        a.jcc(Asm.CC_NE, "top");
        a.ret();
        long code = HostMemory.installCode(a.finish());
        return Libc.LINKER.downcallHandle(MemorySegment.ofAddress(code), FunctionDescriptor.ofVoid(JAVA_LONG));
    }

    private static String cpuModel() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo")))
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
        } catch (java.io.IOException | RuntimeException ignored) {
            // unknown CPU
        }
        return "unknown CPU";
    }
}
