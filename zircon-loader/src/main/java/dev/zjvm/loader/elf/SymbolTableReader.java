package dev.zjvm.loader.elf;

import java.util.ArrayList;
import java.util.List;

/** Reads .symtab or .dynsym (every section of the given type) with its linked string table. */
final class SymbolTableReader {
    private SymbolTableReader() {}

    static List<ElfSymbol> read(ElfBytes bytes, List<SectionHeader> sections, int sectionType, ElfSymbol.Table table)
            throws ElfFormatException {
        List<ElfSymbol> list = new ArrayList<>();
        for (SectionHeader s : sections) {
            if (s.type() != sectionType) {
                continue;
            }
            String what = "symbol table " + s.name() + " (section " + s.index() + ")";
            if (s.entsize() != Elf.SYM_SIZE || s.size() % Elf.SYM_SIZE != 0) {
                throw bytes.error(String.format("%s has entry size 0x%x / size 0x%x, expected multiples of %d",
                        what, s.entsize(), s.size(), Elf.SYM_SIZE));
            }
            if (s.link() <= 0 || s.link() >= sections.size() || sections.get(s.link()).type() != Elf.SHT_STRTAB) {
                throw bytes.error(what + " links to section " + s.link() + ", which is not a string table");
            }
            SectionHeader strings = sections.get(s.link());
            long count = s.size() / Elf.SYM_SIZE;
            // Entry 0 is the null symbol.
            for (long i = 1; i < count; i++) {
                long at = s.offset() + i * Elf.SYM_SIZE;
                int info = bytes.u8(at + 4);
                String name = bytes.cString(strings.offset(), strings.size(), bytes.u32(at), what + " entry " + i);
                list.add(new ElfSymbol(name, bytes.i64(at + 8), bytes.i64(at + 16), info >>> 4, info & 0xf,
                        bytes.u8(at + 5) & 0x3, bytes.u16(at + 6), table));
            }
        }
        return List.copyOf(list);
    }
}
