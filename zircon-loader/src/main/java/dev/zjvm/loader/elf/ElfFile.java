package dev.zjvm.loader.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A parsed, validated ELF64 little-endian x86-64 image (executable or shared object).
 *
 * <p>Every table and string is bounds-checked while parsing, so a malformed file is reported as
 * an {@link ElfFormatException} naming the file and the problem, never as an index error.
 * Immutable; the image bytes are copied once.
 */
public final class ElfFile {
    private final String source;
    private final byte[] image;
    private final ByteBuffer buf;
    private final ElfHeader header;
    private final List<ProgramHeader> programHeaders;
    private final List<SectionHeader> sections;
    private final List<ElfSymbol> symtab;
    private final List<ElfSymbol> dynsym;
    private final DynamicInfo dynamic;
    private final Optional<String> interpreter;

    private ElfFile(String source, byte[] image) throws ElfFormatException {
        this.source = source;
        this.image = image;
        this.buf = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        this.header = parseHeader();
        this.programHeaders = parseProgramHeaders();
        this.sections = parseSections();
        this.symtab = parseSymbols(Elf.SHT_SYMTAB, ElfSymbol.Table.SYMTAB);
        this.dynsym = parseSymbols(Elf.SHT_DYNSYM, ElfSymbol.Table.DYNSYM);
        this.interpreter = parseInterpreter();
        this.dynamic = parseDynamic();
    }

    /** Parses {@code bytes} (copied); {@code source} names the image in error messages. */
    public static ElfFile parse(String source, byte[] bytes) throws ElfFormatException {
        return new ElfFile(source, bytes.clone());
    }

    /** Parses the remaining bytes of {@code bytes} without changing its position. */
    public static ElfFile parse(String source, ByteBuffer bytes) throws ElfFormatException {
        byte[] copy = new byte[bytes.remaining()];
        bytes.duplicate().get(copy);
        return new ElfFile(source, copy);
    }

    /** Reads and parses a file; the file name is used in error messages. */
    public static ElfFile read(Path path) throws IOException, ElfFormatException {
        return new ElfFile(path.getFileName().toString(), Files.readAllBytes(path));
    }

    public String source() {
        return source;
    }

    public ElfHeader header() {
        return header;
    }

    public long entry() {
        return header.entry();
    }

    public int size() {
        return image.length;
    }

    /** A read-only little-endian view of the whole file. */
    public ByteBuffer bytes() {
        return ByteBuffer.wrap(image).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A copy of the whole file. */
    public byte[] toByteArray() {
        return image.clone();
    }

    public List<ProgramHeader> programHeaders() {
        return programHeaders;
    }

    public List<ProgramHeader> programHeaders(int type) {
        return programHeaders.stream().filter(p -> p.type() == type).toList();
    }

    public Optional<ProgramHeader> programHeader(int type) {
        return programHeaders.stream().filter(p -> p.type() == type).findFirst();
    }

    public List<SectionHeader> sections() {
        return sections;
    }

    public Optional<SectionHeader> section(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** PT_INTERP's path, if the image asks for a dynamic linker. */
    public Optional<String> interpreter() {
        return interpreter;
    }

    public DynamicInfo dynamic() {
        return dynamic;
    }

    /** PT_GNU_STACK's p_memsz when present and non-zero (a requested stack size). */
    public OptionalLong requestedStackSize() {
        return programHeader(Elf.PT_GNU_STACK).filter(p -> p.memsz() != 0)
                .map(p -> OptionalLong.of(p.memsz())).orElse(OptionalLong.empty());
    }

    /** Symbols of .symtab (empty when stripped), without the null symbol. */
    public List<ElfSymbol> symtab() {
        return symtab;
    }

    /** Symbols of .dynsym, without the null symbol. */
    public List<ElfSymbol> dynsym() {
        return dynsym;
    }

    /**
     * Every symbol called {@code name}, LOCAL ones included: all matches from .symtab, then the
     * .dynsym matches that .symtab does not already list at the same address.
     */
    public List<ElfSymbol> findSymbols(String name) {
        List<ElfSymbol> found = new ArrayList<>();
        for (ElfSymbol s : symtab) {
            if (s.name().equals(name)) {
                found.add(s);
            }
        }
        for (ElfSymbol s : dynsym) {
            if (s.name().equals(name) && found.stream().noneMatch(f -> f.value() == s.value())) {
                found.add(s);
            }
        }
        return Collections.unmodifiableList(found);
    }

    /** The defined symbol called {@code name}, preferring GLOBAL/WEAK over LOCAL definitions. */
    public Optional<ElfSymbol> findSymbol(String name) {
        List<ElfSymbol> all = findSymbols(name).stream().filter(ElfSymbol::isDefined).toList();
        return all.stream().filter(s -> !s.isLocal()).findFirst().or(() -> all.stream().findFirst());
    }

    /** Like {@link #findSymbol} but a missing symbol is a format error naming the file. */
    public ElfSymbol requireSymbol(String name) throws ElfFormatException {
        return findSymbol(name).orElseThrow(() -> error("no symbol '" + name + "' in .symtab or .dynsym"));
    }

    /** File offset holding virtual address {@code vaddr}, if a PT_LOAD maps it from the file. */
    public OptionalLong vaddrToOffset(long vaddr) {
        for (ProgramHeader p : programHeaders) {
            if (p.type() == Elf.PT_LOAD && Long.compareUnsigned(vaddr, p.vaddr()) >= 0
                    && Long.compareUnsigned(vaddr - p.vaddr(), p.filesz()) < 0) {
                return OptionalLong.of(p.offset() + (vaddr - p.vaddr()));
            }
        }
        return OptionalLong.empty();
    }

    /** Virtual address at which file offset {@code offset} is loaded, if any PT_LOAD covers it. */
    public OptionalLong offsetToVaddr(long offset) {
        for (ProgramHeader p : programHeaders) {
            if (p.type() == Elf.PT_LOAD && Long.compareUnsigned(offset, p.offset()) >= 0
                    && Long.compareUnsigned(offset - p.offset(), p.filesz()) < 0) {
                return OptionalLong.of(p.vaddr() + (offset - p.offset()));
            }
        }
        return OptionalLong.empty();
    }

    /** {@code length} file bytes loaded at {@code vaddr}; the range must lie in one segment's file part. */
    public byte[] readVaddr(long vaddr, int length) throws ElfFormatException {
        OptionalLong off = vaddrToOffset(vaddr);
        if (off.isEmpty() || (length > 0 && vaddrToOffset(vaddr + length - 1).orElse(-1) != off.getAsLong() + length - 1)) {
            throw error(String.format("[0x%x, +0x%x) is not file-backed in one PT_LOAD segment", vaddr, length));
        }
        byte[] out = new byte[length];
        System.arraycopy(image, (int) off.getAsLong(), out, 0, length);
        return out;
    }

    /**
     * Read-only view of the file bytes a plan piece maps: [fileOffset, fileOffset + filesz). The
     * plan guarantees the range lies in the file; the rest of the piece is zero.
     */
    public ByteBuffer contents(LoadSegment piece) {
        return ByteBuffer.wrap(image, (int) piece.fileOffset(), (int) piece.filesz()).slice().asReadOnlyBuffer()
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The PIE load plan (page-aligned pieces, RELRO split, span); see {@link LoadPlan}. */
    public LoadPlan loadPlan() throws ElfFormatException {
        return LoadPlan.of(this);
    }

    ElfFormatException error(String problem) {
        return new ElfFormatException(source, problem);
    }

    // ---- parsing ----

    private void checkRange(long offset, long length, String what) throws ElfFormatException {
        if (offset < 0 || length < 0 || offset > image.length || length > image.length - offset) {
            throw error(String.format("%s [0x%x, +0x%x) is outside the file (%d bytes)",
                    what, offset, length, image.length));
        }
    }

    private ElfHeader parseHeader() throws ElfFormatException {
        if (image.length < 4 || image[0] != 0x7f || image[1] != 'E' || image[2] != 'L' || image[3] != 'F') {
            throw error("not an ELF file (bad magic)");
        }
        if (image.length < Elf.EHDR_SIZE) {
            throw error("truncated: " + image.length + " bytes, an ELF64 header needs " + Elf.EHDR_SIZE);
        }
        if (image[4] != Elf.ELFCLASS64) {
            throw error("not a 64-bit ELF file (EI_CLASS " + image[4] + ")");
        }
        if (image[5] != Elf.ELFDATA2LSB) {
            throw error("not a little-endian ELF file (EI_DATA " + image[5] + ")");
        }
        if (image[6] != Elf.EV_CURRENT || buf.getInt(20) != Elf.EV_CURRENT) {
            throw error("unsupported ELF version");
        }
        int type = Short.toUnsignedInt(buf.getShort(16));
        int machine = Short.toUnsignedInt(buf.getShort(18));
        if (machine != Elf.EM_X86_64) {
            throw error("wrong machine " + machine + " (expected x86-64, EM_X86_64 = 62)");
        }
        if (type != Elf.ET_DYN && type != Elf.ET_EXEC) {
            throw error("not an executable or shared object: " + Elf.typeName(type));
        }
        long entry = buf.getLong(24);
        long phoff = buf.getLong(32);
        long shoff = buf.getLong(40);
        int ehsize = Short.toUnsignedInt(buf.getShort(52));
        int phentsize = Short.toUnsignedInt(buf.getShort(54));
        int phnum = Short.toUnsignedInt(buf.getShort(56));
        int shentsize = Short.toUnsignedInt(buf.getShort(58));
        int shnum = Short.toUnsignedInt(buf.getShort(60));
        int shstrndx = Short.toUnsignedInt(buf.getShort(62));
        if (ehsize < Elf.EHDR_SIZE) {
            throw error("bad e_ehsize " + ehsize);
        }
        if (phnum == Elf.PN_XNUM) {
            throw error("more than 65534 program headers (PN_XNUM) is not supported");
        }
        if (phnum > 0) {
            if (phentsize != Elf.PHDR_SIZE) {
                throw error("bad e_phentsize " + phentsize + " (expected " + Elf.PHDR_SIZE + ")");
            }
            checkRange(phoff, (long) phnum * Elf.PHDR_SIZE, "program header table");
        }
        if (shoff != 0) {
            if (shentsize != Elf.SHDR_SIZE) {
                throw error("bad e_shentsize " + shentsize + " (expected " + Elf.SHDR_SIZE + ")");
            }
            checkRange(shoff, Elf.SHDR_SIZE, "section header table");
            // Extended numbering: the real counts live in section 0.
            if (shnum == 0) {
                long extended = buf.getLong((int) shoff + 32);
                if (extended < 0 || extended > Integer.MAX_VALUE) {
                    throw error("bad extended section count " + extended);
                }
                shnum = (int) extended;
            }
            if (shstrndx == Elf.SHN_XINDEX) {
                shstrndx = buf.getInt((int) shoff + 40);
            }
            checkRange(shoff, (long) shnum * Elf.SHDR_SIZE, "section header table");
            if (shstrndx != Elf.SHN_UNDEF && Integer.compareUnsigned(shstrndx, shnum) >= 0) {
                throw error("section-name table index " + Integer.toUnsignedString(shstrndx)
                        + " out of range (" + shnum + " sections)");
            }
        } else {
            shnum = 0;
            shstrndx = Elf.SHN_UNDEF;
        }
        return new ElfHeader(type, machine, entry, phoff, shoff, phnum, shnum, shstrndx);
    }

    private List<ProgramHeader> parseProgramHeaders() throws ElfFormatException {
        List<ProgramHeader> list = new ArrayList<>(header.phnum());
        for (int i = 0; i < header.phnum(); i++) {
            int at = (int) (header.phoff() + (long) i * Elf.PHDR_SIZE);
            ProgramHeader p = new ProgramHeader(buf.getInt(at), buf.getInt(at + 4), buf.getLong(at + 8),
                    buf.getLong(at + 16), buf.getLong(at + 24), buf.getLong(at + 32), buf.getLong(at + 40),
                    buf.getLong(at + 48));
            String what = "program header " + i + " (" + ProgramHeader.typeName(p.type()) + ")";
            if (p.type() != Elf.PT_NULL && p.type() != Elf.PT_GNU_STACK) {
                checkRange(p.offset(), p.filesz(), what + " file range");
            }
            if (Long.compareUnsigned(p.filesz(), p.memsz()) > 0 && p.type() == Elf.PT_LOAD) {
                throw error(String.format("%s has p_filesz 0x%x > p_memsz 0x%x", what, p.filesz(), p.memsz()));
            }
            if (p.vaddr() < 0 || p.memsz() < 0 || p.vaddr() + p.memsz() < 0) {
                throw error(String.format("%s address range [0x%x, +0x%x) overflows",
                        what, p.vaddr(), p.memsz()));
            }
            if (p.align() != 0 && Long.bitCount(p.align()) != 1) {
                throw error(String.format("%s alignment 0x%x is not a power of two", what, p.align()));
            }
            list.add(p);
        }
        return List.copyOf(list);
    }

    private List<SectionHeader> parseSections() throws ElfFormatException {
        int n = header.shnum();
        long[][] raw = new long[n][];
        for (int i = 0; i < n; i++) {
            int at = (int) (header.shoff() + (long) i * Elf.SHDR_SIZE);
            raw[i] = new long[] {Integer.toUnsignedLong(buf.getInt(at)), Integer.toUnsignedLong(buf.getInt(at + 4)),
                buf.getLong(at + 8), buf.getLong(at + 16), buf.getLong(at + 24), buf.getLong(at + 32),
                Integer.toUnsignedLong(buf.getInt(at + 40)), Integer.toUnsignedLong(buf.getInt(at + 44)),
                buf.getLong(at + 48), buf.getLong(at + 56)};
            int type = (int) raw[i][1];
            if (type != Elf.SHT_NULL && type != Elf.SHT_NOBITS) {
                checkRange(raw[i][4], raw[i][5], "section " + i + " contents");
            }
        }
        long strOff = 0;
        long strSize = 0;
        if (header.shstrndx() != Elf.SHN_UNDEF) {
            long[] strtab = raw[header.shstrndx()];
            if ((int) strtab[1] != Elf.SHT_STRTAB) {
                throw error("section-name table (section " + header.shstrndx() + ") is not SHT_STRTAB");
            }
            strOff = strtab[4];
            strSize = strtab[5];
        }
        List<SectionHeader> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long[] r = raw[i];
            String name = strSize == 0 ? "" : cString(strOff, strSize, r[0], "section " + i + " name");
            list.add(new SectionHeader(i, name, (int) r[1], r[2], r[3], r[4], r[5], (int) r[6], (int) r[7],
                    r[8], r[9]));
        }
        return List.copyOf(list);
    }

    private String cString(long tableOff, long tableSize, long index, String what) throws ElfFormatException {
        if (index < 0 || index >= tableSize) {
            throw error(String.format("%s: string index 0x%x outside its table (0x%x bytes)", what, index, tableSize));
        }
        int start = (int) (tableOff + index);
        int limit = (int) (tableOff + tableSize);
        for (int i = start; i < limit; i++) {
            if (image[i] == 0) {
                return new String(image, start, i - start, StandardCharsets.UTF_8);
            }
        }
        throw error(what + ": string is not NUL-terminated within its table");
    }

    private List<ElfSymbol> parseSymbols(int sectionType, ElfSymbol.Table table) throws ElfFormatException {
        List<ElfSymbol> list = new ArrayList<>();
        for (SectionHeader s : sections) {
            if (s.type() != sectionType) {
                continue;
            }
            String what = "symbol table " + s.name() + " (section " + s.index() + ")";
            if (s.entsize() != Elf.SYM_SIZE || s.size() % Elf.SYM_SIZE != 0) {
                throw error(String.format("%s has entry size 0x%x / size 0x%x, expected multiples of %d",
                        what, s.entsize(), s.size(), Elf.SYM_SIZE));
            }
            if (s.link() <= 0 || s.link() >= sections.size() || sections.get(s.link()).type() != Elf.SHT_STRTAB) {
                throw error(what + " links to section " + s.link() + ", which is not a string table");
            }
            SectionHeader strings = sections.get(s.link());
            long count = s.size() / Elf.SYM_SIZE;
            for (long i = 1; i < count; i++) {
                int at = (int) (s.offset() + i * Elf.SYM_SIZE);
                long nameIndex = Integer.toUnsignedLong(buf.getInt(at));
                int info = Byte.toUnsignedInt(buf.get(at + 4));
                int other = Byte.toUnsignedInt(buf.get(at + 5));
                int shndx = Short.toUnsignedInt(buf.getShort(at + 6));
                String name = cString(strings.offset(), strings.size(), nameIndex, what + " entry " + i);
                list.add(new ElfSymbol(name, buf.getLong(at + 8), buf.getLong(at + 16), info >>> 4, info & 0xf,
                        other & 0x3, shndx, table));
            }
        }
        return List.copyOf(list);
    }

    private Optional<String> parseInterpreter() throws ElfFormatException {
        Optional<ProgramHeader> interp = programHeader(Elf.PT_INTERP);
        if (interp.isEmpty()) {
            return Optional.empty();
        }
        ProgramHeader p = interp.get();
        if (p.filesz() < 2) {
            throw error("PT_INTERP is empty");
        }
        return Optional.of(cString(p.offset(), p.filesz(), 0, "PT_INTERP"));
    }

    private DynamicInfo parseDynamic() throws ElfFormatException {
        Optional<ProgramHeader> dyn = programHeader(Elf.PT_DYNAMIC);
        if (dyn.isEmpty()) {
            return DynamicInfo.NONE;
        }
        ProgramHeader p = dyn.get();
        List<DynamicEntry> entries = new ArrayList<>();
        for (long off = 0; off + Elf.DYN_SIZE <= p.filesz(); off += Elf.DYN_SIZE) {
            int at = (int) (p.offset() + off);
            long tag = buf.getLong(at);
            if (tag == Elf.DT_NULL) {
                break;
            }
            entries.add(new DynamicEntry(tag, buf.getLong(at + 8)));
        }
        long relaCount = tableCount(entries, Elf.DT_RELA, Elf.DT_RELASZ, Elf.DT_RELAENT, 24, "DT_RELA");
        long relCount = tableCount(entries, Elf.DT_REL, Elf.DT_RELSZ, Elf.DT_RELENT, 16, "DT_REL");
        long pltEntSize = dynValue(entries, Elf.DT_PLTREL).orElse(Elf.DT_RELA) == Elf.DT_REL ? 16 : 24;
        long pltCount = tableCount(entries, Elf.DT_JMPREL, Elf.DT_PLTRELSZ, -1, pltEntSize, "DT_JMPREL");
        long relrBytes = tableCount(entries, Elf.DT_RELR, Elf.DT_RELRSZ, -1, 8, "DT_RELR") * 8;
        boolean textRel = dynValue(entries, Elf.DT_TEXTREL).isPresent()
                || (dynValue(entries, Elf.DT_FLAGS).orElse(0) & Elf.DF_TEXTREL) != 0;
        List<String> needed = new ArrayList<>();
        OptionalLong strtab = dynValue(entries, Elf.DT_STRTAB);
        OptionalLong strsz = dynValue(entries, Elf.DT_STRSZ);
        for (DynamicEntry e : entries) {
            if (e.tag() == Elf.DT_NEEDED) {
                if (strtab.isEmpty() || strsz.isEmpty()) {
                    throw error("DT_NEEDED without DT_STRTAB/DT_STRSZ");
                }
                long off = checkedTable(strtab.getAsLong(), strsz.getAsLong(), "DT_STRTAB");
                needed.add(cString(off, strsz.getAsLong(), e.value(), "DT_NEEDED"));
            }
        }
        return new DynamicInfo(entries, relaCount, relCount, pltCount, relrBytes, textRel, needed);
    }

    private static OptionalLong dynValue(List<DynamicEntry> entries, long tag) {
        for (DynamicEntry e : entries) {
            if (e.tag() == tag) {
                return OptionalLong.of(e.value());
            }
        }
        return OptionalLong.empty();
    }

    /** Validates a relocation table named by address/size tags and returns its entry count. */
    private long tableCount(List<DynamicEntry> entries, long addrTag, long sizeTag, long entTag, long entSize,
                            String name) throws ElfFormatException {
        OptionalLong addr = dynValue(entries, addrTag);
        OptionalLong size = dynValue(entries, sizeTag);
        if (addr.isEmpty() && size.isEmpty()) {
            return 0;
        }
        if (addr.isEmpty() || size.isEmpty()) {
            throw error(name + " table has an address or a size but not both");
        }
        if (entTag >= 0) {
            OptionalLong ent = dynValue(entries, entTag);
            if (ent.isPresent() && ent.getAsLong() != entSize) {
                throw error(String.format("%s entry size %d, expected %d", name, ent.getAsLong(), entSize));
            }
        }
        if (size.getAsLong() % entSize != 0) {
            throw error(String.format("%s size 0x%x is not a multiple of %d", name, size.getAsLong(), entSize));
        }
        checkedTable(addr.getAsLong(), size.getAsLong(), name);
        return size.getAsLong() / entSize;
    }

    /** File offset of a [vaddr, +size) table that must be file-backed in one PT_LOAD segment. */
    private long checkedTable(long vaddr, long size, String name) throws ElfFormatException {
        for (ProgramHeader p : programHeaders) {
            if (p.type() == Elf.PT_LOAD && Long.compareUnsigned(vaddr, p.vaddr()) >= 0
                    && Long.compareUnsigned(vaddr - p.vaddr(), p.filesz()) <= 0
                    && Long.compareUnsigned(size, p.filesz() - (vaddr - p.vaddr())) <= 0) {
                return p.offset() + (vaddr - p.vaddr());
            }
        }
        throw error(String.format("%s table [0x%x, +0x%x) is outside the loaded segments", name, vaddr, size));
    }
}
