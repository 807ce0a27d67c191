package dev.zjvm.object;

/** Handle rights ({@code zx_rights_t}), constants.md §3. */
public final class Rights {
    public static final int NONE = 0;
    public static final int DUPLICATE = 1 << 0;
    public static final int TRANSFER = 1 << 1;
    public static final int READ = 1 << 2;
    public static final int WRITE = 1 << 3;
    public static final int EXECUTE = 1 << 4;
    public static final int MAP = 1 << 5;
    public static final int GET_PROPERTY = 1 << 6;
    public static final int SET_PROPERTY = 1 << 7;
    public static final int ENUMERATE = 1 << 8;
    public static final int DESTROY = 1 << 9;
    public static final int SET_POLICY = 1 << 10;
    public static final int GET_POLICY = 1 << 11;
    public static final int SIGNAL = 1 << 12;
    public static final int SIGNAL_PEER = 1 << 13;
    public static final int WAIT = 1 << 14;
    public static final int INSPECT = 1 << 15;
    public static final int MANAGE_JOB = 1 << 16;
    public static final int MANAGE_PROCESS = 1 << 17;
    public static final int MANAGE_THREAD = 1 << 18;
    public static final int APPLY_PROFILE = 1 << 19;
    /** Argument-only value for duplicate/replace: keep the source handle's rights. */
    public static final int SAME_RIGHTS = 1 << 31;

    public static final int BASIC = TRANSFER | DUPLICATE | WAIT | INSPECT;
    public static final int IO = READ | WRITE;
    public static final int PROPERTY = GET_PROPERTY | SET_PROPERTY;
    public static final int POLICY = GET_POLICY | SET_POLICY;

    private Rights() {}

    /** True when {@code held} includes every bit of {@code required}. */
    public static boolean has(int held, int required) {
        return (held & required) == required;
    }
}
