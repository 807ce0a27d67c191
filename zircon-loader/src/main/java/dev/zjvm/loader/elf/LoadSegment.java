package dev.zjvm.loader.elf;

/**
 * One page-aligned piece of the image to map. Addresses are link-time addresses: add the load
 * bias (base of the mapping minus {@link LoadPlan#minVaddr()}) to place it.
 *
 * <p>Memory [vaddr, vaddr+filesz) comes from file bytes [fileOffset, fileOffset+filesz);
 * [vaddr+filesz, vaddr+memsz) is zero (bss and the tail of the last file page).
 *
 * @param perms permissions while the image is being started (from p_flags)
 * @param relro the piece lies in PT_GNU_RELRO: it becomes read-only once relocation is done
 */
public record LoadSegment(long vaddr, long memsz, long filesz, long fileOffset, MemoryPerms perms, boolean relro) {
    public long end() {
        return vaddr + memsz;
    }

    /** Permissions after relocation: RELRO pieces lose write. */
    public MemoryPerms finalPerms() {
        return relro ? perms.withoutWrite() : perms;
    }
}
