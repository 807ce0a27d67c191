package dev.zjvm.object.ipc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@code zx_port_packet_t} (constants.md §11): key, type, status and a 32-byte payload kept as
 * four little-endian u64 words, so every payload variant is a view of the same fields.
 */
public record PortPacket(long key, int type, int status, long w0, long w1, long w2, long w3) {
    /** Size of the packet in guest memory. */
    public static final int SIZE = 48;
    public static final int TYPE_USER = 0x00;
    public static final int TYPE_SIGNAL_ONE = 0x01;
    public static final int TYPE_SIGNAL_REP = 0x02;
    public static final int TYPE_GUEST_BELL = 0x03;
    public static final int TYPE_GUEST_MEM = 0x04;
    public static final int TYPE_GUEST_IO = 0x05;
    public static final int TYPE_GUEST_VCPU = 0x06;
    public static final int TYPE_INTERRUPT = 0x07;
    public static final int TYPE_PAGE_REQUEST = 0x09;
    public static final int PAGER_VMO_READ = 0;
    public static final int PAGER_VMO_COMPLETE = 1;

    /** A {@code zx_packet_signal_t} packet. */
    public static PortPacket signal(int type, long key, int trigger, int observed, long count, long timestamp) {
        return new PortPacket(key, type, 0, (trigger & 0xffff_ffffL) | ((long) observed << 32), count, timestamp, 0);
    }

    /** A {@code zx_packet_interrupt_t} packet. */
    public static PortPacket interrupt(long key, long timestamp) {
        return new PortPacket(key, TYPE_INTERRUPT, 0, timestamp, 0, 0, 0);
    }

    /** A {@code zx_packet_page_request_t} packet. */
    public static PortPacket pageRequest(long key, int command, int flags, long offset, long length) {
        return new PortPacket(key, TYPE_PAGE_REQUEST, 0, (command & 0xffff) | (flags & 0xffffL) << 16, offset, length, 0);
    }

    /** A {@code zx_packet_guest_bell_t} packet. */
    public static PortPacket guestBell(long key, long address) {
        return new PortPacket(key, TYPE_GUEST_BELL, 0, address, 0, 0, 0);
    }

    /** Signal packets: the signals asked for. */
    public int trigger() {
        return (int) w0;
    }

    /** Signal packets: the signals current when the packet was made. */
    public int observed() {
        return (int) (w0 >>> 32);
    }

    /** Signal packets: the count (1 for one-shot waits). */
    public long count() {
        return w1;
    }

    /** Signal packets: time of the trigger with {@code ZX_WAIT_ASYNC_TIMESTAMP}, else 0. */
    public long timestamp() {
        return w2;
    }

    /** The same packet with another type (port_queue forces USER). */
    public PortPacket withType(int newType) {
        return new PortPacket(key, newType, status, w0, w1, w2, w3);
    }

    /** Decodes the 48-byte guest layout. */
    public static PortPacket decode(byte[] bytes) {
        if (bytes.length != SIZE) throw new IllegalArgumentException("port packet is " + SIZE + " bytes");
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        return new PortPacket(b.getLong(0), b.getInt(8), b.getInt(12), b.getLong(16), b.getLong(24), b.getLong(32), b.getLong(40));
    }

    /** Encodes the 48-byte guest layout. */
    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(key).putInt(type).putInt(status).putLong(w0).putLong(w1).putLong(w2).putLong(w3);
        return b.array();
    }
}
