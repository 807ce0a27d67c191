package dev.zjvm.loader.zbi;

import java.nio.ByteBuffer;

/**
 * One item of a ZBI container.
 *
 * @param headerOffset offset of the item's header from the start of the ZBI
 * @param payload      read-only view of exactly {@code header.length()} payload bytes
 */
public record ZbiItem(int headerOffset, ZbiItemHeader header, ByteBuffer payload) {
    public int type() {
        return header.type();
    }

    /** Offset of the payload from the start of the ZBI (userboot checks whether it is page-aligned). */
    public int payloadOffset() {
        return headerOffset + Zbi.HEADER_SIZE;
    }

    public boolean isCompressed() {
        return header.hasFlag(Zbi.FLAG_STORAGE_COMPRESSED);
    }

    public byte[] payloadBytes() {
        byte[] out = new byte[payload.remaining()];
        payload.duplicate().get(out);
        return out;
    }
}
