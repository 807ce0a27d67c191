package dev.zjvm.loader.elf;

/** One ELF64 section header, with its name resolved from the section-name string table. */
public record SectionHeader(int index, String name, int type, long flags, long addr, long offset,
                            long size, int link, int info, long addralign, long entsize) {
}
