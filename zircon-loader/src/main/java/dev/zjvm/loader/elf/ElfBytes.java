package dev.zjvm.loader.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** The raw bytes of one ELF file with the bounds checks every reader uses; errors name the file. */
final class ElfBytes {
    private final String source;
    private final byte[] image;
    private final ByteBuffer buf;

    ElfBytes(String source, byte[] image) {
        this.source = source;
        this.image = image;
        this.buf = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
    }

    String source() {
        return source;
    }

    byte[] image() {
        return image;
    }

    int length() {
        return image.length;
    }

    ElfFormatException error(String problem) {
        return new ElfFormatException(source, problem);
    }

    /** Checks that [offset, offset+length) lies in the file; afterwards reads inside it are safe. */
    void checkRange(long offset, long length, String what) throws ElfFormatException {
        if (offset < 0 || length < 0 || offset > image.length || length > image.length - offset) {
            throw error(String.format("%s [0x%x, +0x%x) is outside the file (%d bytes)",
                    what, offset, length, image.length));
        }
    }

    // Unchecked readers: callers have validated the range with checkRange.
    int u8(long at) {
        return Byte.toUnsignedInt(buf.get((int) at));
    }

    int u16(long at) {
        return Short.toUnsignedInt(buf.getShort((int) at));
    }

    int i32(long at) {
        return buf.getInt((int) at);
    }

    long u32(long at) {
        return Integer.toUnsignedLong(buf.getInt((int) at));
    }

    long i64(long at) {
        return buf.getLong((int) at);
    }

    /** The NUL-terminated string at {@code index} of a checked string table. */
    String cString(long tableOff, long tableSize, long index, String what) throws ElfFormatException {
        if (index < 0 || index >= tableSize) {
            throw error(String.format("%s: string index 0x%x outside its table (0x%x bytes)", what, index, tableSize));
        }
        int start = (int) (tableOff + index);
        int limit = (int) (tableOff + tableSize);
        for (int i = start; i < limit; i++) {
            if (image[i] == 0) {
                return new String(image, start, i - start, StandardCharsets.UTF_8);
            }
        }
        throw error(what + ": string is not NUL-terminated within its table");
    }
}
