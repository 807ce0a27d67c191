package dev.zjvm.syscall.abi.gen;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A deliberately small ELF64 little-endian reader for the vDSO drift test: program headers,
 * section headers, .symtab/.dynsym symbols, and bytes at a virtual address. Not the loader's
 * ELF parser; it trusts its input only as far as bounds checks go.
 */
final class ElfImage {
    static final int PT_LOAD = 1;
    static final int PT_DYNAMIC = 2;
    static final int PT_NOTE = 4;
    static final int PT_GNU_EH_FRAME = 0x6474e550;
    static final int PT_GNU_STACK = 0x6474e551;
    static final int PF_X = 1;
    static final int PF_W = 2;
    static final int PF_R = 4;
    static final int SHT_SYMTAB = 2;
    static final int SHT_RELA = 4;
    static final int SHT_REL = 9;
    static final int SHT_DYNSYM = 11;
    static final int STB_LOCAL = 0;
    static final int STB_GLOBAL = 1;
    static final int STB_WEAK = 2;
    static final int STT_NOTYPE = 0;
    static final int STT_OBJECT = 1;
    static final int STT_FUNC = 2;
    static final int STV_DEFAULT = 0;
    static final int STV_HIDDEN = 2;

    record Segment(int type, int flags, long offset, long vaddr, long fileSize, long memSize) {
    }

    record Section(String name, int type, long offset, long size, int link, long entSize) {
    }

    record Symbol(String name, long value, long size, int bind, int type, int visibility, int shndx) {
    }

    private final ByteBuffer buf;
    final int elfType;
    final int machine;
    final long entry;
    final List<Segment> segments = new ArrayList<>();
    final List<Section> sections = new ArrayList<>();
    final List<Symbol> symtab;
    final List<Symbol> dynsym;

    private ElfImage(byte[] bytes) {
        buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 64 || buf.getInt(0) != 0x464c457f || bytes[4] != 2 || bytes[5] != 1) {
            throw new IllegalArgumentException("not an ELF64 little-endian file");
        }
        elfType = Short.toUnsignedInt(buf.getShort(16));
        machine = Short.toUnsignedInt(buf.getShort(18));
        entry = buf.getLong(24);
        long phoff = buf.getLong(32);
        long shoff = buf.getLong(40);
        int phentsize = Short.toUnsignedInt(buf.getShort(54));
        int phnum = Short.toUnsignedInt(buf.getShort(56));
        int shentsize = Short.toUnsignedInt(buf.getShort(58));
        int shnum = Short.toUnsignedInt(buf.getShort(60));
        int shstrndx = Short.toUnsignedInt(buf.getShort(62));
        for (int i = 0; i < phnum; i++) {
            int at = checked(phoff + (long) i * phentsize, 56);
            segments.add(new Segment(buf.getInt(at), buf.getInt(at + 4), buf.getLong(at + 8), buf.getLong(at + 16),
                    buf.getLong(at + 32), buf.getLong(at + 40)));
        }
        List<long[]> raw = new ArrayList<>();
        for (int i = 0; i < shnum; i++) {
            int at = checked(shoff + (long) i * shentsize, 64);
            raw.add(new long[] {Integer.toUnsignedLong(buf.getInt(at)), buf.getInt(at + 4), buf.getLong(at + 24),
                    buf.getLong(at + 32), buf.getInt(at + 40), buf.getLong(at + 56)});
        }
        long[] strtab = shstrndx < raw.size() ? raw.get(shstrndx) : null;
        for (long[] s : raw) {
            String name = strtab == null ? "" : string(strtab[2] + s[0]);
            sections.add(new Section(name, (int) s[1], s[2], s[3], (int) s[4], s[5]));
        }
        symtab = symbols(SHT_SYMTAB);
        dynsym = symbols(SHT_DYNSYM);
    }

    static ElfImage read(Path file) throws IOException {
        return new ElfImage(Files.readAllBytes(file));
    }

    private int checked(long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > buf.capacity()) {
            throw new IllegalArgumentException("ELF structure out of bounds at " + offset);
        }
        return (int) offset;
    }

    private String string(long offset) {
        int start = checked(offset, 0);
        int end = start;
        while (end < buf.capacity() && buf.get(end) != 0) {
            end++;
        }
        byte[] b = new byte[end - start];
        buf.get(start, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private List<Symbol> symbols(int sectionType) {
        List<Symbol> out = new ArrayList<>();
        for (Section s : sections) {
            if (s.type() != sectionType) {
                continue;
            }
            Section names = sections.get(s.link());
            for (long at = s.offset() + 24; at + 24 <= s.offset() + s.size(); at += 24) { // skip the null symbol
                int p = checked(at, 24);
                int info = Byte.toUnsignedInt(buf.get(p + 4));
                out.add(new Symbol(string(names.offset() + Integer.toUnsignedLong(buf.getInt(p))), buf.getLong(p + 8),
                        buf.getLong(p + 16), info >> 4, info & 0xf, buf.get(p + 5) & 0x3,
                        Short.toUnsignedInt(buf.getShort(p + 6))));
            }
        }
        return List.copyOf(out);
    }

    /** The loadable segment containing this virtual address. */
    Optional<Segment> segmentAt(long vaddr) {
        return segments.stream()
                .filter(s -> s.type() == PT_LOAD && vaddr >= s.vaddr() && vaddr < s.vaddr() + s.fileSize())
                .findFirst();
    }

    /** {@code length} bytes of the loaded image at {@code vaddr}. */
    byte[] bytesAt(long vaddr, int length) {
        Segment s = segmentAt(vaddr).orElseThrow(() -> new IllegalArgumentException(
                "address 0x" + Long.toHexString(vaddr) + " is not in a loaded segment"));
        if (vaddr + length > s.vaddr() + s.fileSize()) {
            throw new IllegalArgumentException("range runs past its segment");
        }
        byte[] out = new byte[length];
        buf.get(checked(s.offset() + (vaddr - s.vaddr()), length), out);
        return out;
    }

    List<Symbol> symtabNamed(String name) {
        return symtab.stream().filter(s -> s.name().equals(name)).toList();
    }
}
