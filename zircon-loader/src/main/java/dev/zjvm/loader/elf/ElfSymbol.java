package dev.zjvm.loader.elf;

/** One symbol from .symtab or .dynsym. {@code value} is the link-time virtual address. */
public record ElfSymbol(String name, long value, long size, int bind, int type, int visibility,
                        int sectionIndex, Table table) {

    /** Which symbol table a symbol came from. */
    public enum Table { SYMTAB, DYNSYM }

    public boolean isLocal() {
        return bind == Elf.STB_LOCAL;
    }

    public boolean isDefined() {
        return sectionIndex != Elf.SHN_UNDEF;
    }

    @Override
    public String toString() {
        return String.format("%s@0x%x[size 0x%x, bind %d, type %d, %s]", name, value, size, bind, type, table);
    }
}
