package dev.zjvm.object.task;

import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import java.util.Arrays;
import java.util.List;

/**
 * A job's effective policy ({@code zx_job_set_policy}, constants.md §15): an action and an
 * override flag per condition, plus the timer slack. Immutable; a child job starts with its
 * parent's policy. A condition whose override is DENY can no longer be changed to another action
 * (ABSOLUTE mode reports ALREADY_EXISTS, RELATIVE mode keeps the old action silently).
 */
public final class JobPolicy {
    // Conditions.
    public static final int BAD_HANDLE = 0;
    public static final int WRONG_OBJECT = 1;
    public static final int VMAR_WX = 2;
    public static final int NEW_ANY = 3;
    public static final int NEW_VMO = 4;
    public static final int NEW_CHANNEL = 5;
    public static final int NEW_EVENT = 6;
    public static final int NEW_EVENTPAIR = 7;
    public static final int NEW_PORT = 8;
    public static final int NEW_SOCKET = 9;
    public static final int NEW_FIFO = 10;
    public static final int NEW_TIMER = 11;
    public static final int NEW_PROCESS = 12;
    public static final int NEW_PROFILE = 13;
    public static final int AMBIENT_MARK_VMO_EXEC = 14;
    /** {@code ZX_POL_MAX}: number of conditions. */
    public static final int MAX = 15;

    // Actions.
    public static final int ALLOW = 0;
    public static final int DENY = 1;
    public static final int ALLOW_EXCEPTION = 2;
    public static final int DENY_EXCEPTION = 3;
    public static final int KILL = 4;
    private static final int ACTION_MAX = 5;

    // Override flags (v2).
    public static final int OVERRIDE_ALLOW = 0;
    public static final int OVERRIDE_DENY = 1;

    // Timer slack modes.
    public static final int SLACK_CENTER = 0;
    public static final int SLACK_EARLY = 1;
    public static final int SLACK_LATE = 2;

    /** One requested entry; v1 entries have {@code flags = OVERRIDE_DENY}. */
    public record Entry(int condition, int action, int flags) {}

    /** The root job's policy: everything allowed and overridable, no slack, CENTER. */
    public static final JobPolicy ROOT = new JobPolicy(new int[MAX], new boolean[MAX], 0, SLACK_CENTER);

    private final int[] actions;
    private final boolean[] locked; // override DENY
    private final long minSlack;
    private final int slackMode;

    private JobPolicy(int[] actions, boolean[] locked, long minSlack, int slackMode) {
        this.actions = actions;
        this.locked = locked;
        this.minSlack = minSlack;
        this.slackMode = slackMode;
    }

    /** The action for {@code condition}. */
    public int action(int condition) {
        if (condition < 0 || condition >= MAX) throw new IllegalArgumentException("condition " + condition);
        return actions[condition];
    }

    /** True when the condition's override is DENY. */
    public boolean isLocked(int condition) {
        return locked[condition];
    }

    public long minSlack() {
        return minSlack;
    }

    public int slackMode() {
        return slackMode;
    }

    /**
     * This policy with basic entries added (all or nothing).
     *
     * @throws ZxException OUT_OF_RANGE (too many entries, bad condition), NOT_SUPPORTED (bad
     *     action), INVALID_ARGS (bad override flag, empty list), ALREADY_EXISTS (absolute conflict)
     */
    public JobPolicy withBasic(boolean absolute, List<Entry> entries) {
        if (entries.isEmpty()) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        if (entries.size() > MAX) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE);
        int[] a = actions.clone();
        boolean[] l = locked.clone();
        for (Entry e : entries) {
            if (e.condition() < 0 || e.condition() >= MAX) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE);
            if (e.action() < 0 || e.action() >= ACTION_MAX) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
            if (e.flags() != OVERRIDE_ALLOW && e.flags() != OVERRIDE_DENY) {
                throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
            }
            if (e.condition() == NEW_ANY) {
                // NEW_ANY stands for every NEW_* condition; it is also kept itself for object kinds
                // that have no condition of their own (clocks).
                apply(a, l, NEW_ANY, e, absolute);
                for (int c = NEW_VMO; c <= NEW_PROFILE; c++) apply(a, l, c, e, absolute);
            } else {
                apply(a, l, e.condition(), e, absolute);
            }
        }
        return new JobPolicy(a, l, minSlack, slackMode);
    }

    private static void apply(int[] a, boolean[] l, int condition, Entry e, boolean absolute) {
        if (l[condition]) {
            if (a[condition] == e.action()) return;
            if (absolute) throw new ZxException(ZxStatus.ERR_ALREADY_EXISTS);
            return;
        }
        a[condition] = e.action();
        l[condition] = e.flags() == OVERRIDE_DENY;
    }

    /**
     * This policy with a timer slack request: the minimum never drops below the inherited one.
     *
     * @throws ZxException INVALID_ARGS for a negative slack or an unknown mode
     */
    public JobPolicy withTimerSlack(long requestedMin, int mode) {
        if (requestedMin < 0 || mode < SLACK_CENTER || mode > SLACK_LATE) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        return new JobPolicy(actions, locked, Math.max(minSlack, requestedMin), mode);
    }

    @Override
    public String toString() {
        return "JobPolicy" + Arrays.toString(actions) + " slack=" + minSlack + "/" + slackMode;
    }
}
