package dev.zjvm.loader.elf;

/** One ELF64 program header (p_* fields). */
public record ProgramHeader(int type, int flags, long offset, long vaddr, long paddr,
                            long filesz, long memsz, long align) {
    public MemoryPerms perms() {
        return MemoryPerms.fromFlags(flags);
    }

    public long end() {
        return vaddr + memsz;
    }

    public boolean containsVaddr(long addr) {
        return Long.compareUnsigned(addr, vaddr) >= 0 && Long.compareUnsigned(addr - vaddr, memsz) < 0;
    }

    public static String typeName(int type) {
        return switch (type) {
            case Elf.PT_NULL -> "PT_NULL";
            case Elf.PT_LOAD -> "PT_LOAD";
            case Elf.PT_DYNAMIC -> "PT_DYNAMIC";
            case Elf.PT_INTERP -> "PT_INTERP";
            case Elf.PT_NOTE -> "PT_NOTE";
            case Elf.PT_PHDR -> "PT_PHDR";
            case Elf.PT_TLS -> "PT_TLS";
            case Elf.PT_GNU_EH_FRAME -> "PT_GNU_EH_FRAME";
            case Elf.PT_GNU_STACK -> "PT_GNU_STACK";
            case Elf.PT_GNU_RELRO -> "PT_GNU_RELRO";
            case Elf.PT_GNU_PROPERTY -> "PT_GNU_PROPERTY";
            default -> String.format("PT_0x%x", type);
        };
    }
}
