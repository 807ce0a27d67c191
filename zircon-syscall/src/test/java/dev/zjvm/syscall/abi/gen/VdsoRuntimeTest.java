package dev.zjvm.syscall.abi.gen;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zjvm.syscall.abi.AbiConstants;
import dev.zjvm.syscall.abi.gen.ElfImage.Symbol;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the built vDSO's code natively in the test JVM: the vDSO-only functions against a
 * hand-filled DATA_CONSTANTS block, and the kernel-entering ones against a fake kernel (a Java
 * upcall) installed in the zcore_syscall_entry slots.
 */
class VdsoRuntimeTest {
    private static Path so;
    private static final AbiConstants ABI = AbiConstants.standard();
    private static final int INTR_RETRY = (int) ABI.value("ZX_ERR_INTERNAL_INTR_RETRY");
    private static final String VERSION = "git-0123456789abcdef0123456789abcdef01234567";

    private final List<long[]> calls = new ArrayList<>();
    private LongUnaryOperator answer = nr -> 0;
    private Arena arena;
    private LoadedVdso vdso;
    private MemorySegment fakeEntry;

    @BeforeAll
    static void build() throws Exception {
        so = VdsoBuild.build();
    }

    /** The fake kernel: records (number, args...) and answers with the scripted status. */
    long kernel(long nr, long a0, long a1, long a2, long a3, long a4) {
        calls.add(new long[] {nr, a0, a1, a2, a3, a4});
        if (nr == 17) { // cprng_draw_once: fill the chunk with its index
            MemorySegment.ofAddress(a0).reinterpret(a1).fill((byte) calls.size());
        }
        return answer.applyAsLong(nr);
    }

    @BeforeEach
    void load() throws Throwable {
        arena = Arena.ofConfined();
        MethodHandle target = MethodHandles.lookup().findVirtual(VdsoRuntimeTest.class, "kernel",
                MethodType.methodType(long.class, long.class, long.class, long.class, long.class, long.class, long.class))
                .bindTo(this);
        MemorySegment upcall = Linker.nativeLinker().upcallStub(target,
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), arena);
        // Entered by "jmp *zcore_syscall_entry" with eax = number and SysV args: shift the args one
        // register up, put the number first, tail-jump to the upcall (which returns to the caller).
        ByteBuffer code = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        code.put(new byte[] {0x4d, (byte) 0x89, (byte) 0xc1, 0x49, (byte) 0x89, (byte) 0xc8, 0x48, (byte) 0x89,
                (byte) 0xd1, 0x48, (byte) 0x89, (byte) 0xf2, 0x48, (byte) 0x89, (byte) 0xfe, (byte) 0x89, (byte) 0xc7,
                0x48, (byte) 0xb8});
        code.putLong(upcall.address());
        code.put(new byte[] {(byte) 0xff, (byte) 0xe0});
        fakeEntry = LoadedVdso.code(code.array());
        vdso = new LoadedVdso(so, this::patch);
    }

    private void patch(MemorySegment image, ElfImage elf) {
        for (Symbol slot : elf.symtabNamed("zcore_syscall_entry")) {
            image.set(JAVA_LONG.withByteAlignment(1), slot.value(), fakeEntry.address());
        }
        long c = elf.symtabNamed("DATA_CONSTANTS").getFirst().value();
        image.set(JAVA_INT, c + off("max_num_cpus"), 6);
        image.set(JAVA_INT, c + off("cpu_features"), 1);
        image.set(JAVA_INT, c + off("hw_breakpoint_count"), 4);
        image.set(JAVA_INT, c + off("hw_watchpoint_count"), 2);
        image.set(JAVA_INT, c + off("dcache_line_size"), 64);
        image.set(JAVA_INT, c + off("icache_line_size"), 64);
        image.set(JAVA_LONG, c + off("ticks_per_second"), 3_000_000_000L);
        image.set(JAVA_INT, c + off("ticks_to_mono_numerator"), 1);
        image.set(JAVA_INT, c + off("ticks_to_mono_denominator"), 3);
        image.set(JAVA_LONG, c + off("physmem"), 1L << 33);
        image.set(JAVA_LONG, c + off("version_string_len"), VERSION.length());
        MemorySegment.copy(VERSION.getBytes(StandardCharsets.US_ASCII), 0, image, JAVA_BYTE,
                c + off("version_string"), VERSION.length());
        image.set(JAVA_BYTE, c + off("version_string") + VERSION.length(), (byte) 0);
    }

    private static long off(String field) {
        return ABI.offsetOf("vdso_constants_t", field);
    }

    @AfterEach
    void unload() throws Throwable {
        if (vdso != null) {
            vdso.close();
        }
        if (fakeEntry != null) {
            LoadedVdso.unmap(fakeEntry);
        }
        arena.close();
    }

    private MethodHandle fn(String name, FunctionDescriptor fd) {
        return vdso.function("_zx_" + name, fd);
    }

    @Test
    void timeComesFromTheTscAndTheRatio() throws Throwable {
        MethodHandle ticks = fn("ticks_get", FunctionDescriptor.of(JAVA_LONG));
        MethodHandle mono = fn("clock_get_monotonic", FunctionDescriptor.of(JAVA_LONG));
        MethodHandle after = fn("deadline_after", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
        // TSC readings are only ordered on one CPU; a migration between two readings can break the
        // ordering on hosts with skewed TSCs, so a few attempts are allowed (no time is asserted).
        boolean ordered = false;
        for (int attempt = 0; attempt < 100 && !ordered; attempt++) {
            long t1 = (long) ticks.invokeExact();
            long m = (long) mono.invokeExact();
            long d = (long) after.invokeExact(1000L);
            long t2 = (long) ticks.invokeExact();
            ordered = t1 > 0 && t1 / 3 <= m && m + 1000 <= d && d <= t2 / 3 + 1000;
        }
        assertTrue(ordered, "ticks <= mono = ticks * 1 / 3 <= deadline_after(1000) - 1000 <= later ticks / 3");
        assertEquals(Long.MAX_VALUE, (long) after.invokeExact(Long.MAX_VALUE), "saturates");
        assertEquals(3_000_000_000L, (long) fn("ticks_per_second", FunctionDescriptor.of(JAVA_LONG)).invokeExact());
        assertTrue(calls.isEmpty(), "no kernel entry");
    }

    @Test
    void systemInformationReadsTheConstants() throws Throwable {
        assertEquals(6, (int) fn("system_get_num_cpus", FunctionDescriptor.of(JAVA_INT)).invokeExact());
        assertEquals(1L << 33, (long) fn("system_get_physmem", FunctionDescriptor.of(JAVA_LONG)).invokeExact());
        assertEquals(64, (int) fn("system_get_dcache_line_size", FunctionDescriptor.of(JAVA_INT)).invokeExact());
        assertEquals(4096, (int) fn("system_get_page_size", FunctionDescriptor.of(JAVA_INT)).invokeExact());
        MemoryLayout view = MemoryLayout.structLayout(ADDRESS.withName("c_str"), JAVA_LONG.withName("length"));
        MemorySegment sv = (MemorySegment) fn("system_get_version_string", FunctionDescriptor.of(view))
                .invokeExact((java.lang.foreign.SegmentAllocator) arena);
        MemorySegment str = sv.get(ADDRESS, 0).reinterpret(sv.get(JAVA_LONG, 8));
        assertEquals(VERSION, new String(str.toArray(JAVA_BYTE), StandardCharsets.US_ASCII));
        MethodHandle getVersion = fn("system_get_version", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        MemorySegment buf = arena.allocate(64);
        assertEquals((int) ABI.value("ZX_ERR_BUFFER_TOO_SMALL"), (int) getVersion.invokeExact(buf, 63L));
        assertEquals(0, (int) getVersion.invokeExact(buf, 64L));
        assertEquals(VERSION, buf.getString(0));
        MethodHandle features = fn("system_get_features", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        MemorySegment out = arena.allocate(JAVA_INT);
        assertEquals(0, (int) features.invokeExact(0, out));
        assertEquals(1, out.get(JAVA_INT, 0));
        assertEquals(0, (int) features.invokeExact(1, out));
        assertEquals(4, out.get(JAVA_INT, 0));
        assertEquals(0, (int) features.invokeExact(2, out));
        assertEquals(2, out.get(JAVA_INT, 0));
        assertEquals((int) ABI.value("ZX_ERR_NOT_SUPPORTED"), (int) features.invokeExact(3, out));
        assertTrue(calls.isEmpty());
    }

    @Test
    void statusAndExceptionNames() throws Throwable {
        MethodHandle status = fn("status_get_string", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        MethodHandle excp = fn("exception_get_string", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        for (var c : ABI.group("status")) {
            MemorySegment s = (MemorySegment) status.invokeExact(c.intValue());
            assertEquals(c.name(), s.reinterpret(64).getString(0));
        }
        assertEquals("(UNKNOWN)", ((MemorySegment) status.invokeExact(-5)).reinterpret(64).getString(0));
        assertEquals("ZX_EXCP_FATAL_PAGE_FAULT", ((MemorySegment) excp.invokeExact(0x108)).reinterpret(64).getString(0));
        assertEquals("(UNKNOWN)", ((MemorySegment) excp.invokeExact(0x7777)).reinterpret(64).getString(0));
    }

    @Test
    void cacheFlushValidatesOptions() throws Throwable {
        MethodHandle flush = fn("cache_flush", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
        MemorySegment buf = arena.allocate(300);
        int invalid = (int) ABI.value("ZX_ERR_INVALID_ARGS");
        for (int options : new int[] {0, 4, 5, 8}) {
            assertEquals(invalid, (int) flush.invokeExact(buf, 300L, options), "options " + options);
        }
        for (int options : new int[] {1, 2, 3, 6, 7}) {
            assertEquals(0, (int) flush.invokeExact(buf, 300L, options), "options " + options);
        }
    }

    @Test
    void plainStubPassesNumberAndArgumentsThrough() throws Throwable {
        answer = nr -> -11;
        MethodHandle close = fn("handle_close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        assertEquals(-11, (int) close.invokeExact(0x1234));
        assertEquals(1, calls.size());
        assertEquals(42, calls.getFirst()[0]);
        assertEquals(0x1234, calls.getFirst()[1] & 0xffffffffL);
    }

    @Test
    void blockingCallIsRetriedOnIntrRetryWithTheSameArguments() throws Throwable {
        int[] left = {2};
        answer = nr -> nr == 67 && left[0]-- > 0 ? INTR_RETRY : 0;
        MethodHandle wait = fn("object_wait_one", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
        MemorySegment observed = arena.allocate(JAVA_INT);
        assertEquals(0, (int) wait.invokeExact(0x55, 0x8, 123456789L, observed));
        assertEquals(3, calls.size());
        for (long[] c : calls) {
            assertArrayEquals(new long[] {67, 0x55, 0x8, 123456789L, observed.address()},
                    new long[] {c[0], c[1] & 0xffffffffL, c[2] & 0xffffffffL, c[3], c[4]});
        }
    }

    @Test
    void channelCallFinishesAfterAnInterruptedWait() throws Throwable {
        int[] finishes = {0};
        answer = nr -> nr == 8 ? INTR_RETRY : nr == 9 && finishes[0]++ == 0 ? INTR_RETRY : (int) ABI.value("ZX_ERR_PEER_CLOSED");
        MethodHandle call = fn("channel_call",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS));
        MemorySegment args = arena.allocate(48);
        MemorySegment nb = arena.allocate(JAVA_INT);
        MemorySegment nh = arena.allocate(JAVA_INT);
        assertEquals((int) ABI.value("ZX_ERR_PEER_CLOSED"), (int) call.invokeExact(0x77, 0, 999L, args, nb, nh));
        assertEquals(List.of(8L, 9L, 9L), calls.stream().map(c -> c[0]).toList());
        long[] finish = calls.get(1);
        assertArrayEquals(new long[] {999L, args.address(), nb.address(), nh.address()},
                new long[] {finish[1], finish[2], finish[3], finish[4]});
    }

    @Test
    void cprngDrawLoopsIn256ByteChunks() throws Throwable {
        MethodHandle draw = fn("cprng_draw", FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG));
        MemorySegment buf = arena.allocate(600);
        draw.invokeExact(buf, 600L);
        assertEquals(List.of(17L, 17L, 17L), calls.stream().map(c -> c[0]).toList());
        assertEquals(List.of(256L, 256L, 88L), calls.stream().map(c -> c[2]).toList());
        assertEquals(List.of(buf.address(), buf.address() + 256, buf.address() + 512), calls.stream().map(c -> c[1]).toList());
        assertEquals(1, buf.get(JAVA_BYTE, 0));
        assertEquals(2, buf.get(JAVA_BYTE, 300));
        assertEquals(3, buf.get(JAVA_BYTE, 599));
    }

    @Test
    void compositesUseTheirPrivateNumbers() throws Throwable {
        answer = nr -> -10;
        MethodHandle unmapExit = fn("vmar_unmap_handle_close_thread_exit",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
        assertEquals(-10, (int) unmapExit.invokeExact(0x11, 0x1000000L, 0x2000L, 0x22));
        MethodHandle futexExit = fn("futex_wake_handle_close_thread_exit",
                FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));
        futexExit.invokeExact(MemorySegment.ofAddress(0x4000), 1, 0, 0x33); // the fake kernel returns
        assertEquals(List.of(201L, 200L), calls.stream().map(c -> c[0]).toList());
        assertEquals(0x2000L, calls.get(0)[3]);
        assertEquals(0x33, calls.get(1)[4] & 0xffffffffL);
    }
}
