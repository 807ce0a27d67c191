package dev.zjvm.object.vm;

import dev.zjvm.object.Rights;

/** VMO creation options, child flags, range ops, cache policies and info flags, constants.md §10 and §12. */
public final class VmoOptions {
    // zx_vmo_create
    public static final int RESIZABLE = 1 << 1;

    // zx_vmo_create_child
    public static final int CHILD_SNAPSHOT = 1 << 0;
    public static final int CHILD_RESIZABLE = 1 << 2;
    public static final int CHILD_SLICE = 1 << 3;
    public static final int CHILD_SNAPSHOT_AT_LEAST_ON_WRITE = 1 << 4;
    /** Legacy alias of {@link #CHILD_SNAPSHOT_AT_LEAST_ON_WRITE}. */
    public static final int CHILD_COPY_ON_WRITE = CHILD_SNAPSHOT_AT_LEAST_ON_WRITE;
    public static final int CHILD_NO_WRITE = 1 << 5;

    // zx_vmo_op_range
    public static final int OP_COMMIT = 1;
    public static final int OP_DECOMMIT = 2;
    public static final int OP_LOCK = 3;
    public static final int OP_UNLOCK = 4;
    public static final int OP_CACHE_SYNC = 6;
    public static final int OP_CACHE_INVALIDATE = 7;
    public static final int OP_CACHE_CLEAN = 8;
    public static final int OP_CACHE_CLEAN_INVALIDATE = 9;
    public static final int OP_ZERO = 10;

    // zx_vmo_set_cache_policy
    public static final int CACHE_POLICY_CACHED = 0;
    public static final int CACHE_POLICY_UNCACHED = 1;
    public static final int CACHE_POLICY_UNCACHED_DEVICE = 2;
    public static final int CACHE_POLICY_WRITE_COMBINING = 3;
    public static final int CACHE_POLICY_MASK = 3;

    // zx_info_vmo_t.flags
    public static final int INFO_TYPE_PHYSICAL = 0;
    public static final int INFO_TYPE_PAGED = 1 << 0;
    public static final int INFO_RESIZABLE = 1 << 1;
    public static final int INFO_IS_COW_CLONE = 1 << 2;
    public static final int INFO_VIA_HANDLE = 1 << 3;
    public static final int INFO_VIA_MAPPING = 1 << 4;
    public static final int INFO_PAGER_BACKED = 1 << 5;
    public static final int INFO_CONTIGUOUS = 1 << 6;

    private VmoOptions() {}

    /** Rights needed on the VMO handle for {@code op}, or -1 for an op the 2020 kernel does not know. */
    public static int rightsForOp(int op) {
        return switch (op) {
            case OP_COMMIT, OP_DECOMMIT, OP_CACHE_INVALIDATE, OP_ZERO -> Rights.WRITE;
            case OP_CACHE_SYNC, OP_CACHE_CLEAN, OP_CACHE_CLEAN_INVALIDATE -> Rights.READ;
            case OP_LOCK, OP_UNLOCK -> 0;
            default -> -1;
        };
    }

    /**
     * Rights of a new child handle (2020-03 {@code sys_vmo_create_child}): the parent handle's rights
     * plus GET/SET_PROPERTY; NO_WRITE removes WRITE, otherwise snapshots trade EXECUTE for WRITE.
     */
    public static int childRights(int parentRights, int options) {
        int rights = parentRights | Rights.GET_PROPERTY | Rights.SET_PROPERTY;
        if ((options & CHILD_NO_WRITE) != 0) {
            rights &= ~Rights.WRITE;
        } else if ((options & (CHILD_SNAPSHOT | CHILD_SNAPSHOT_AT_LEAST_ON_WRITE)) != 0) {
            rights = (rights & ~Rights.EXECUTE) | Rights.WRITE;
        }
        return rights;
    }
}
