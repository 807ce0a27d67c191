package dev.zjvm.object;

/** Zircon status codes ({@code zx_status_t}), constants.md §2. */
public final class ZxStatus {
    public static final int OK = 0;
    public static final int ERR_INTERNAL = -1;
    public static final int ERR_NOT_SUPPORTED = -2;
    public static final int ERR_NO_RESOURCES = -3;
    public static final int ERR_NO_MEMORY = -4;
    /** Kernel/vDSO private: the vDSO re-issues the call. */
    public static final int ERR_INTERNAL_INTR_RETRY = -6;
    /**
     * Kernel private, never seen by guest code: the blocked thread was killed; the syscall ends
     * and the thread exits at the syscall boundary instead of returning to user code.
     */
    public static final int ERR_INTERNAL_INTR_KILLED = -502;
    public static final int ERR_INVALID_ARGS = -10;
    public static final int ERR_BAD_HANDLE = -11;
    public static final int ERR_WRONG_TYPE = -12;
    public static final int ERR_BAD_SYSCALL = -13;
    public static final int ERR_OUT_OF_RANGE = -14;
    public static final int ERR_BUFFER_TOO_SMALL = -15;
    public static final int ERR_BAD_STATE = -20;
    public static final int ERR_TIMED_OUT = -21;
    public static final int ERR_SHOULD_WAIT = -22;
    public static final int ERR_CANCELED = -23;
    public static final int ERR_PEER_CLOSED = -24;
    public static final int ERR_NOT_FOUND = -25;
    public static final int ERR_ALREADY_EXISTS = -26;
    public static final int ERR_ALREADY_BOUND = -27;
    public static final int ERR_UNAVAILABLE = -28;
    public static final int ERR_ACCESS_DENIED = -30;
    public static final int ERR_IO = -40;
    public static final int ERR_IO_REFUSED = -41;
    public static final int ERR_IO_DATA_INTEGRITY = -42;
    public static final int ERR_IO_DATA_LOSS = -43;
    public static final int ERR_IO_NOT_PRESENT = -44;
    public static final int ERR_IO_OVERRUN = -45;
    public static final int ERR_IO_MISSED_DEADLINE = -46;
    public static final int ERR_IO_INVALID = -47;
    public static final int ERR_BAD_PATH = -50;
    public static final int ERR_NOT_DIR = -51;
    public static final int ERR_NOT_FILE = -52;
    public static final int ERR_FILE_BIG = -53;
    public static final int ERR_NO_SPACE = -54;
    public static final int ERR_NOT_EMPTY = -55;
    public static final int ERR_STOP = -60;
    public static final int ERR_NEXT = -61;
    public static final int ERR_ASYNC = -62;
    public static final int ERR_PROTOCOL_NOT_SUPPORTED = -70;
    public static final int ERR_ADDRESS_UNREACHABLE = -71;
    public static final int ERR_ADDRESS_IN_USE = -72;
    public static final int ERR_NOT_CONNECTED = -73;
    public static final int ERR_CONNECTION_REFUSED = -74;
    public static final int ERR_CONNECTION_RESET = -75;
    public static final int ERR_CONNECTION_ABORTED = -76;

    private ZxStatus() {}

    /** The C name of a status, e.g. {@code ZX_ERR_BAD_HANDLE}; unknown values print as numbers. */
    public static String name(int status) {
        return switch (status) {
            case OK -> "ZX_OK";
            case ERR_INTERNAL -> "ZX_ERR_INTERNAL";
            case ERR_NOT_SUPPORTED -> "ZX_ERR_NOT_SUPPORTED";
            case ERR_NO_RESOURCES -> "ZX_ERR_NO_RESOURCES";
            case ERR_NO_MEMORY -> "ZX_ERR_NO_MEMORY";
            case ERR_INTERNAL_INTR_RETRY -> "ZX_ERR_INTERNAL_INTR_RETRY";
            case ERR_INTERNAL_INTR_KILLED -> "ZX_ERR_INTERNAL_INTR_KILLED";
            case ERR_INVALID_ARGS -> "ZX_ERR_INVALID_ARGS";
            case ERR_BAD_HANDLE -> "ZX_ERR_BAD_HANDLE";
            case ERR_WRONG_TYPE -> "ZX_ERR_WRONG_TYPE";
            case ERR_BAD_SYSCALL -> "ZX_ERR_BAD_SYSCALL";
            case ERR_OUT_OF_RANGE -> "ZX_ERR_OUT_OF_RANGE";
            case ERR_BUFFER_TOO_SMALL -> "ZX_ERR_BUFFER_TOO_SMALL";
            case ERR_BAD_STATE -> "ZX_ERR_BAD_STATE";
            case ERR_TIMED_OUT -> "ZX_ERR_TIMED_OUT";
            case ERR_SHOULD_WAIT -> "ZX_ERR_SHOULD_WAIT";
            case ERR_CANCELED -> "ZX_ERR_CANCELED";
            case ERR_PEER_CLOSED -> "ZX_ERR_PEER_CLOSED";
            case ERR_NOT_FOUND -> "ZX_ERR_NOT_FOUND";
            case ERR_ALREADY_EXISTS -> "ZX_ERR_ALREADY_EXISTS";
            case ERR_ALREADY_BOUND -> "ZX_ERR_ALREADY_BOUND";
            case ERR_UNAVAILABLE -> "ZX_ERR_UNAVAILABLE";
            case ERR_ACCESS_DENIED -> "ZX_ERR_ACCESS_DENIED";
            case ERR_IO -> "ZX_ERR_IO";
            case ERR_IO_REFUSED -> "ZX_ERR_IO_REFUSED";
            case ERR_IO_DATA_INTEGRITY -> "ZX_ERR_IO_DATA_INTEGRITY";
            case ERR_IO_DATA_LOSS -> "ZX_ERR_IO_DATA_LOSS";
            case ERR_IO_NOT_PRESENT -> "ZX_ERR_IO_NOT_PRESENT";
            case ERR_IO_OVERRUN -> "ZX_ERR_IO_OVERRUN";
            case ERR_IO_MISSED_DEADLINE -> "ZX_ERR_IO_MISSED_DEADLINE";
            case ERR_IO_INVALID -> "ZX_ERR_IO_INVALID";
            case ERR_BAD_PATH -> "ZX_ERR_BAD_PATH";
            case ERR_NOT_DIR -> "ZX_ERR_NOT_DIR";
            case ERR_NOT_FILE -> "ZX_ERR_NOT_FILE";
            case ERR_FILE_BIG -> "ZX_ERR_FILE_BIG";
            case ERR_NO_SPACE -> "ZX_ERR_NO_SPACE";
            case ERR_NOT_EMPTY -> "ZX_ERR_NOT_EMPTY";
            case ERR_STOP -> "ZX_ERR_STOP";
            case ERR_NEXT -> "ZX_ERR_NEXT";
            case ERR_ASYNC -> "ZX_ERR_ASYNC";
            case ERR_PROTOCOL_NOT_SUPPORTED -> "ZX_ERR_PROTOCOL_NOT_SUPPORTED";
            case ERR_ADDRESS_UNREACHABLE -> "ZX_ERR_ADDRESS_UNREACHABLE";
            case ERR_ADDRESS_IN_USE -> "ZX_ERR_ADDRESS_IN_USE";
            case ERR_NOT_CONNECTED -> "ZX_ERR_NOT_CONNECTED";
            case ERR_CONNECTION_REFUSED -> "ZX_ERR_CONNECTION_REFUSED";
            case ERR_CONNECTION_RESET -> "ZX_ERR_CONNECTION_RESET";
            case ERR_CONNECTION_ABORTED -> "ZX_ERR_CONNECTION_ABORTED";
            default -> "zx_status(" + status + ")";
        };
    }
}
