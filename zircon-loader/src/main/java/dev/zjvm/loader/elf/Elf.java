package dev.zjvm.loader.elf;

/** ELF64 constants used by the parser and the loader (System V gABI, x86-64 psABI). */
public final class Elf {
    private Elf() {}

    public static final int EHDR_SIZE = 64;
    public static final int PHDR_SIZE = 56;
    public static final int SHDR_SIZE = 64;
    public static final int SYM_SIZE = 24;
    public static final int DYN_SIZE = 16;

    public static final int ELFCLASS64 = 2;
    public static final int ELFDATA2LSB = 1;
    public static final int EV_CURRENT = 1;

    public static final int ET_REL = 1;
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;
    public static final int ET_CORE = 4;

    public static final int EM_X86_64 = 62;

    public static final int PT_NULL = 0;
    public static final int PT_LOAD = 1;
    public static final int PT_DYNAMIC = 2;
    public static final int PT_INTERP = 3;
    public static final int PT_NOTE = 4;
    public static final int PT_PHDR = 6;
    public static final int PT_TLS = 7;
    public static final int PT_GNU_EH_FRAME = 0x6474e550;
    public static final int PT_GNU_STACK = 0x6474e551;
    public static final int PT_GNU_RELRO = 0x6474e552;
    public static final int PT_GNU_PROPERTY = 0x6474e553;

    public static final int PF_X = 1;
    public static final int PF_W = 2;
    public static final int PF_R = 4;

    public static final int SHT_NULL = 0;
    public static final int SHT_SYMTAB = 2;
    public static final int SHT_STRTAB = 3;
    public static final int SHT_NOBITS = 8;
    public static final int SHT_DYNSYM = 11;

    public static final int SHN_UNDEF = 0;
    public static final int SHN_LORESERVE = 0xff00;
    public static final int SHN_ABS = 0xfff1;
    public static final int SHN_XINDEX = 0xffff;
    public static final int PN_XNUM = 0xffff;

    public static final int STB_LOCAL = 0;
    public static final int STB_GLOBAL = 1;
    public static final int STB_WEAK = 2;

    public static final int STT_NOTYPE = 0;
    public static final int STT_OBJECT = 1;
    public static final int STT_FUNC = 2;

    public static final int STV_DEFAULT = 0;
    public static final int STV_HIDDEN = 2;

    public static final long DT_NULL = 0;
    public static final long DT_NEEDED = 1;
    public static final long DT_PLTRELSZ = 2;
    public static final long DT_STRTAB = 5;
    public static final long DT_SYMTAB = 6;
    public static final long DT_RELA = 7;
    public static final long DT_RELASZ = 8;
    public static final long DT_RELAENT = 9;
    public static final long DT_STRSZ = 10;
    public static final long DT_REL = 17;
    public static final long DT_RELSZ = 18;
    public static final long DT_RELENT = 19;
    public static final long DT_PLTREL = 20;
    public static final long DT_TEXTREL = 22;
    public static final long DT_JMPREL = 23;
    public static final long DT_FLAGS = 30;
    public static final long DT_RELRSZ = 35;
    public static final long DT_RELR = 36;
    public static final long DF_TEXTREL = 4;

    /** Zircon's page size: segments are mapped at this granularity. */
    public static final long PAGE_SIZE = 4096;

    public static long pageDown(long v) {
        return v & -PAGE_SIZE;
    }

    public static long pageUp(long v) {
        return Math.addExact(v, PAGE_SIZE - 1) & -PAGE_SIZE;
    }

    static String typeName(int type) {
        return switch (type) {
            case 0 -> "ET_NONE";
            case ET_REL -> "ET_REL (relocatable object)";
            case ET_EXEC -> "ET_EXEC (fixed-address executable)";
            case ET_DYN -> "ET_DYN";
            case ET_CORE -> "ET_CORE (core dump)";
            default -> "unknown type " + type;
        };
    }
}
