package dev.zjvm.syscall.handler;

import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.syscall.dispatch.SyscallContext;

/**
 * What a {@code zx_object_get_info} topic produced, and the copy-out with the 2020 kernel's size
 * rules: a single record needs a buffer of at least its size (else BUFFER_TOO_SMALL with
 * actual=0, avail=1); an array is truncated to whole records that fit (actual = copied, avail =
 * total, status OK). {@code actual}/{@code avail} may be NULL.
 */
record InfoReply(byte[] records, int recordSize, boolean array) {
    static InfoReply single(byte[] record) {
        return new InfoReply(record, record.length, false);
    }

    static InfoReply array(byte[] records, int recordSize) {
        return new InfoReply(records, recordSize, true);
    }

    /** A reply with no record (ZX_INFO_HANDLE_VALID): nothing is written. */
    static InfoReply none() {
        return new InfoReply(new byte[0], 0, true);
    }

    long copyOut(SyscallContext c, long buffer, long bufferSize, long actual, long avail) {
        int total = recordSize == 0 ? 0 : records.length / recordSize;
        if (!array) {
            if (Long.compareUnsigned(bufferSize, recordSize) < 0) {
                writeCounts(c, actual, 0, avail, 1);
                throw new ZxException(ZxStatus.ERR_BUFFER_TOO_SMALL);
            }
            c.memory().write(buffer, records, 0, recordSize);
            writeCounts(c, actual, 1, avail, 1);
            return ZxStatus.OK;
        }
        if (recordSize == 0) return ZxStatus.OK;
        long fit = Long.compareUnsigned(bufferSize, (long) total * recordSize) >= 0 ? total : bufferSize / recordSize;
        int n = (int) Math.min(total, fit);
        if (n > 0) c.memory().write(buffer, records, 0, n * recordSize);
        writeCounts(c, actual, n, avail, total);
        return ZxStatus.OK;
    }

    private static void writeCounts(SyscallContext c, long actual, long actualValue, long avail, long availValue) {
        if (actual != 0) c.memory().writeU64(actual, actualValue);
        if (avail != 0) c.memory().writeU64(avail, availValue);
    }
}
