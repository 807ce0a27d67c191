package dev.zjvm.syscall.abi.gen;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.zjvm.syscall.abi.gen.ElfImage.Segment;
import dev.zjvm.syscall.abi.gen.ElfImage.Symbol;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Test-only loader: maps a vDSO image into this process the RODSO way (segments at their
 * addresses, first read-only, second read+execute) after patching DATA_CONSTANTS and the
 * zcore_syscall_entry slots, so the test can call its functions through java.lang.foreign.
 */
final class LoadedVdso {
    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int PROT_EXEC = 4;
    private static final int MAP_PRIVATE = 2;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final long PAGE = 4096;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MMAP = LINKER.downcallHandle(LINKER.defaultLookup().find("mmap").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MPROTECT = LINKER.downcallHandle(
            LINKER.defaultLookup().find("mprotect").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle MUNMAP = LINKER.downcallHandle(LINKER.defaultLookup().find("munmap").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));

    /** Patches applied while the image is still writable. */
    interface Patcher {
        void patch(MemorySegment image, ElfImage elf);
    }

    final ElfImage elf;
    final MemorySegment image;

    LoadedVdso(Path file, Patcher patcher) throws Throwable {
        byte[] bytes = Files.readAllBytes(file);
        elf = ElfImage.read(file);
        List<Segment> loads = elf.segments.stream().filter(s -> s.type() == ElfImage.PT_LOAD).toList();
        long end = loads.stream().mapToLong(s -> s.vaddr() + s.memSize()).max().orElseThrow();
        image = map(roundUp(end));
        for (Segment s : loads) {
            MemorySegment.copy(MemorySegment.ofArray(bytes), s.offset(), image, s.vaddr(), s.fileSize());
        }
        patcher.patch(image, elf);
        for (Segment s : loads) {
            int prot = PROT_READ | ((s.flags() & ElfImage.PF_X) != 0 ? PROT_EXEC : 0);
            protect(image.asSlice(s.vaddr() / PAGE * PAGE), roundUp(s.vaddr() + s.memSize()) - s.vaddr() / PAGE * PAGE, prot);
        }
    }

    static long roundUp(long n) {
        return (n + PAGE - 1) / PAGE * PAGE;
    }

    static MemorySegment map(long size) throws Throwable {
        MemorySegment m = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, size, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0L);
        if (m.address() == -1L) {
            throw new IllegalStateException("mmap failed");
        }
        return m.reinterpret(size);
    }

    static void protect(MemorySegment start, long size, int prot) throws Throwable {
        if ((int) MPROTECT.invokeExact(start, size, prot) != 0) {
            throw new IllegalStateException("mprotect failed");
        }
    }

    static void unmap(MemorySegment m) throws Throwable {
        int rc = (int) MUNMAP.invokeExact(m, m.byteSize());
        if (rc != 0) {
            throw new IllegalStateException("munmap failed");
        }
    }

    /** Makes a page of machine code executable; returns it. */
    static MemorySegment code(byte[] machineCode) throws Throwable {
        MemorySegment page = map(PAGE);
        MemorySegment.copy(MemorySegment.ofArray(machineCode), 0, page, 0, machineCode.length);
        protect(page, PAGE, PROT_READ | PROT_EXEC);
        return page;
    }

    /** A downcall handle for an exported function ({@code _zx_...}). */
    MethodHandle function(String exported, FunctionDescriptor descriptor) {
        Symbol s = elf.dynsym.stream().filter(x -> x.name().equals(exported)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no export " + exported));
        return LINKER.downcallHandle(image.asSlice(s.value()), descriptor);
    }

    void close() throws Throwable {
        unmap(image);
    }
}
