package dev.zjvm.object.dev;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.task.Process;
import dev.zjvm.object.task.Thread;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel trace buffer behind {@code zx_ktrace_*} (2020 layout): 32-byte metadata records
 * (version, ticks per ms) followed by records written while tracing runs, each a 16-byte header
 * ({@code tag} u32, {@code tid} u32, {@code ts} u64 ticks) plus its arguments, and name records
 * ({@code tag}, {@code id}, {@code arg}, NUL-terminated name padded to 8 bytes; no timestamp) for
 * syscalls, processes, threads and probes. Capture stops when the buffer is full. One per kernel.
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
    /** Name records (2020 ktrace-def.h, group META): {@code id, arg, name[]}, no timestamp. */
    public static final int EVENT_THREAD_NAME = 0x021;
    public static final int EVENT_PROC_NAME = 0x022;
    public static final int EVENT_SYSCALL_NAME = 0x023;
    public static final int EVENT_PROBE_NAME = 0x025;
    /** Bytes before the name in a name record ({@code KTRACE_NAMESIZE}: tag, id, arg). */
    static final int NAME_HEADER = 12;
    static final int RECORD_32 = 32;
    static final int METADATA_END = 2 * RECORD_32;

    private final Kernel kernel;
    private final byte[] buffer;
    private final ByteBuffer view;
    private int offset = METADATA_END;
    /** Enabled groups shifted into tag position (bits 20..31); 0 = not capturing. */
    private int groupMask;
    /** Set when a record did not fit; "always" records (probe names) stop too, until REWIND. */
    private boolean full;
    private final Map<String, Integer> probes = new LinkedHashMap<>();
    /** Syscall names by number (null for unused numbers), reported at creation and on REWIND. */
    private final List<String> syscallNames;

    /** A buffer with no syscall names to report. */
    public KtraceBuffer(Kernel kernel, int size) {
        this(kernel, size, List.of());
    }

    /**
     * @param syscallNames the kernel's syscall names by number (null for gaps): written as
     *     TAG_SYSCALL_NAME records after the metadata, as the 2020 kernel does at boot
     */
    public KtraceBuffer(Kernel kernel, int size, List<String> syscallNames) {
        if (size < METADATA_END) throw new IllegalArgumentException("ktrace buffer too small");
        this.kernel = kernel;
        buffer = new byte[size];
        view = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN);
        long ticksPerMs = kernel.clock().ticksPerSecond() / 1000;
        put(0, tag(0x000, GRP_META, RECORD_32), 0, 0, VERSION, 0);
        put(RECORD_32, tag(0x001, GRP_META, RECORD_32), 0, 0, (int) ticksPerMs, (int) (ticksPerMs >>> 32));
        this.syscallNames = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(syscallNames));
        synchronized (this) {
            reportSyscalls();
        }
    }

    /**
     * The kernel's trace buffer, created on first use with {@code syscallNames} (see the
     * constructor); later calls get the same buffer whatever they pass.
     */
    public static KtraceBuffer of(Kernel kernel, List<String> syscallNames) {
        return kernel.service(KtraceBuffer.class, k -> new KtraceBuffer(k, DEFAULT_SIZE, syscallNames));
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
     * {@code zx_ktrace_control}. As in 2020, START writes the names of the live processes and
     * threads (when the META group is captured), a new probe's name record is written whether or
     * not tracing runs, and REWIND writes the syscall and probe names again.
     *
     * @param groups START: the groups to capture (0 = all)
     * @param probeName NEW_PROBE: the probe's name
     * @return the probe id for NEW_PROBE, else 0
     * @throws ZxException INVALID_ARGS for an unknown action, NO_RESOURCES when probe ids run out
     */
    public synchronized int control(int action, int groups, String probeName) {
        switch (action) {
            case ACTION_START -> {
                groupMask = ((groups & GRP_ALL) == 0 ? GRP_ALL : groups & GRP_ALL) << 20;
                reportLiveTasks();
            }
            case ACTION_STOP -> groupMask = 0;
            case ACTION_REWIND -> {
                offset = METADATA_END;
                full = false;
                reportSyscalls();
                probes.forEach((name, id) -> writeName(EVENT_PROBE_NAME, id, 0, name, true));
            }
            case ACTION_NEW_PROBE -> {
                Integer id = probes.get(probeName);
                if (id == null) {
                    if (probes.size() >= MAX_EVENT_ID) throw new ZxException(ZxStatus.ERR_NO_RESOURCES);
                    id = probes.size() + 1;
                    probes.put(probeName, id);
                    writeName(EVENT_PROBE_NAME, id, 0, probeName, true);
                }
                return id;
            }
            default -> throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "unknown ktrace action");
        }
        return 0;
    }

    private void reportSyscalls() {
        for (int n = 0; n < syscallNames.size(); n++) {
            if (syscallNames.get(n) != null) writeName(EVENT_SYSCALL_NAME, n, 0, syscallNames.get(n), true);
        }
    }

    /** TAG_PROC_NAME for every live process, then TAG_THREAD_NAME (tid, pid) for every live thread. */
    private void reportLiveTasks() {
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        for (long koid : kernel.liveKoids()) {
            KernelObject o = kernel.lookup(koid);
            if (o instanceof Process p && !p.isDead()) writeName(EVENT_PROC_NAME, koid, 0, p.name(), false);
            else if (o instanceof Thread t && !t.isDead()) threads.add(t);
        }
        for (Thread t : threads) writeName(EVENT_THREAD_NAME, t.koid(), t.process().koid(), t.name(), false);
    }

    /**
     * A name record: tag with the record's size in 8-byte units, id, arg, the name (at most 31
     * bytes) NUL-terminated and zero-padded to 8 bytes. Written if its group is captured, or
     * {@code always} while the buffer has not filled up.
     */
    private void writeName(int event, long id, long arg, String name, boolean always) {
        int tag = tag(event, GRP_META, 0);
        if ((tag & groupMask) == 0 && (!always || full)) return;
        byte[] text = name.getBytes(StandardCharsets.UTF_8);
        int len = Math.min(text.length, KernelObject.MAX_NAME_LEN - 1);
        int size = (NAME_HEADER + len + 1 + 7) & ~7;
        if (offset + size > buffer.length) {
            stopFull();
            return;
        }
        java.util.Arrays.fill(buffer, offset, offset + size, (byte) 0);
        view.putInt(offset, (tag & ~0xf) | (size >> 3)).putInt(offset + 4, (int) id).putInt(offset + 8, (int) arg);
        System.arraycopy(text, 0, buffer, offset + NAME_HEADER, len);
        offset += size;
    }

    private void stopFull() {
        groupMask = 0;
        full = true;
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
            stopFull();
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
