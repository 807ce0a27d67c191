package dev.zjvm.loader.zbi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A 32-byte {@code zbi_header_t}; all fields are raw u32 values. */
public record ZbiItemHeader(int type, int length, int extra, int flags, int reserved0, int reserved1,
                            int magic, int crc32) {

    /** Header of a container whose items occupy {@code length} bytes. */
    public static ZbiItemHeader container(int length) {
        return new ZbiItemHeader(Zbi.TYPE_CONTAINER, length, Zbi.CONTAINER_MAGIC, Zbi.FLAG_VERSION, 0, 0,
                Zbi.ITEM_MAGIC, Zbi.ITEM_NO_CRC32);
    }

    public long lengthUnsigned() {
        return Integer.toUnsignedLong(length);
    }

    public boolean hasFlag(int flag) {
        return (flags & flag) == flag;
    }

    static ZbiItemHeader read(ByteBuffer b, int at) {
        ByteBuffer le = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        return new ZbiItemHeader(le.getInt(at), le.getInt(at + 4), le.getInt(at + 8), le.getInt(at + 12),
                le.getInt(at + 16), le.getInt(at + 20), le.getInt(at + 24), le.getInt(at + 28));
    }

    void write(ByteBuffer le) {
        le.putInt(type).putInt(length).putInt(extra).putInt(flags).putInt(reserved0).putInt(reserved1)
                .putInt(magic).putInt(crc32);
    }
}
