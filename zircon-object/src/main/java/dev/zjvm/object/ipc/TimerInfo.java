package dev.zjvm.object.ipc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** {@code zx_info_timer_t} ({@code ZX_INFO_TIMER}): slack mode, armed deadline (0 if none) and slack. */
public record TimerInfo(int options, long deadline, long slack) {
    public static final int SIZE = 24;

    /** The 24-byte guest layout. */
    public byte[] encode() {
        return ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN).putInt(0, options).putLong(8, deadline)
                .putLong(16, slack).array();
    }
}
