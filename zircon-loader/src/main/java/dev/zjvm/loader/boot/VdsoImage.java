package dev.zjvm.loader.boot;

import dev.zjvm.loader.elf.ElfFile;
import dev.zjvm.loader.elf.ElfFormatException;
import dev.zjvm.loader.elf.ElfSymbol;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * A libos vDSO prepared for this kernel: every {@code zcore_syscall_entry} slot holds the HAL's
 * syscall entry address and {@code DATA_CONSTANTS} holds the boot constants, as the Zircon kernel
 * patches its vDSO VMO before any process exists.
 */
public final class VdsoImage {
    public static final String ENTRY_SLOT_SYMBOL = "zcore_syscall_entry";
    public static final String CONSTANTS_SYMBOL = "DATA_CONSTANTS";

    private final ElfFile elf;
    private final byte[] patched;

    private VdsoImage(ElfFile elf, byte[] patched) {
        this.elf = elf;
        this.patched = patched;
    }

    /**
     * Patches a copy of the vDSO's bytes.
     *
     * @throws ElfFormatException if the image lacks the slots or the constants block, or they lie
     *     outside the file (the message names the vDSO file)
     */
    public static VdsoImage prepare(ElfFile vdso, long syscallEntry, VdsoConstants constants) throws ElfFormatException {
        byte[] bytes = vdso.toByteArray();
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        List<ElfSymbol> slots = vdso.findSymbols(ENTRY_SLOT_SYMBOL).stream().filter(ElfSymbol::isDefined).toList();
        if (slots.isEmpty()) {
            throw new ElfFormatException(vdso.source(), "not a libos vDSO (no " + ENTRY_SLOT_SYMBOL + " symbol)");
        }
        for (ElfSymbol slot : slots) {
            long off = fileOffset(vdso, slot, 8);
            buf.putLong((int) off, syscallEntry);
        }
        ElfSymbol data = vdso.requireSymbol(CONSTANTS_SYMBOL);
        if (data.size() != 0 && data.size() < VdsoConstants.SIZE) {
            throw new ElfFormatException(vdso.source(), CONSTANTS_SYMBOL + " is " + data.size()
                    + " bytes, expected " + VdsoConstants.SIZE);
        }
        long off = fileOffset(vdso, data, VdsoConstants.SIZE);
        buf.put((int) off, constants.toBytes());
        return new VdsoImage(vdso, bytes);
    }

    private static long fileOffset(ElfFile elf, ElfSymbol sym, int length) throws ElfFormatException {
        long off = elf.vaddrToOffset(sym.value()).orElseThrow(
                () -> new ElfFormatException(elf.source(), "symbol " + sym.name() + " is not in the file image"));
        if (off < 0 || off + length > elf.size()) {
            throw new ElfFormatException(elf.source(), "symbol " + sym.name() + " extends past the end of the file");
        }
        return off;
    }

    public ElfFile elf() {
        return elf;
    }

    /** The patched file bytes: the content of the vDSO VMO. */
    public byte[] bytes() {
        return patched.clone();
    }
}
