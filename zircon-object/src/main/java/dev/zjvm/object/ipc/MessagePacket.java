package dev.zjvm.object.ipc;

import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import java.util.List;

/**
 * One channel message: bytes and the handles travelling with it. While queued the message owns
 * its handles (they belong to no process); the reader takes them over, and a dropped message
 * destroys them.
 */
public final class MessagePacket {
    /** {@code ZX_CHANNEL_MAX_MSG_BYTES}. */
    public static final int MAX_BYTES = 65536;
    /** {@code ZX_CHANNEL_MAX_MSG_HANDLES}. */
    public static final int MAX_HANDLES = 64;

    private final byte[] data;
    private final List<Handle> handles;

    /**
     * @param data    the bytes; the message keeps this array (the caller must not reuse it)
     * @param handles handles moved into the message
     * @throws ZxException OUT_OF_RANGE over the size limits
     */
    public MessagePacket(byte[] data, List<Handle> handles) {
        if (data.length > MAX_BYTES || handles.size() > MAX_HANDLES) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE);
        this.data = data;
        this.handles = List.copyOf(handles);
    }

    public static MessagePacket of(byte[] data) {
        return new MessagePacket(data, List.of());
    }

    /** The bytes; after a read they belong to the reader. */
    public byte[] data() {
        return data;
    }

    public int dataSize() {
        return data.length;
    }

    public List<Handle> handles() {
        return handles;
    }

    public int handleCount() {
        return handles.size();
    }

    /** Transaction id: the first four bytes, little-endian (only meaningful for size >= 4). */
    public int txid() {
        return (data[0] & 0xff) | (data[1] & 0xff) << 8 | (data[2] & 0xff) << 16 | (data[3] & 0xff) << 24;
    }

    void setTxid(int txid) {
        data[0] = (byte) txid;
        data[1] = (byte) (txid >>> 8);
        data[2] = (byte) (txid >>> 16);
        data[3] = (byte) (txid >>> 24);
    }

    /** Drops the message: its handles are destroyed. */
    public void discard() {
        HandleReaper.destroy(handles);
    }
}
