package dev.zjvm.object.debuglog;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.signal.Signals;

/** A debuglog handle's object: writes records into the kernel log and, if readable, reads them back in order. */
public final class DebugLog extends KernelObject {
    public static final int FLAG_READABLE = 0x4000_0000;
    public static final int FLAGS_MASK = 0xffff;
    public static final int READABLE_SIGNAL = Signals.READABLE;
    public static final int WRITABLE_SIGNAL = Signals.WRITABLE;

    private final DebugLogBuffer buffer;
    private final boolean readable;
    private long cursor;

    private DebugLog(Kernel kernel, boolean readable) {
        super(kernel);
        this.buffer = buffer(kernel);
        this.readable = readable;
        updateSignals(0, Signals.WRITABLE);
        if (readable) {
            buffer.addReader(this);
            recordAppended();
        }
    }

    /** The kernel's log buffer. */
    public static DebugLogBuffer buffer(Kernel kernel) {
        return kernel.service(DebugLogBuffer.class, k -> new DebugLogBuffer());
    }

    /**
     * {@code zx_debuglog_create}.
     *
     * @throws ZxException INVALID_ARGS for options other than 0 / FLAG_READABLE
     */
    public static DebugLog create(Kernel kernel, int options) {
        if ((options & ~FLAG_READABLE) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        return new DebugLog(kernel, (options & FLAG_READABLE) != 0);
    }

    /** Rights of the handle {@code zx_debuglog_create} returns. */
    public int createRights() {
        return type().defaultRights() | (readable ? Rights.READ : 0);
    }

    /** {@code zx_debuglog_write}: one record; options low 16 bits are its flags. */
    public void write(int options, byte[] data, long pid, long tid) {
        if ((options & ~FLAGS_MASK) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        buffer.append(options, kernel().clock().nowNanos(), pid, tid, data);
    }

    /**
     * {@code zx_debuglog_read}: the next record this handle has not read.
     *
     * @throws ZxException SHOULD_WAIT when there is none
     */
    public LogRecord read() {
        LogRecord r;
        synchronized (lock) {
            r = buffer.next(cursor);
            if (r == null) throw new ZxException(ZxStatus.ERR_SHOULD_WAIT);
            cursor = r.sequence() + 1;
        }
        recordAppended();
        return r;
    }

    /** Re-evaluates READABLE after the log or the cursor moved. */
    void recordAppended() {
        boolean more;
        synchronized (lock) {
            more = buffer.nextSequence() > cursor;
        }
        updateSignals(more ? 0 : Signals.READABLE, more ? Signals.READABLE : 0);
    }

    public boolean readable() {
        return readable;
    }

    @Override
    public ObjectType type() {
        return ObjectType.LOG;
    }

    @Override
    protected void onZeroHandles() {
        if (readable) buffer.removeReader(this);
    }
}
