package dev.zjvm.object.exception;

/** Exception channel types ({@code ZX_EXCEPTION_CHANNEL_TYPE_*}, constants.md §14). */
public final class ChannelType {
    public static final int NONE = 0;
    /** A process's debugger channel. */
    public static final int DEBUGGER = 1;
    public static final int THREAD = 2;
    public static final int PROCESS = 3;
    public static final int JOB = 4;
    public static final int JOB_DEBUGGER = 5;

    private ChannelType() {}
}
