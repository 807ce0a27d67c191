package dev.zjvm.loader.elf;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How to map a position-independent image: page-aligned pieces in ascending address order, split
 * at the PT_GNU_RELRO boundaries, and the total span to reserve in a VMAR.
 *
 * <p>To load at {@code base} (page-aligned), map each piece at {@code base + (vaddr - minVaddr)}.
 * If {@code dynamic().hasRelocations()} is false, RELRO pieces may be mapped with
 * {@link LoadSegment#finalPerms()} directly; otherwise the image relocates itself first and
 * protects RELRO itself (static PIE), so map with {@link LoadSegment#perms()}.
 *
 * @param segments   the pieces, ascending and non-overlapping
 * @param minVaddr   page-aligned lowest address of the image (usually 0 for PIE)
 * @param span       page-aligned size of [minVaddr, end of the highest segment)
 * @param entry      entry point (link-time address), 0 if the image has none
 * @param stackSize  initial stack size: PT_GNU_STACK's p_memsz rounded up to pages, or the Zircon default
 * @param executableStack PT_GNU_STACK asks for an executable stack
 * @param interpreter PT_INTERP, if any
 * @param dynamic    relocation/linking summary
 * @param fileLayout every PT_LOAD sits in the file exactly as in memory (p_offset = p_vaddr - minVaddr,
 *                   no bss): the Zircon "RODSO" layout of userboot and the vDSO, which lets the
 *                   kernel map pieces straight from a VMO holding the file
 */
public record LoadPlan(List<LoadSegment> segments, long minVaddr, long span, long entry, long stackSize,
                       boolean executableStack, Optional<String> interpreter, DynamicInfo dynamic,
                       boolean fileLayout) {

    /** ZIRCON_DEFAULT_STACK_SIZE. */
    public static final long DEFAULT_STACK_SIZE = 256 * 1024;

    /** Largest image span we accept (the guest address space is 2^47; keep far below). */
    public static final long MAX_SPAN = 1L << 40;

    public LoadPlan {
        segments = List.copyOf(segments);
    }

    /** Offset of {@code vaddr} from the start of the mapping (add the mapping base to get a run-time address). */
    public long offsetOf(long vaddr) {
        return vaddr - minVaddr;
    }

    static LoadPlan of(ElfFile elf) throws ElfFormatException {
        if (!elf.header().isPositionIndependent()) {
            throw elf.error("not position-independent: " + Elf.typeName(elf.header().type())
                    + "; build with -static-pie or -shared");
        }
        List<ProgramHeader> loads = elf.programHeaders(Elf.PT_LOAD).stream().filter(p -> p.memsz() != 0).toList();
        if (loads.isEmpty()) {
            throw elf.error("no PT_LOAD segment");
        }
        List<LoadSegment> pieces = new ArrayList<>();
        long prevEnd = Long.MIN_VALUE;
        for (int i = 0; i < loads.size(); i++) {
            ProgramHeader p = loads.get(i);
            if ((p.vaddr() - p.offset()) % Elf.PAGE_SIZE != 0) {
                throw elf.error(String.format("PT_LOAD at 0x%x: address and file offset 0x%x differ modulo the page size",
                        p.vaddr(), p.offset()));
            }
            long start = Elf.pageDown(p.vaddr());
            long end = Elf.pageUp(p.vaddr() + p.memsz());
            if (start < prevEnd) {
                throw elf.error(String.format("PT_LOAD at 0x%x overlaps or is out of order with the previous one",
                        p.vaddr()));
            }
            prevEnd = end;
            long lead = p.vaddr() - start;
            pieces.add(new LoadSegment(start, end - start, p.filesz() + lead, p.offset() - lead, p.perms(), false));
        }
        long minVaddr = pieces.getFirst().vaddr();
        long span = pieces.getLast().end() - minVaddr;
        if (span > MAX_SPAN) {
            throw elf.error(String.format("image span 0x%x is too large", span));
        }
        pieces = applyRelro(elf, pieces);

        long entry = elf.entry();
        if (entry != 0 && loads.stream().noneMatch(p -> p.containsVaddr(entry) && p.perms().execute())) {
            throw elf.error(String.format("entry point 0x%x is not in an executable PT_LOAD segment", entry));
        }
        Optional<ProgramHeader> stack = elf.programHeader(Elf.PT_GNU_STACK);
        long stackSize = DEFAULT_STACK_SIZE;
        if (stack.isPresent() && stack.get().memsz() != 0) {
            if (stack.get().memsz() < 0 || stack.get().memsz() > MAX_SPAN) {
                throw elf.error(String.format("PT_GNU_STACK size 0x%x is too large", stack.get().memsz()));
            }
            stackSize = Elf.pageUp(stack.get().memsz());
        }
        boolean execStack = stack.map(s -> s.perms().execute()).orElse(false);
        boolean fileLayout = loads.stream().allMatch(p -> p.offset() == p.vaddr() - minVaddr && p.filesz() == p.memsz());
        return new LoadPlan(pieces, minVaddr, span, entry, stackSize, execStack, elf.interpreter(), elf.dynamic(),
                fileLayout);
    }

    /** Splits the segment holding PT_GNU_RELRO so the RELRO pages form their own piece(s). */
    private static List<LoadSegment> applyRelro(ElfFile elf, List<LoadSegment> pieces) throws ElfFormatException {
        List<ProgramHeader> relros = elf.programHeaders(Elf.PT_GNU_RELRO);
        if (relros.isEmpty()) {
            return pieces;
        }
        if (relros.size() > 1) {
            throw elf.error("more than one PT_GNU_RELRO");
        }
        ProgramHeader r = relros.getFirst();
        // Like the dynamic linker: protect whole pages only, from the page holding the start
        // down to the page boundary at or below the end.
        long start = Elf.pageDown(r.vaddr());
        long end = Elf.pageDown(r.vaddr() + r.memsz());
        if (end <= start) {
            return pieces;
        }
        List<LoadSegment> out = new ArrayList<>();
        boolean placed = false;
        for (LoadSegment s : pieces) {
            if (start >= s.vaddr() && end <= s.end()) {
                placed = true;
                addPiece(out, s, s.vaddr(), start, false);
                addPiece(out, s, start, end, true);
                addPiece(out, s, end, s.end(), false);
            } else if (start < s.end() && end > s.vaddr()) {
                throw elf.error(String.format("PT_GNU_RELRO [0x%x, 0x%x) straddles a PT_LOAD boundary", start, end));
            } else {
                out.add(s);
            }
        }
        if (!placed) {
            throw elf.error(String.format("PT_GNU_RELRO [0x%x, 0x%x) is not inside a PT_LOAD segment", start, end));
        }
        return out;
    }

    private static void addPiece(List<LoadSegment> out, LoadSegment s, long from, long to, boolean relro) {
        if (to <= from) {
            return;
        }
        long delta = from - s.vaddr();
        long filesz = Math.max(0, Math.min(s.filesz() - delta, to - from));
        out.add(new LoadSegment(from, to - from, filesz, s.fileOffset() + delta, s.perms(), relro));
    }
}
