package dev.zjvm.syscall.abi.gen;

import dev.zjvm.syscall.abi.AbiConstants;
import dev.zjvm.syscall.abi.SyscallDef;
import dev.zjvm.syscall.abi.SyscallTable;
import dev.zjvm.syscall.abi.gen.ElfImage.Segment;
import dev.zjvm.syscall.abi.gen.ElfImage.Symbol;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Compares a built vDSO with the Java syscall table and constants; returns every disagreement. */
final class VdsoDriftCheck {
    private static final String SLOT = "zcore_syscall_entry";

    private final ElfImage elf;
    private final SyscallTable table;
    private final List<String> problems = new ArrayList<>();

    private VdsoDriftCheck(ElfImage elf, SyscallTable table) {
        this.elf = elf;
        this.table = table;
    }

    /** Full check of our own vDSO: layout, exports, stubs, slots, constants block. */
    static List<String> checkOurs(ElfImage elf, SyscallTable table, AbiConstants abi) {
        VdsoDriftCheck c = new VdsoDriftCheck(elf, table);
        c.layout();
        c.exports(Set.of());
        c.stubs(name -> first(elf.symtabNamed("SYSCALL_zx_" + name)));
        c.slots();
        c.constantsBlock(abi.sizeOf("vdso_constants_t"));
        return c.problems;
    }

    /**
     * Check of zCore's prebuilt libos vDSO against the table: exported set (minus our extras) and the
     * number in every stub reachable from an export.
     */
    static List<String> checkReal(ElfImage elf, SyscallTable table, Set<String> ourExtras) {
        VdsoDriftCheck c = new VdsoDriftCheck(elf, table);
        c.exports(ourExtras);
        Map<String, Symbol> dyn = elf.dynsym.stream()
                .collect(Collectors.toMap(Symbol::name, Function.identity(), (a, b) -> a));
        c.stubs(name -> {
            // Internal entries have no export; the real image names their stubs SYSCALL_zx_*.
            Optional<Symbol> local = first(elf.symtabNamed("SYSCALL_zx_" + name));
            return local.isPresent() ? local : Optional.ofNullable(dyn.get("_zx_" + name));
        });
        return c.problems;
    }

    private static Optional<Symbol> first(List<Symbol> symbols) {
        return symbols.isEmpty() ? Optional.empty() : Optional.of(symbols.getFirst());
    }

    private void layout() {
        List<Segment> loads = elf.segments.stream().filter(s -> s.type() == ElfImage.PT_LOAD).toList();
        if (loads.size() != 2) {
            problems.add("expected exactly 2 PT_LOAD segments, found " + loads.size());
        } else {
            if (loads.get(0).flags() != ElfImage.PF_R) {
                problems.add("first PT_LOAD must be R only, flags " + loads.get(0).flags());
            }
            if (loads.get(1).flags() != (ElfImage.PF_R | ElfImage.PF_X)) {
                problems.add("second PT_LOAD must be R+X, flags " + loads.get(1).flags());
            }
            if (loads.get(0).offset() != 0 || loads.get(0).vaddr() != 0) {
                problems.add("first PT_LOAD must map the file start at address 0");
            }
            for (Segment s : loads) {
                if (s.offset() != s.vaddr() || s.fileSize() != s.memSize()) {
                    problems.add("PT_LOAD at 0x" + Long.toHexString(s.vaddr()) + " is not laid out as in the file");
                }
                if (s.vaddr() % 4096 != 0) {
                    problems.add("PT_LOAD at 0x" + Long.toHexString(s.vaddr()) + " is not page aligned");
                }
            }
        }
        for (int type : new int[] {ElfImage.PT_GNU_STACK, ElfImage.PT_DYNAMIC, ElfImage.PT_NOTE, ElfImage.PT_GNU_EH_FRAME}) {
            if (elf.segments.stream().noneMatch(s -> s.type() == type)) {
                problems.add("missing program header of type 0x" + Integer.toHexString(type));
            }
        }
        if (elf.segments.stream().anyMatch(s -> s.type() == ElfImage.PT_LOAD && (s.flags() & ElfImage.PF_W) != 0)) {
            problems.add("a PT_LOAD is writable");
        }
        elf.sections.stream().filter(s -> (s.type() == ElfImage.SHT_RELA || s.type() == ElfImage.SHT_REL) && s.size() > 0)
                .forEach(s -> problems.add("relocation section " + s.name()));
        if (elf.sections.stream().noneMatch(s -> s.name().equals(".note.gnu.build-id"))) {
            problems.add("no build-id note");
        }
        Optional<Symbol> exit = elf.dynsym.stream().filter(s -> s.name().equals("_zx_process_exit")).findFirst();
        if (exit.isEmpty() || exit.get().value() != elf.entry) {
            problems.add("ELF entry 0x" + Long.toHexString(elf.entry) + " is not _zx_process_exit");
        }
    }

    /** Exported set: GLOBAL _zx_foo and WEAK zx_foo at the same address, for exactly the exported entries. */
    private void exports(Set<String> notInImage) {
        Set<String> expected = new TreeSet<>();
        for (SyscallDef d : table.exported()) {
            if (!notInImage.contains(d.name())) {
                expected.add("_" + d.cName());
                expected.add(d.cName());
            }
        }
        Set<String> actual = new TreeSet<>();
        Map<String, Symbol> byName = new java.util.HashMap<>();
        for (Symbol s : elf.dynsym) {
            if (s.shndx() == 0) {
                problems.add("undefined dynamic symbol " + s.name());
                continue;
            }
            actual.add(s.name());
            byName.put(s.name(), s);
        }
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        Set<String> extra = new TreeSet<>(actual);
        extra.removeAll(expected);
        if (!missing.isEmpty()) {
            problems.add("not exported: " + missing);
        }
        if (!extra.isEmpty()) {
            problems.add("exported but not in the table (or internal): " + extra);
        }
        for (SyscallDef d : table.exported()) {
            Symbol strong = byName.get("_" + d.cName());
            Symbol weak = byName.get(d.cName());
            if (strong == null || weak == null) {
                continue;
            }
            if (strong.bind() != ElfImage.STB_GLOBAL || weak.bind() != ElfImage.STB_WEAK) {
                problems.add(d.cName() + ": want GLOBAL _zx_ and WEAK zx_, got binds " + strong.bind() + "/" + weak.bind());
            }
            if (strong.type() != ElfImage.STT_FUNC || weak.type() != ElfImage.STT_FUNC) {
                problems.add(d.cName() + ": exports are not FUNC symbols");
            }
            if (strong.value() != weak.value()) {
                problems.add(d.cName() + ": _zx_ and zx_ differ in address");
            }
        }
    }

    /** Every kernel entry's stub is "mov $NUM,%eax; jmp *zcore_syscall_entry(%rip)" with the table's number. */
    private void stubs(Function<String, Optional<Symbol>> stubSymbol) {
        Set<Long> slotAddresses = new HashSet<>();
        elf.symtabNamed(SLOT).forEach(s -> slotAddresses.add(s.value()));
        Map<String, Symbol> dyn = new java.util.HashMap<>();
        elf.dynsym.forEach(s -> dyn.put(s.name(), s));
        for (SyscallDef d : table.byNumber().values()) {
            Optional<Symbol> stub = stubSymbol.apply(d.name());
            if (stub.isEmpty() && d.isBlocking() && dyn.containsKey("_" + d.cName())) {
                stub = callTarget(dyn.get("_" + d.cName()));
            }
            if (stub.isEmpty()) {
                problems.add(d.cName() + ": no stub found");
                continue;
            }
            long at = stub.get().value();
            byte[] code;
            try {
                code = elf.bytesAt(at, 11);
            } catch (IllegalArgumentException e) {
                problems.add(d.cName() + ": stub not readable: " + e.getMessage());
                continue;
            }
            ByteBuffer b = ByteBuffer.wrap(code).order(ByteOrder.LITTLE_ENDIAN);
            if (Byte.toUnsignedInt(code[0]) != 0xb8) {
                problems.add(d.cName() + ": stub does not start with mov $imm32,%eax (b8)");
                continue;
            }
            int number = b.getInt(1);
            if (number != d.number().getAsInt()) {
                problems.add(d.cName() + ": stub loads " + number + ", table says " + d.number().getAsInt());
            }
            if (Byte.toUnsignedInt(code[5]) != 0xff || Byte.toUnsignedInt(code[6]) != 0x25) {
                problems.add(d.cName() + ": stub does not continue with jmp *rel32(%rip)");
            } else {
                long target = at + 11 + b.getInt(7);
                if (!slotAddresses.contains(target)) {
                    problems.add(d.cName() + ": stub jumps through 0x" + Long.toHexString(target)
                            + ", not a " + SLOT + " slot");
                }
            }
            Symbol export = dyn.get("_" + d.cName());
            if (export != null && !d.isBlocking() && export.value() != at) {
                problems.add(d.cName() + ": the export is not the stub itself");
            }
            if (export != null && d.isBlocking() && export.value() == at) {
                problems.add(d.cName() + ": blocking call exported without a retry wrapper");
            }
            if (export != null && d.isBlocking() && export.value() != at
                    && callTarget(export).map(Symbol::value).orElse(-1L) != at) {
                problems.add(d.cName() + ": retry wrapper does not call its stub");
            }
        }
    }

    /** The first direct call (e8 rel32) inside a function, as a synthetic symbol at its target. */
    private Optional<Symbol> callTarget(Symbol function) {
        int length = (int) Math.max(function.size(), 0);
        if (length < 5) {
            return Optional.empty();
        }
        byte[] code = elf.bytesAt(function.value(), length);
        ByteBuffer b = ByteBuffer.wrap(code).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 5 <= code.length; i++) {
            if (Byte.toUnsignedInt(code[i]) == 0xe8) {
                long target = function.value() + i + 5 + b.getInt(i + 1);
                Optional<Segment> seg = elf.segmentAt(target);
                if (seg.isPresent() && (seg.get().flags() & ElfImage.PF_X) != 0) {
                    return Optional.of(new Symbol("call@" + Long.toHexString(target), target, 11, 0, 0, 0, 1));
                }
            }
        }
        return Optional.empty();
    }

    private void slots() {
        List<Symbol> slots = elf.symtabNamed(SLOT);
        if (slots.size() != 3) {
            problems.add("expected 3 " + SLOT + " symbols, found " + slots.size());
        }
        Set<Long> distinct = new HashSet<>();
        for (Symbol s : slots) {
            distinct.add(s.value());
            if (s.bind() != ElfImage.STB_LOCAL) {
                problems.add(SLOT + " must be LOCAL");
            }
            Optional<Segment> seg = elf.segmentAt(s.value());
            if (seg.isEmpty() || seg.get().flags() != ElfImage.PF_R || elf.segmentAt(s.value() + 7).isEmpty()) {
                problems.add(SLOT + " at 0x" + Long.toHexString(s.value()) + " is not 8 bytes of the read-only segment");
            }
        }
        if (distinct.size() != slots.size()) {
            problems.add(SLOT + " symbols share an address");
        }
    }

    private void constantsBlock(int expectedSize) {
        List<Symbol> found = elf.symtabNamed("DATA_CONSTANTS");
        if (found.size() != 1) {
            problems.add("expected one DATA_CONSTANTS symbol, found " + found.size());
            return;
        }
        Symbol s = found.getFirst();
        if (s.bind() != ElfImage.STB_LOCAL || s.visibility() != ElfImage.STV_HIDDEN || s.type() != ElfImage.STT_OBJECT) {
            problems.add("DATA_CONSTANTS must be a LOCAL HIDDEN OBJECT");
        }
        if (s.size() != expectedSize) {
            problems.add("DATA_CONSTANTS is " + s.size() + " bytes, vdso_constants_t is " + expectedSize);
        }
        if (s.value() % 8 != 0) {
            problems.add("DATA_CONSTANTS is not 8-byte aligned");
        }
        Optional<Segment> seg = elf.segmentAt(s.value());
        if (seg.isEmpty() || seg.get().flags() != ElfImage.PF_R) {
            problems.add("DATA_CONSTANTS is not in the read-only segment");
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(elf.bytesAt(s.value(), (int) s.size())).order(ByteOrder.LITTLE_ENDIAN);
        while (b.remaining() >= 4) {
            if (b.getInt() != 0xdeadbeef) {
                problems.add("DATA_CONSTANTS is not pre-filled with 0xdeadbeef");
                break;
            }
        }
    }
}
