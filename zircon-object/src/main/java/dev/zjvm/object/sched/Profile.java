package dev.zjvm.object.sched;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;

/**
 * A scheduler profile. Guest threads are Java platform threads scheduled by the host, so a profile
 * is recorded (and reported) but changes no scheduling; validation follows the spec.
 */
public final class Profile extends KernelObject {
    public static final int FLAG_PRIORITY = 1;
    public static final int FLAG_CPU_MASK = 1 << 1;
    public static final int FLAG_DEADLINE = 1 << 2;
    public static final int PRIORITY_LOWEST = 0;
    public static final int PRIORITY_HIGHEST = 31;
    /** Size of {@code zx_profile_info_t}. */
    public static final int INFO_SIZE = 96;

    private final int flags;
    private final int priority;

    private Profile(Kernel kernel, int flags, int priority) {
        super(kernel);
        this.flags = flags;
        this.priority = priority;
    }

    /**
     * Creates a profile from the fields of {@code zx_profile_info_t}.
     *
     * @throws ZxException INVALID_ARGS for unknown flags, no flags, both priority and deadline, or a bad priority
     */
    public static Profile create(Kernel kernel, int flags, int priority) {
        int known = FLAG_PRIORITY | FLAG_CPU_MASK | FLAG_DEADLINE;
        if (flags == 0 || (flags & ~known) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        if ((flags & FLAG_PRIORITY) != 0 && (flags & FLAG_DEADLINE) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        if ((flags & FLAG_PRIORITY) != 0 && (priority < PRIORITY_LOWEST || priority > PRIORITY_HIGHEST)) {
            throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        }
        return new Profile(kernel, flags, priority);
    }

    public int flags() {
        return flags;
    }

    public int priority() {
        return priority;
    }

    @Override
    public ObjectType type() {
        return ObjectType.PROFILE;
    }
}
