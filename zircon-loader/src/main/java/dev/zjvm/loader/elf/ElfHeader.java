package dev.zjvm.loader.elf;

/** The fields of the ELF64 file header the loader uses. */
public record ElfHeader(int type, int machine, long entry, long phoff, long shoff,
                        int phnum, int shnum, int shstrndx) {
    public boolean isPositionIndependent() {
        return type == Elf.ET_DYN;
    }
}
