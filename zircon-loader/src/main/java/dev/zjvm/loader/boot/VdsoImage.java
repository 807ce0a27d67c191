package dev.zjvm.loader.boot;

import dev.zjvm.loader.cli.VdsoLayout;
import dev.zjvm.loader.elf.ElfFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A libos vDSO prepared for this kernel: every {@code zcore_syscall_entry} slot holds the HAL's
 * syscall entry address and {@code DATA_CONSTANTS} holds the boot constants, as the Zircon kernel
 * patches its vDSO VMO before any process exists. Where to patch comes from {@link VdsoLayout},
 * which validated the image when the CLI read it.
 */
public final class VdsoImage {
    private final ElfFile elf;
    private final byte[] patched;

    private VdsoImage(ElfFile elf, byte[] patched) {
        this.elf = elf;
        this.patched = patched;
    }

    /** Patches a copy of the vDSO's bytes. */
    public static VdsoImage prepare(ElfFile vdso, VdsoLayout layout, long syscallEntry, VdsoConstants constants) {
        byte[] bytes = vdso.toByteArray();
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (long slot : layout.slotFileOffsets()) buf.putLong((int) slot, syscallEntry);
        buf.put((int) layout.constantsFileOffset(), constants.toBytes());
        return new VdsoImage(vdso, bytes);
    }

    public ElfFile elf() {
        return elf;
    }

    /** The patched file bytes: the content of the vDSO VMO. */
    public byte[] bytes() {
        return patched.clone();
    }
}
