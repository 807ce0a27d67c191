package dev.zjvm.loader.elf;

import java.util.List;

/**
 * What PT_DYNAMIC says about relocation and linking. The kernel does not relocate guest
 * images: a static PIE relocates itself (or needs nothing), so this is validated and reported.
 *
 * @param entries    all entries up to DT_NULL (empty when there is no PT_DYNAMIC)
 * @param relaCount  number of Elf64_Rela entries in DT_RELA
 * @param relCount   number of Elf64_Rel entries in DT_REL
 * @param pltRelCount number of entries in DT_JMPREL
 * @param relrBytes  size of the DT_RELR table in bytes
 * @param textRel    DT_TEXTREL or DF_TEXTREL: relocations would write read-only/code pages
 * @param needed     DT_NEEDED library names (a self-contained image has none)
 */
public record DynamicInfo(List<DynamicEntry> entries, long relaCount, long relCount, long pltRelCount,
                          long relrBytes, boolean textRel, List<String> needed) {
    public static final DynamicInfo NONE = new DynamicInfo(List.of(), 0, 0, 0, 0, false, List.of());

    public DynamicInfo {
        entries = List.copyOf(entries);
        needed = List.copyOf(needed);
    }

    public boolean hasRelocations() {
        return relaCount + relCount + pltRelCount + relrBytes > 0;
    }
}
