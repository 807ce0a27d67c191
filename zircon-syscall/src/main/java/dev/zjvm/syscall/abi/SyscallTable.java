package dev.zjvm.syscall.abi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The immutable syscall table: every entry of syscalls.def, looked up by kernel number or by name.
 * {@link #standard()} is the project's table; other tables can be built with {@link SyscallDefParser}.
 */
public final class SyscallTable {
    /** Classpath location of the project's definition file. */
    public static final String RESOURCE = "/dev/zjvm/syscall/abi/syscalls.def";
    /** Kernel arguments are passed in at most eight registers. */
    public static final int MAX_KERNEL_ARGS = 8;
    /** zCore's libos vDSO numbers composites from here on. */
    public static final int FIRST_COMPOSITE_NUMBER = 200;

    private final List<SyscallDef> all;
    private final SortedMap<Integer, SyscallDef> byNumber;
    private final Map<String, SyscallDef> byName;

    SyscallTable(List<SyscallDef> defs) {
        this.all = List.copyOf(defs);
        Map<String, SyscallDef> names = new LinkedHashMap<>();
        SortedMap<Integer, SyscallDef> numbers = new TreeMap<>();
        int nextKazooNumber = 0;
        for (SyscallDef d : all) {
            if (names.put(d.name(), d) != null) {
                throw fail(d, "duplicate name " + d.name());
            }
            validate(d);
            if (d.number().isPresent()) {
                int n = d.number().getAsInt();
                SyscallDef previous = numbers.put(n, d);
                if (previous != null) {
                    throw fail(d, "number " + n + " already used by " + previous.name());
                }
                // kazoo numbers the non-vdsocall entries 0, 1, 2, ... in file order.
                if (!d.has(SyscallAttribute.COMPOSITE)) {
                    if (n != nextKazooNumber) {
                        throw fail(d, "expected number " + nextKazooNumber + " (entries are numbered in file order)");
                    }
                    nextKazooNumber++;
                }
            }
        }
        this.byName = Map.copyOf(names);
        this.byNumber = java.util.Collections.unmodifiableSortedMap(numbers);
    }

    private static void validate(SyscallDef d) {
        boolean numbered = d.number().isPresent();
        boolean composite = d.has(SyscallAttribute.COMPOSITE);
        boolean vdso = d.has(SyscallAttribute.VDSOCALL);
        if (composite && (!vdso || !numbered || d.number().getAsInt() < FIRST_COMPOSITE_NUMBER)) {
            throw fail(d, "a composite is a vdsocall with a private number >= " + FIRST_COMPOSITE_NUMBER);
        }
        if (!composite && numbered && d.number().getAsInt() >= FIRST_COMPOSITE_NUMBER) {
            throw fail(d, "numbers >= " + FIRST_COMPOSITE_NUMBER + " are reserved for composites");
        }
        if (!composite && vdso == numbered) {
            throw fail(d, vdso ? "a vdsocall has no kernel number" : "a kernel syscall needs a number");
        }
        if (d.has(SyscallAttribute.EXTRA) && !vdso) {
            throw fail(d, "an extra export is a vdsocall");
        }
        if (d.has(SyscallAttribute.INTERNAL) && (vdso || !numbered)) {
            throw fail(d, "internal entries are numbered kernel entries");
        }
        if (numbered && d.arity() > MAX_KERNEL_ARGS) {
            throw fail(d, "more than " + MAX_KERNEL_ARGS + " arguments");
        }
        if (d.isNoReturn() && !d.returnType().equals("void")) {
            throw fail(d, "noreturn entries return void");
        }
    }

    private static AbiDefinitionException fail(SyscallDef d, String message) {
        return new AbiDefinitionException("syscalls.def", d.line(), d.name() + ": " + message);
    }

    /** The project's table, parsed once from {@link #RESOURCE}. */
    public static SyscallTable standard() {
        return Standard.TABLE;
    }

    /** Reads a definition file from the class path. */
    public static SyscallTable fromResource(String resource) {
        try (InputStream in = SyscallTable.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new AbiDefinitionException("missing class-path resource " + resource);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return SyscallDefParser.parse(resource, text.lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every entry in file order. */
    public List<SyscallDef> all() {
        return all;
    }

    /** Entries with a kernel number (ordinary, internal, test and composite), by number. */
    public SortedMap<Integer, SyscallDef> byNumber() {
        return byNumber;
    }

    /** The entry with this kernel number. */
    public Optional<SyscallDef> byNumber(int number) {
        return Optional.ofNullable(byNumber.get(number));
    }

    /** The entry with this name, with or without the {@code zx_} / {@code _zx_} prefix. */
    public Optional<SyscallDef> byName(String name) {
        String bare = name.startsWith("_zx_") ? name.substring(4) : name.startsWith("zx_") ? name.substring(3) : name;
        return Optional.ofNullable(byName.get(bare));
    }

    /** Entries exported by the vDSO (everything but internal ones). */
    public List<SyscallDef> exported() {
        return all.stream().filter(SyscallDef::isExported).toList();
    }

    /** One more than the largest kernel number (composites included): the size of a dispatch array. */
    public int numberLimit() {
        return byNumber.isEmpty() ? 0 : byNumber.lastKey() + 1;
    }

    /** Count of kazoo-numbered kernel entries (ZX_SYS_COUNT; composites excluded). */
    public int kernelEntryCount() {
        return (int) all.stream().filter(d -> d.isKernelEntry() && !d.has(SyscallAttribute.COMPOSITE)).count();
    }

    /** Entries grouped by family, families in file order. */
    public Map<String, List<SyscallDef>> byFamily() {
        Map<String, List<SyscallDef>> out = new LinkedHashMap<>();
        for (SyscallDef d : all) {
            out.computeIfAbsent(d.family(), f -> new ArrayList<>()).add(d);
        }
        Map<String, List<SyscallDef>> frozen = new LinkedHashMap<>();
        out.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return java.util.Collections.unmodifiableMap(frozen);
    }

    /** Lazily parsed, immutable standard table (holder idiom; no mutable static state). */
    private static final class Standard {
        static final SyscallTable TABLE = fromResource(RESOURCE);
    }

    @Override
    public String toString() {
        Map<Boolean, Long> split = new HashMap<>();
        all.forEach(d -> split.merge(d.isKernelEntry(), 1L, Long::sum));
        return "SyscallTable[" + all.size() + " entries, " + split.getOrDefault(true, 0L) + " numbered]";
    }
}
