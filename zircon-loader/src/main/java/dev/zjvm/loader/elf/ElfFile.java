package dev.zjvm.loader.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
    private final ElfBytes bytes;
    private final byte[] image;
    private final ElfHeader header;
    private final List<ProgramHeader> programHeaders;
    private final List<SectionHeader> sections;
    private final List<ElfSymbol> symtab;
    private final List<ElfSymbol> dynsym;
    private final DynamicInfo dynamic;
    private final Optional<String> interpreter;

    private ElfFile(String source, byte[] image) throws ElfFormatException {
        this.bytes = new ElfBytes(source, image);
        this.image = image;
        this.header = parseHeader();
        this.programHeaders = parseProgramHeaders();
        this.sections = parseSections();
        this.symtab = SymbolTableReader.read(bytes, sections, Elf.SHT_SYMTAB, ElfSymbol.Table.SYMTAB);
        this.dynsym = SymbolTableReader.read(bytes, sections, Elf.SHT_DYNSYM, ElfSymbol.Table.DYNSYM);
        this.interpreter = parseInterpreter();
        this.dynamic = DynamicReader.read(bytes, programHeaders);
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

    /** Largest file {@link #read} accepts; guest images are a few MiB. */
    public static final long MAX_FILE_SIZE = 1L << 30;

    /** Reads and parses a file; the file name is used in error messages. */
    public static ElfFile read(Path path) throws IOException, ElfFormatException {
        String name = path.getFileName().toString();
        if (Files.size(path) > MAX_FILE_SIZE) {
            throw new ElfFormatException(name, "too large (" + Files.size(path) + " bytes)");
        }
        return new ElfFile(name, Files.readAllBytes(path));
    }

    public String source() {
        return bytes.source();
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
        return bytes.error(problem);
    }

    // ---- parsing: file header, program headers, section headers ----

    private void checkRange(long offset, long length, String what) throws ElfFormatException {
        bytes.checkRange(offset, length, what);
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
        if (image[6] != Elf.EV_CURRENT || bytes.i32(20) != Elf.EV_CURRENT) {
            throw error("unsupported ELF version");
        }
        int type = bytes.u16(16);
        int machine = bytes.u16(18);
        if (machine != Elf.EM_X86_64) {
            throw error("wrong machine " + machine + " (expected x86-64, EM_X86_64 = 62)");
        }
        if (type != Elf.ET_DYN && type != Elf.ET_EXEC) {
            throw error("not an executable or shared object: " + Elf.typeName(type));
        }
        long entry = bytes.i64(24);
        long phoff = bytes.i64(32);
        long shoff = bytes.i64(40);
        int ehsize = bytes.u16(52);
        int phentsize = bytes.u16(54);
        int phnum = bytes.u16(56);
        int shentsize = bytes.u16(58);
        int shnum = bytes.u16(60);
        int shstrndx = bytes.u16(62);
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
                long extended = bytes.i64(shoff + 32);
                if (extended < 0 || extended > Integer.MAX_VALUE) {
                    throw error("bad extended section count " + extended);
                }
                shnum = (int) extended;
            }
            if (shstrndx == Elf.SHN_XINDEX) {
                shstrndx = bytes.i32(shoff + 40);
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
            ProgramHeader p = new ProgramHeader(bytes.i32(at), bytes.i32(at + 4), bytes.i64(at + 8),
                    bytes.i64(at + 16), bytes.i64(at + 24), bytes.i64(at + 32), bytes.i64(at + 40),
                    bytes.i64(at + 48));
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
            raw[i] = new long[] {bytes.u32(at), bytes.u32(at + 4),
                bytes.i64(at + 8), bytes.i64(at + 16), bytes.i64(at + 24), bytes.i64(at + 32),
                bytes.u32(at + 40), bytes.u32(at + 44),
                bytes.i64(at + 48), bytes.i64(at + 56)};
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
            String name = strSize == 0 ? "" : bytes.cString(strOff, strSize, r[0], "section " + i + " name");
            list.add(new SectionHeader(i, name, (int) r[1], r[2], r[3], r[4], r[5], (int) r[6], (int) r[7],
                    r[8], r[9]));
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
        return Optional.of(bytes.cString(p.offset(), p.filesz(), 0, "PT_INTERP"));
    }
}
