package dev.zjvm.object.ipc;

import java.util.ArrayDeque;

/**
 * A socket's receive buffer: written chunks in order. Stream reads cross chunk boundaries;
 * datagram reads take one chunk (one datagram) at a time. Not thread-safe (the socket's lock
 * guards it).
 */
final class ByteQueue {
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private int headOffset;
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Size of the first datagram (0 if none). */
    int firstChunkSize() {
        byte[] first = chunks.peekFirst();
        return first == null ? 0 : first.length - headOffset;
    }

    void append(byte[] src, int off, int len) {
        byte[] chunk = new byte[len];
        System.arraycopy(src, off, chunk, 0, len);
        chunks.addLast(chunk);
        size += len;
    }

    /** Copies up to {@code len} bytes across chunks; removes them unless {@code peek}. */
    int readStream(byte[] dst, int off, int len, boolean peek) {
        int done = 0;
        int offset = headOffset;
        var it = chunks.iterator();
        while (done < len && it.hasNext()) {
            byte[] c = it.next();
            int n = Math.min(len - done, c.length - offset);
            System.arraycopy(c, offset, dst, off + done, n);
            done += n;
            offset = n == c.length - offset ? 0 : offset + n;
        }
        if (!peek) consume(done);
        return done;
    }

    /** Copies the first datagram, truncated to {@code len}; removes all of it unless {@code peek}. */
    int readDatagram(byte[] dst, int off, int len, boolean peek) {
        byte[] first = chunks.peekFirst();
        if (first == null) return 0;
        int n = Math.min(len, first.length);
        System.arraycopy(first, 0, dst, off, n);
        if (!peek) {
            chunks.removeFirst();
            size -= first.length;
        }
        return n;
    }

    /** Removes {@code n} stream bytes (after a peek). */
    void consume(int n) {
        size -= n;
        while (n > 0) {
            byte[] c = chunks.peekFirst();
            int left = c.length - headOffset;
            if (n >= left) {
                chunks.removeFirst();
                headOffset = 0;
                n -= left;
            } else {
                headOffset += n;
                n = 0;
            }
        }
    }

    /** Removes the first datagram (after a peek). */
    void dropFirst() {
        byte[] first = chunks.pollFirst();
        if (first != null) size -= first.length;
    }

    void clear() {
        chunks.clear();
        headOffset = 0;
        size = 0;
    }
}
