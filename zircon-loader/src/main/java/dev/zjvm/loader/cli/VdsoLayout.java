package dev.zjvm.loader.cli;

import dev.zjvm.loader.elf.ElfFile;
import dev.zjvm.loader.elf.ElfFormatException;
import dev.zjvm.loader.elf.ElfSymbol;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the kernel patches a libos vDSO before any process exists (design.md §5, formats.md
 * §E.3/§E.4): the constants block and every {@code zcore_syscall_entry} slot. File offsets index
 * the vDSO VMO, which holds the file image.
 *
 * @param constantsVaddr      link-time address of DATA_CONSTANTS
 * @param constantsFileOffset its file offset (0x78 bytes are file-backed there)
 * @param slotVaddrs          link-time addresses of all zcore_syscall_entry slots, ascending
 * @param slotFileOffsets     their file offsets (8 bytes each, file-backed), same order
 */
public record VdsoLayout(long constantsVaddr, long constantsFileOffset, List<Long> slotVaddrs,
                         List<Long> slotFileOffsets) {
    public static final String CONSTANTS_SYMBOL = "DATA_CONSTANTS";
    /** VDSO_CONSTANTS_SIZE of the 2020 vDSO. */
    public static final long CONSTANTS_SIZE = 0x78;
    public static final String SYSCALL_ENTRY_SYMBOL = "zcore_syscall_entry";
    public static final int SLOT_SIZE = 8;

    public VdsoLayout {
        slotVaddrs = List.copyOf(slotVaddrs);
        slotFileOffsets = List.copyOf(slotFileOffsets);
    }

    /** Finds the layout; a vDSO without the libos symbols, or with them outside the file, is a format error. */
    public static VdsoLayout of(ElfFile vdso) throws ElfFormatException {
        Optional<ElfSymbol> constants = vdso.findSymbol(CONSTANTS_SYMBOL);
        if (constants.isEmpty()) {
            throw new ElfFormatException(vdso.source(), "no " + CONSTANTS_SYMBOL
                    + " symbol (a stripped or non-libos vDSO?)");
        }
        if (constants.get().size() < CONSTANTS_SIZE) {
            throw new ElfFormatException(vdso.source(), String.format("%s is 0x%x bytes, expected 0x%x",
                    CONSTANTS_SYMBOL, constants.get().size(), CONSTANTS_SIZE));
        }
        long constantsOffset = fileBacked(vdso, constants.get(), CONSTANTS_SIZE);
        List<ElfSymbol> slots = new ArrayList<>(vdso.findSymbols(SYSCALL_ENTRY_SYMBOL));
        if (slots.isEmpty()) {
            throw new ElfFormatException(vdso.source(), "no " + SYSCALL_ENTRY_SYMBOL + " symbol (not a libos vDSO)");
        }
        slots.sort((a, b) -> Long.compareUnsigned(a.value(), b.value()));
        List<Long> vaddrs = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        for (ElfSymbol slot : slots) {
            vaddrs.add(slot.value());
            offsets.add(fileBacked(vdso, slot, SLOT_SIZE));
        }
        return new VdsoLayout(constants.get().value(), constantsOffset, vaddrs, offsets);
    }

    private static long fileBacked(ElfFile vdso, ElfSymbol symbol, long size) throws ElfFormatException {
        long start = vdso.vaddrToOffset(symbol.value()).orElse(-1);
        long last = vdso.vaddrToOffset(symbol.value() + size - 1).orElse(-1);
        if (start < 0 || last != start + size - 1) {
            throw new ElfFormatException(vdso.source(), String.format(
                    "%s at 0x%x (+0x%x) is not file-backed in the read-only image", symbol.name(), symbol.value(), size));
        }
        return start;
    }
}
