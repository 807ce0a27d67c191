package dev.zjvm.object.vm;

import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;

/** {@code zx_vm_option_t} bits used by vmar_map / vmar_allocate / vmar_protect, constants.md §10. */
public final class VmOptions {
    public static final int PERM_READ = 1 << 0;
    public static final int PERM_WRITE = 1 << 1;
    public static final int PERM_EXECUTE = 1 << 2;
    public static final int COMPACT = 1 << 3;
    public static final int SPECIFIC = 1 << 4;
    public static final int SPECIFIC_OVERWRITE = 1 << 5;
    public static final int CAN_MAP_SPECIFIC = 1 << 6;
    public static final int CAN_MAP_READ = 1 << 7;
    public static final int CAN_MAP_WRITE = 1 << 8;
    public static final int CAN_MAP_EXECUTE = 1 << 9;
    public static final int MAP_RANGE = 1 << 10;
    public static final int REQUIRE_NON_RESIZABLE = 1 << 11;
    public static final int ALLOW_FAULTS = 1 << 12;
    public static final int ALIGN_BASE = 24;

    public static final int PERM_MASK = PERM_READ | PERM_WRITE | PERM_EXECUTE;
    public static final int CAN_MAP_RWX = CAN_MAP_READ | CAN_MAP_WRITE | CAN_MAP_EXECUTE;

    /** Every flag bit below the alignment field that the 2020 kernel knows. */
    static final int KNOWN_FLAGS = (1 << 13) - 1;

    private VmOptions() {}

    /** {@code ZX_VM_ALIGN_<2^log2>}. */
    public static int align(int log2) {
        return log2 << ALIGN_BASE;
    }

    /**
     * The alignment field as log2 (0 = default page alignment).
     *
     * @throws ZxException INVALID_ARGS for unknown flag bits or an alignment outside 10..32
     */
    static int alignLog2(int options) {
        if ((options & ((1 << ALIGN_BASE) - 1) & ~KNOWN_FLAGS) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "unknown VM option bits");
        int a = options >>> ALIGN_BASE;
        if ((a != 0 && a < 10) || a > 32) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "bad ZX_VM_ALIGN value");
        return a;
    }

    /** WRITE or EXECUTE without READ cannot be expressed (2020 {@code is_valid_mapping_protection}). */
    static boolean validProtection(int options) {
        return (options & PERM_READ) != 0 || (options & (PERM_WRITE | PERM_EXECUTE)) == 0;
    }

    /** CAN_MAP_x bits matching the PERM_x bits of {@code perms}. */
    static int canMapFor(int perms) {
        return (perms & PERM_MASK) << 7;
    }
}
