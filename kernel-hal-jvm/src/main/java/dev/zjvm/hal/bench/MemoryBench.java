package dev.zjvm.hal.bench;

import dev.zjvm.hal.mem.GuestAddressSpace;
import dev.zjvm.hal.mem.MemoryExtent;
import dev.zjvm.hal.mem.NativeAddressSpace;
import dev.zjvm.hal.mem.NativeMemory;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Cost of guest memory through the memory HAL against plain host memory, in one run, interleaved.
 *
 * <p>Per repetition: (a) allocate a VMO extent, map it read-write into a guest address space and
 * touch every page through the guest address, then unmap and free it; (b) the same with a private
 * anonymous host mmap. Also measured: kernel-side access to an extent (physmap write, pread read),
 * commit/decommit and the committed-bytes walk. Prints min and median per step.
 *
 * <p>Usage: {@code MemoryBench [memory] [--mib N] [--reps N]}.
 */
@SuppressWarnings("restricted") // native memory access is what this class is for
public final class MemoryBench {
    private static final int PAGE = 4096;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MMAP = LINKER.downcallHandle(LINKER.defaultLookup().find("mmap").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    private static final MethodHandle MUNMAP = LINKER.downcallHandle(LINKER.defaultLookup().find("munmap").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
    private static final MethodHandle MEMFD_CREATE = LINKER.downcallHandle(LINKER.defaultLookup().find("memfd_create").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle FTRUNCATE = LINKER.downcallHandle(LINKER.defaultLookup().find("ftruncate").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    /** The alternative to physmap reads that was measured and dropped: pread leaves holes alone too. */
    private static final MethodHandle PREAD = LINKER.downcallHandle(LINKER.defaultLookup().find("pread").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG), Linker.Option.critical(true));

    private final Map<String, List<Long>> samples = new LinkedHashMap<>();
    /** Keeps the touch loops from being optimized away. */
    private long sink;

    private MemoryBench() {}

    public static void main(String[] args) throws Throwable {
        long mib = 64;
        int reps = 15;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "memory" -> { }
                case "--mib" -> mib = Long.parseLong(args[++i]);
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("usage: MemoryBench [memory] [--mib N] [--reps N]");
            }
        }
        new MemoryBench().run(mib << 20, reps);
    }

    private void run(long bytes, int reps) throws Throwable {
        try (NativeMemory memory = NativeMemory.create(16L << 30)) {
            NativeAddressSpace space = memory.newAddressSpace(4L << 30);
            int warmup = 3;
            for (int r = 0; r < warmup + reps; r++) {
                boolean record = r >= warmup;
                guestMapAndTouch(memory, space, bytes, record);
                hostMapAndTouch(bytes, record);
                kernelSide(memory, bytes, record);
                preadBaseline(bytes, record);
            }
            System.out.printf(Locale.ROOT, "MemoryBench: %d MiB, %d reps (+%d warm-up), %d pages per rep, java %s%n",
                    bytes >> 20, reps, warmup, bytes / PAGE, Runtime.version());
            System.out.printf(Locale.ROOT, "%-44s %12s %12s %10s%n", "step", "min us", "median us", "ns/page");
            for (var e : samples.entrySet()) {
                long[] v = e.getValue().stream().mapToLong(Long::longValue).sorted().toArray();
                long median = v[v.length / 2];
                System.out.printf(Locale.ROOT, "%-44s %12.1f %12.1f %10.1f%n", e.getKey(), v[0] / 1e3, median / 1e3,
                        (double) median / (bytes / PAGE));
            }
            System.out.println("host limits: " + memory.hostLimits() + " (sink " + (sink & 1) + ")");
        }
    }

    private void record(boolean record, String step, long nanos) {
        if (record) samples.computeIfAbsent(step, k -> new ArrayList<>()).add(nanos);
    }

    private long touch(long address, long bytes) {
        MemorySegment s = MemorySegment.ofAddress(address).reinterpret(bytes);
        long x = 0;
        for (long off = 0; off < bytes; off += PAGE) {
            s.set(ValueLayout.JAVA_LONG, off, off);
            x += off;
        }
        return x;
    }

    private void guestMapAndTouch(NativeMemory memory, NativeAddressSpace space, long bytes, boolean record) {
        long t0 = System.nanoTime();
        MemoryExtent vmo = memory.physicalMemory().allocate(bytes);
        space.map(space.base(), vmo, 0, bytes, GuestAddressSpace.PROT_READ | GuestAddressSpace.PROT_WRITE);
        long t1 = System.nanoTime();
        sink += touch(space.base(), bytes);
        long t2 = System.nanoTime();
        // What a kernel load through a mapping would cost once pages exist (the pread alternative).
        MemorySegment guest = MemorySegment.ofAddress(space.base()).reinterpret(bytes);
        byte[] page = new byte[PAGE];
        long c0 = System.nanoTime();
        for (long off = 0; off < bytes; off += PAGE) MemorySegment.copy(guest, ValueLayout.JAVA_BYTE, off, page, 0, PAGE);
        long c1 = System.nanoTime();
        sink += page[8];
        space.unmap(space.base(), bytes);
        vmo.close();
        long t3 = System.nanoTime();
        record(record, "vmo: allocate + map", t1 - t0);
        record(record, "vmo: touch every page via guest mapping", t2 - t1);
        record(record, "vmo: map + touch (total)", t2 - t0);
        record(record, "vmo: memcpy 4 KiB pages out of the mapping", c1 - c0);
        record(record, "vmo: unmap + free", t3 - c1);
    }

    private void hostMapAndTouch(long bytes, boolean record) throws Throwable {
        long t0 = System.nanoTime();
        long p = (long) MMAP.invokeExact(0L, bytes, 3, 0x02 | 0x20, -1, 0L); // RW, MAP_PRIVATE | MAP_ANONYMOUS
        if (p == -1L) throw new IllegalStateException("mmap failed");
        long t1 = System.nanoTime();
        sink += touch(p, bytes);
        long t2 = System.nanoTime();
        if ((int) MUNMAP.invokeExact(p, bytes) != 0) throw new IllegalStateException("munmap failed");
        long t3 = System.nanoTime();
        record(record, "host anon: mmap", t1 - t0);
        record(record, "host anon: touch every page", t2 - t1);
        record(record, "host anon: mmap + touch (total)", t2 - t0);
        record(record, "host anon: munmap", t3 - t2);
    }

    private void kernelSide(NativeMemory memory, long bytes, boolean record) {
        MemoryExtent vmo = memory.physicalMemory().allocate(bytes);
        byte[] page = new byte[PAGE];
        Arrays.fill(page, (byte) 1);
        MemorySegment chunk = MemorySegment.ofArray(new byte[1 << 20]);
        long t = System.nanoTime();
        for (long off = 0; off < bytes; off += PAGE) vmo.write(off, page, 0, PAGE);
        t = lap(record, "kernel: write 4 KiB pages (physmap, commits)", t);
        for (long off = 0; off < bytes; off += PAGE) vmo.read(off, page, 0, PAGE);
        t = lap(record, "kernel: read 4 KiB pages", t);
        for (long off = 0; off < bytes; off += chunk.byteSize()) vmo.read(off, chunk, 0, chunk.byteSize());
        t = lap(record, "kernel: read 1 MiB chunks", t);
        for (long off = 0; off < bytes; off += PAGE) vmo.read(off, page, 0, 16);
        t = lap(record, "kernel: read 16 B per page", t);
        long committed = vmo.committedBytes();
        t = lap(record, "kernel: committedBytes, all committed", t);
        vmo.decommit(0, bytes);
        t = lap(record, "kernel: decommit all (punch hole)", t);
        for (long off = 0; off < bytes; off += chunk.byteSize()) vmo.read(off, chunk, 0, chunk.byteSize());
        t = lap(record, "kernel: read 1 MiB chunks of holes", t);
        long afterHoleRead = vmo.committedBytes();
        t = System.nanoTime();
        vmo.commit(0, bytes);
        lap(record, "kernel: commit all (MADV_POPULATE_WRITE)", t);
        vmo.close();
        if (committed != bytes || afterHoleRead != 0) {
            throw new IllegalStateException("accounting: " + committed + " of " + bytes + ", " + afterHoleRead + " after reading holes");
        }
        sink += page[0] + chunk.get(ValueLayout.JAVA_BYTE, 5);
    }

    /** pread of 4 KiB pages and 16 B from a committed memfd of the same size (a separate file). */
    private void preadBaseline(long bytes, boolean record) throws Throwable {
        int fd;
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            fd = (int) MEMFD_CREATE.invokeExact(arena.allocateFrom("membench"), 1);
        }
        if (fd < 0 || (int) FTRUNCATE.invokeExact(fd, bytes) != 0) throw new IllegalStateException("memfd setup failed");
        long p = (long) MMAP.invokeExact(0L, bytes, 3, 0x01, fd, 0L); // RW, MAP_SHARED
        if (p == -1L) throw new IllegalStateException("mmap failed");
        sink += touch(p, bytes);
        MemorySegment page = MemorySegment.ofArray(new byte[PAGE]);
        long t = System.nanoTime();
        for (long off = 0; off < bytes; off += PAGE) {
            if ((long) PREAD.invokeExact(fd, page, (long) PAGE, off) != PAGE) throw new IllegalStateException("short pread");
        }
        t = lap(record, "baseline: pread 4 KiB pages (dropped design)", t);
        for (long off = 0; off < bytes; off += PAGE) {
            if ((long) PREAD.invokeExact(fd, page, 16L, off) != 16) throw new IllegalStateException("short pread");
        }
        lap(record, "baseline: pread 16 B per page (dropped design)", t);
        if ((int) MUNMAP.invokeExact(p, bytes) != 0 || (int) CLOSE.invokeExact(fd) != 0) throw new IllegalStateException("cleanup failed");
    }

    private long lap(boolean record, String step, long start) {
        long now = System.nanoTime();
        record(record, step, now - start);
        return now;
    }
}
