package dev.zjvm.object.signal;

/** Signal bits ({@code zx_signals_t}), constants.md §5. */
public final class Signals {
    public static final int NONE = 0;
    public static final int READABLE = 1 << 0;
    public static final int WRITABLE = 1 << 1;
    public static final int PEER_CLOSED = 1 << 2;
    public static final int SIGNALED = 1 << 3;
    /** Reported only to cancelled waits. */
    public static final int HANDLE_CLOSED = 1 << 23;
    public static final int USER_0 = 1 << 24;
    public static final int USER_ALL = 0xff000000;

    // Object-specific names for the generic bits.
    public static final int TASK_TERMINATED = SIGNALED;
    public static final int JOB_NO_JOBS = 1 << 4;
    public static final int JOB_NO_PROCESSES = 1 << 5;
    public static final int THREAD_RUNNING = 1 << 4;
    public static final int THREAD_SUSPENDED = 1 << 5;
    public static final int SOCKET_PEER_WRITE_DISABLED = 1 << 4;
    public static final int SOCKET_WRITE_DISABLED = 1 << 5;
    public static final int SOCKET_READ_THRESHOLD = 1 << 10;
    public static final int SOCKET_WRITE_THRESHOLD = 1 << 11;
    public static final int VMO_ZERO_CHILDREN = SIGNALED;
    public static final int CLOCK_STARTED = 1 << 4;

    private Signals() {}
}
