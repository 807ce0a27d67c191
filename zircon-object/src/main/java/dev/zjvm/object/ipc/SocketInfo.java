package dev.zjvm.object.ipc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** {@code zx_info_socket_t} ({@code ZX_INFO_SOCKET}): buffer sizes of one socket endpoint. */
public record SocketInfo(int options, long rxBufMax, long rxBufSize, long rxBufAvailable, long txBufMax, long txBufSize) {
    public static final int SIZE = 48;

    /** The 48-byte guest layout. */
    public byte[] encode() {
        return ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN).putInt(0, options).putLong(8, rxBufMax)
                .putLong(16, rxBufSize).putLong(24, rxBufAvailable).putLong(32, txBufMax).putLong(40, txBufSize).array();
    }
}
