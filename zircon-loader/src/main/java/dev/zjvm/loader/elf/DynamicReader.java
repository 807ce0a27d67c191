package dev.zjvm.loader.elf;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Reads PT_DYNAMIC and validates the relocation and string tables it names. */
final class DynamicReader {
    private final ElfBytes bytes;
    private final List<ProgramHeader> programHeaders;

    private DynamicReader(ElfBytes bytes, List<ProgramHeader> programHeaders) {
        this.bytes = bytes;
        this.programHeaders = programHeaders;
    }

    static DynamicInfo read(ElfBytes bytes, List<ProgramHeader> programHeaders) throws ElfFormatException {
        Optional<ProgramHeader> dyn = programHeaders.stream().filter(p -> p.type() == Elf.PT_DYNAMIC).findFirst();
        if (dyn.isEmpty()) {
            return DynamicInfo.NONE;
        }
        return new DynamicReader(bytes, programHeaders).read(dyn.get());
    }

    private DynamicInfo read(ProgramHeader p) throws ElfFormatException {
        List<DynamicEntry> entries = new ArrayList<>();
        for (long off = 0; off + Elf.DYN_SIZE <= p.filesz(); off += Elf.DYN_SIZE) {
            long tag = bytes.i64(p.offset() + off);
            if (tag == Elf.DT_NULL) {
                break;
            }
            entries.add(new DynamicEntry(tag, bytes.i64(p.offset() + off + 8)));
        }
        long relaCount = tableCount(entries, Elf.DT_RELA, Elf.DT_RELASZ, Elf.DT_RELAENT, 24, "DT_RELA");
        long relCount = tableCount(entries, Elf.DT_REL, Elf.DT_RELSZ, Elf.DT_RELENT, 16, "DT_REL");
        long pltEntSize = value(entries, Elf.DT_PLTREL).orElse(Elf.DT_RELA) == Elf.DT_REL ? 16 : 24;
        long pltCount = tableCount(entries, Elf.DT_JMPREL, Elf.DT_PLTRELSZ, -1, pltEntSize, "DT_JMPREL");
        long relrBytes = tableCount(entries, Elf.DT_RELR, Elf.DT_RELRSZ, -1, 8, "DT_RELR") * 8;
        boolean textRel = value(entries, Elf.DT_TEXTREL).isPresent()
                || (value(entries, Elf.DT_FLAGS).orElse(0) & Elf.DF_TEXTREL) != 0;
        List<String> needed = new ArrayList<>();
        OptionalLong strtab = value(entries, Elf.DT_STRTAB);
        OptionalLong strsz = value(entries, Elf.DT_STRSZ);
        for (DynamicEntry e : entries) {
            if (e.tag() == Elf.DT_NEEDED) {
                if (strtab.isEmpty() || strsz.isEmpty()) {
                    throw bytes.error("DT_NEEDED without DT_STRTAB/DT_STRSZ");
                }
                long off = fileBackedTable(strtab.getAsLong(), strsz.getAsLong(), "DT_STRTAB");
                needed.add(bytes.cString(off, strsz.getAsLong(), e.value(), "DT_NEEDED"));
            }
        }
        return new DynamicInfo(entries, relaCount, relCount, pltCount, relrBytes, textRel, needed);
    }

    private static OptionalLong value(List<DynamicEntry> entries, long tag) {
        for (DynamicEntry e : entries) {
            if (e.tag() == tag) {
                return OptionalLong.of(e.value());
            }
        }
        return OptionalLong.empty();
    }

    /** Validates a table named by address/size(/entry-size) tags and returns its entry count. */
    private long tableCount(List<DynamicEntry> entries, long addrTag, long sizeTag, long entTag, long entSize,
                            String name) throws ElfFormatException {
        OptionalLong addr = value(entries, addrTag);
        OptionalLong size = value(entries, sizeTag);
        if (addr.isEmpty() && size.isEmpty()) {
            return 0;
        }
        if (addr.isEmpty() || size.isEmpty()) {
            throw bytes.error(name + " table has an address or a size but not both");
        }
        if (entTag >= 0) {
            OptionalLong ent = value(entries, entTag);
            if (ent.isPresent() && ent.getAsLong() != entSize) {
                throw bytes.error(String.format("%s entry size %d, expected %d", name, ent.getAsLong(), entSize));
            }
        }
        if (size.getAsLong() % entSize != 0) {
            throw bytes.error(String.format("%s size 0x%x is not a multiple of %d", name, size.getAsLong(), entSize));
        }
        fileBackedTable(addr.getAsLong(), size.getAsLong(), name);
        return size.getAsLong() / entSize;
    }

    /** File offset of a [vaddr, +size) table that must be file-backed in one PT_LOAD segment. */
    private long fileBackedTable(long vaddr, long size, String name) throws ElfFormatException {
        for (ProgramHeader p : programHeaders) {
            if (p.type() == Elf.PT_LOAD && Long.compareUnsigned(vaddr, p.vaddr()) >= 0
                    && Long.compareUnsigned(vaddr - p.vaddr(), p.filesz()) <= 0
                    && Long.compareUnsigned(size, p.filesz() - (vaddr - p.vaddr())) <= 0) {
                return p.offset() + (vaddr - p.vaddr());
            }
        }
        throw bytes.error(String.format("%s table [0x%x, +0x%x) is outside the loaded segments", name, vaddr, size));
    }
}
