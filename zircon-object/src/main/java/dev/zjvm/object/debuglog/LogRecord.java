package dev.zjvm.object.debuglog;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One debuglog record ({@code zx_log_record_t}, constants.md §19): 32-byte header, up to 224 data bytes.
 *
 * @param sequence  position in the kernel log (not part of the ABI record; readers use it as cursor)
 */
public record LogRecord(long sequence, int flags, long timestamp, long pid, long tid, byte[] data) {
    public static final int HEADER_SIZE = 32;
    public static final int MAX_DATA = 224;
    public static final int MAX_RECORD = HEADER_SIZE + MAX_DATA;

    /** The record as the guest sees it. */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0).putShort((short) data.length).putShort((short) flags).putLong(timestamp).putLong(pid).putLong(tid).put(data);
        return b.array();
    }

    /** The text with a trailing newline removed (console output adds its own). */
    public String text() {
        int n = data.length;
        if (n > 0 && data[n - 1] == '\n') n--;
        return new String(data, 0, n, StandardCharsets.UTF_8);
    }
}
