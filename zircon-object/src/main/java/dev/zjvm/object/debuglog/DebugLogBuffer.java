package dev.zjvm.object.debuglog;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The kernel log: a bounded ring of records shared by every debuglog handle of one kernel, plus
 * listeners (the loader prints records on the console as they arrive).
 */
public final class DebugLogBuffer {
    /** Records kept for readers; older ones are dropped, as the real kernel's ring overwrites. */
    public static final int CAPACITY = 4096;

    private final ArrayDeque<LogRecord> ring = new ArrayDeque<>();
    private final List<Consumer<LogRecord>> listeners = new CopyOnWriteArrayList<>();
    private final List<DebugLog> readers = new CopyOnWriteArrayList<>();
    private long nextSequence;

    /** Appends a record (data truncated to 224 bytes) and tells listeners and readable handles. */
    public LogRecord append(int flags, long timestamp, long pid, long tid, byte[] data) {
        byte[] d = data.length > LogRecord.MAX_DATA ? java.util.Arrays.copyOf(data, LogRecord.MAX_DATA) : data.clone();
        LogRecord r;
        synchronized (this) {
            r = new LogRecord(nextSequence++, flags, timestamp, pid, tid, d);
            ring.addLast(r);
            if (ring.size() > CAPACITY) ring.removeFirst();
        }
        for (Consumer<LogRecord> l : listeners) l.accept(r);
        for (DebugLog reader : readers) reader.recordAppended();
        return r;
    }

    /** The first record at or after {@code sequence}, or null if none yet. */
    public synchronized LogRecord next(long sequence) {
        for (LogRecord r : ring) if (r.sequence() >= sequence) return r;
        return null;
    }

    public synchronized long nextSequence() {
        return nextSequence;
    }

    public void addListener(Consumer<LogRecord> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<LogRecord> listener) {
        listeners.remove(listener);
    }

    void addReader(DebugLog log) {
        readers.add(log);
    }

    void removeReader(DebugLog log) {
        readers.remove(log);
    }
}
