package dev.zjvm.object.dev;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The kernel trace buffer behind {@code zx_ktrace_*} (2020 layout): 32-byte metadata records
 * (version, ticks per ms) followed by records written while tracing runs, each a 16-byte header
 * ({@code tag} u32, {@code tid} u32, {@code ts} u64 ticks) plus its arguments. Capture stops when
 * the buffer is full. One per kernel.
 */
public final class KtraceBuffer {
    public static final int ACTION_START = 1;
    public static final int ACTION_STOP = 2;
    public static final int ACTION_REWIND = 3;
    public static final int ACTION_NEW_PROBE = 4;
    public static final int GRP_ALL = 0xfff;
    public static final int GRP_META = 0x001;
    public static final int GRP_PROBE = 0x040;
    public static final int VERSION = 0x0002_0000;
    /** Largest probe event id {@code zx_ktrace_write} accepts. */
    public static final int MAX_EVENT_ID = 0x7ff;
    public static final int DEFAULT_SIZE = 1 << 20;
    static final int RECORD_32 = 32;
    static final int METADATA_END = 2 * RECORD_32;

    private final byte[] buffer;
    private final ByteBuffer view;
    private int offset = METADATA_END;
    /** Enabled groups shifted into tag position (bits 20..31); 0 = not capturing. */
    private int groupMask;
    private final Map<String, Integer> probes = new LinkedHashMap<>();

    public KtraceBuffer(Kernel kernel, int size) {
        if (size < METADATA_END) throw new IllegalArgumentException("ktrace buffer too small");
        buffer = new byte[size];
        view = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN);
        long ticksPerMs = kernel.clock().ticksPerSecond() / 1000;
        put(0, tag(0x000, GRP_META, RECORD_32), 0, 0, VERSION, 0);
        put(RECORD_32, tag(0x001, GRP_META, RECORD_32), 0, 0, (int) ticksPerMs, (int) (ticksPerMs >>> 32));
    }

    public static KtraceBuffer of(Kernel kernel) {
        return kernel.service(KtraceBuffer.class, k -> new KtraceBuffer(k, DEFAULT_SIZE));
    }

    /** {@code KTRACE_TAG(event, group, size)}: group bits 20..31, event 8..19, size/8 in 0..3. */
    public static int tag(int event, int group, int size) {
        return ((group & 0xfff) << 20) | ((event & 0xfff) << 8) | ((size >> 3) & 0xf);
    }

    /** {@code TAG_PROBE_24(id)}: a probe record with two u32 arguments. */
    public static int probeTag(int eventId) {
        return tag(eventId | 0x800, GRP_PROBE, 24);
    }

    private void put(int at, int tag, int tid, long ts, int a, int b) {
        view.putInt(at, tag).putInt(at + 4, tid).putLong(at + 8, ts).putInt(at + 16, a).putInt(at + 20, b);
    }

    /**
     * {@code zx_ktrace_control}.
     *
     * @param groups START: the groups to capture (0 = all)
     * @param probeName NEW_PROBE: the probe's name
     * @return the probe id for NEW_PROBE, else 0
     * @throws ZxException INVALID_ARGS for an unknown action, NO_RESOURCES when probe ids run out
     */
    public synchronized int control(int action, int groups, String probeName) {
        switch (action) {
            case ACTION_START -> groupMask = ((groups & GRP_ALL) == 0 ? GRP_ALL : groups & GRP_ALL) << 20;
            case ACTION_STOP -> groupMask = 0;
            case ACTION_REWIND -> offset = METADATA_END;
            case ACTION_NEW_PROBE -> {
                Integer id = probes.get(probeName);
                if (id == null) {
                    if (probes.size() >= MAX_EVENT_ID) throw new ZxException(ZxStatus.ERR_NO_RESOURCES);
                    id = probes.size() + 1;
                    probes.put(probeName, id);
                }
                return id;
            }
            default -> throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "unknown ktrace action");
        }
        return 0;
    }

    public synchronized boolean isCapturing() {
        return groupMask != 0;
    }

    /**
     * {@code zx_ktrace_write}: appends a probe record if its group is being captured.
     *
     * @return false if the record was not written (not capturing, or the buffer is full, which
     *     also stops the capture)
     */
    public synchronized boolean writeProbe(int eventId, int arg0, int arg1, long tid, long ticks) {
        int tag = probeTag(eventId);
        if ((tag & groupMask) == 0) return false;
        if (offset + 24 > buffer.length) {
            groupMask = 0;
            return false;
        }
        put(offset, tag, (int) tid, ticks, arg0, arg1);
        offset += 24;
        return true;
    }

    /** Bytes of trace data available to read. */
    public synchronized int available() {
        return offset;
    }

    /** Copies up to {@code len} bytes from {@code off}; empty past the end. */
    public synchronized byte[] read(long off, long len) {
        if (off < 0 || off >= offset || len <= 0) return new byte[0];
        int n = (int) Math.min(len, offset - off);
        byte[] out = new byte[n];
        System.arraycopy(buffer, (int) off, out, 0, n);
        return out;
    }
}
