package dev.zjvm.loader.elf;

/** Access permissions of a mapped range, from a program header's p_flags. */
public record MemoryPerms(boolean read, boolean write, boolean execute) {
    public static final MemoryPerms READ_ONLY = new MemoryPerms(true, false, false);

    public static MemoryPerms fromFlags(int pFlags) {
        return new MemoryPerms((pFlags & Elf.PF_R) != 0, (pFlags & Elf.PF_W) != 0, (pFlags & Elf.PF_X) != 0);
    }

    public MemoryPerms withoutWrite() {
        return new MemoryPerms(read, false, execute);
    }

    @Override
    public String toString() {
        return (read ? "r" : "-") + (write ? "w" : "-") + (execute ? "x" : "-");
    }
}
