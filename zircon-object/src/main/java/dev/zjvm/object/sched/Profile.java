package dev.zjvm.object.sched;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.task.ThreadSchedule;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A scheduler profile: a fair priority or deadline parameters, and/or a CPU mask. Applying it
 * changes a thread's {@link ThreadSchedule}, which the thread carries to the host thread that runs
 * it. Validation follows the 2020 kernel.
 */
public final class Profile extends KernelObject {
    public static final int FLAG_PRIORITY = 1;
    public static final int FLAG_CPU_MASK = 1 << 1;
    public static final int FLAG_DEADLINE = 1 << 2;
    public static final int PRIORITY_LOWEST = 0;
    public static final int PRIORITY_HIGHEST = 31;
    /** Size of {@code zx_profile_info_t}. */
    public static final int INFO_SIZE = 96;

    private final Info info;

    /** The fields of {@code zx_profile_info_t}; deadline fields are 0 unless FLAG_DEADLINE. */
    public record Info(int flags, int priority, long capacity, long relativeDeadline, long period, long[] cpuMask) {
        /** Decodes the 96-byte guest layout. */
        public static Info decode(byte[] bytes) {
            if (bytes.length != INFO_SIZE) throw new IllegalArgumentException("zx_profile_info_t is " + INFO_SIZE + " bytes");
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            int flags = b.getInt(0);
            boolean deadline = (flags & FLAG_DEADLINE) != 0;
            long[] mask = new long[8];
            for (int i = 0; i < mask.length; i++) mask[i] = b.getLong(32 + 8 * i);
            return new Info(flags, b.getInt(8), deadline ? b.getLong(8) : 0, deadline ? b.getLong(16) : 0,
                    deadline ? b.getLong(24) : 0, mask);
        }
    }

    private Profile(Kernel kernel, Info info) {
        super(kernel);
        this.info = info;
    }

    /**
     * Creates a profile from the fields of {@code zx_profile_info_t}.
     *
     * @throws ZxException INVALID_ARGS for unknown flags, no flags, both priority and deadline, a bad
     *     priority, or deadline parameters not ordered {@code 0 < capacity <= relative_deadline <= period}
     *     (any CPU mask is accepted: the 2020 kernel keeps its first word)
     */
    public static Profile create(Kernel kernel, Info info) {
        int flags = info.flags();
        int known = FLAG_PRIORITY | FLAG_CPU_MASK | FLAG_DEADLINE;
        if (flags == 0 || (flags & ~known) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        if ((flags & FLAG_PRIORITY) != 0 && (flags & FLAG_DEADLINE) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        if ((flags & FLAG_PRIORITY) != 0 && (info.priority() < PRIORITY_LOWEST || info.priority() > PRIORITY_HIGHEST)) {
            throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        }
        if ((flags & FLAG_DEADLINE) != 0 && !(0 < info.capacity() && info.capacity() <= info.relativeDeadline()
                && info.relativeDeadline() <= info.period())) {
            throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        }
        return new Profile(kernel, info);
    }

    /** Shorthand for a priority-only profile. */
    public static Profile create(Kernel kernel, int flags, int priority) {
        return create(kernel, new Info(flags, priority, 0, 0, 0, new long[8]));
    }

    /** {@code s} with this profile's fields applied, in the 2020 kernel's order (priority or deadline, then mask). */
    public ThreadSchedule applyTo(ThreadSchedule s) {
        if ((info.flags() & FLAG_PRIORITY) != 0) s = s.withPriority(info.priority());
        if ((info.flags() & FLAG_DEADLINE) != 0) {
            s = s.withDeadline(new ThreadSchedule.Deadline(info.capacity(), info.relativeDeadline(), info.period()));
        }
        if ((info.flags() & FLAG_CPU_MASK) != 0) s = s.withCpuMask(info.cpuMask()[0]);
        return s;
    }

    public Info info() {
        return info;
    }

    public int flags() {
        return info.flags();
    }

    public int priority() {
        return info.priority();
    }

    @Override
    public ObjectType type() {
        return ObjectType.PROFILE;
    }
}
