package dev.zjvm.loader.elf;

/** One Elf64_Dyn entry from PT_DYNAMIC. */
public record DynamicEntry(long tag, long value) {
}
