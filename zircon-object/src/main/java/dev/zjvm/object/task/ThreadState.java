package dev.zjvm.object.task;

/** Thread states ({@code zx_thread_state_t}, {@code zx_info_thread_t.state}), constants.md §14. */
public final class ThreadState {
    public static final int NEW = 0x0000;
    public static final int RUNNING = 0x0001;
    public static final int SUSPENDED = 0x0002;
    /** Never reported alone: always one of the BLOCKED_* values. */
    public static final int BLOCKED = 0x0003;
    public static final int DYING = 0x0004;
    public static final int DEAD = 0x0005;
    public static final int BLOCKED_EXCEPTION = 0x0103;
    public static final int BLOCKED_SLEEPING = 0x0203;
    public static final int BLOCKED_FUTEX = 0x0303;
    public static final int BLOCKED_PORT = 0x0403;
    public static final int BLOCKED_CHANNEL = 0x0503;
    public static final int BLOCKED_WAIT_ONE = 0x0603;
    public static final int BLOCKED_WAIT_MANY = 0x0703;
    public static final int BLOCKED_INTERRUPT = 0x0803;
    public static final int BLOCKED_PAGER = 0x0903;

    private ThreadState() {}

    /** {@code ZX_THREAD_STATE_BASIC(n)}. */
    public static int basic(int state) {
        return state & 0xff;
    }

    /** True for the BLOCKED_* values. */
    public static boolean isBlocked(int state) {
        return basic(state) == BLOCKED;
    }
}
