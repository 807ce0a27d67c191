package dev.zjvm.object.exception;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One exception as reported by {@code ZX_INFO_THREAD_EXCEPTION_REPORT}: the type and the x86-64
 * context (vector, error code, cr2 = faulting address). Synthetic exceptions have a zero context
 * (a policy exception carries the policy condition in {@code errCode}).
 */
public record ExceptionReport(int type, long vector, long errCode, long cr2) {
    /** {@code sizeof(zx_exception_report_t)}. */
    public static final int SIZE = 32;

    public static ExceptionReport synthetic(int type) {
        return new ExceptionReport(type, 0, 0, 0);
    }

    /** {@code zx_exception_report_t}: header {size, type}, context {vector, err_code, cr2}. */
    public byte[] toBytes() {
        return ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(SIZE).putInt(type).putLong(vector).putLong(errCode).putLong(cr2).array();
    }
}
