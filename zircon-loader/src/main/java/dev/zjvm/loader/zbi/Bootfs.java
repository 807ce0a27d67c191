package dev.zjvm.loader.zbi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed, validated BOOTFS image (formats.md §C): header, packed directory entries, and
 * page-aligned file data. The image is a read-only view; entries are checked once here.
 */
public final class Bootfs {
    private final ByteBuffer image;
    private final List<BootfsEntry> entries;

    private Bootfs(ByteBuffer image, List<BootfsEntry> entries) {
        this.image = image;
        this.entries = entries;
    }

    /** Parses the BOOTFS in the remaining bytes of {@code bytes}; {@code source} names it in errors. */
    public static Bootfs parse(String source, ByteBuffer bytes) throws ZbiFormatException {
        ByteBuffer image = bytes.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        int size = image.remaining();
        if (size < Zbi.BOOTFS_HEADER_SIZE) {
            throw new ZbiFormatException(source, "truncated: " + size + " bytes, the BOOTFS header needs 16");
        }
        if (image.getInt(0) != Zbi.BOOTFS_MAGIC) {
            throw new ZbiFormatException(source, String.format("bad BOOTFS magic 0x%08x", image.getInt(0)));
        }
        long dirsize = Integer.toUnsignedLong(image.getInt(4));
        if (dirsize > size - Zbi.BOOTFS_HEADER_SIZE) {
            throw new ZbiFormatException(source, "directory size " + dirsize + " exceeds the image (" + size + " bytes)");
        }
        long dirEnd = Zbi.BOOTFS_HEADER_SIZE + dirsize;
        List<BootfsEntry> list = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int at = Zbi.BOOTFS_HEADER_SIZE;
        // Like userboot: entries are read while more than the fixed part remains.
        while (dirEnd - at > Zbi.BOOTFS_DIRENT_FIXED_SIZE) {
            String what = "directory entry " + list.size() + " at offset " + at;
            long nameLen = Integer.toUnsignedLong(image.getInt(at));
            long dataLen = Integer.toUnsignedLong(image.getInt(at + 4));
            long dataOff = Integer.toUnsignedLong(image.getInt(at + 8));
            if (nameLen < 2 || nameLen > Zbi.BOOTFS_MAX_NAME_LEN) {
                throw new ZbiFormatException(source, what + ": bad name length " + nameLen);
            }
            int entrySize = Zbi.direntSize((int) nameLen);
            if (at + entrySize > dirEnd) {
                throw new ZbiFormatException(source, what + ": runs past the end of the directory");
            }
            byte[] raw = new byte[(int) nameLen];
            image.get(at + Zbi.BOOTFS_DIRENT_FIXED_SIZE, raw);
            if (raw[raw.length - 1] != 0) {
                throw new ZbiFormatException(source, what + ": name is not NUL-terminated");
            }
            String name = new String(raw, 0, raw.length - 1, StandardCharsets.UTF_8);
            if (name.indexOf('\0') >= 0) {
                throw new ZbiFormatException(source, what + ": name contains a NUL byte");
            }
            if (dataOff % Zbi.BOOTFS_PAGE_SIZE != 0) {
                throw new ZbiFormatException(source, what + " (" + name + "): data offset " + dataOff
                        + " is not page-aligned");
            }
            if (dataOff + dataLen > size) {
                throw new ZbiFormatException(source, what + " (" + name + "): data [" + dataOff + ", +" + dataLen
                        + ") runs past the end of the image (" + size + " bytes)");
            }
            if (dataLen > 0 && dataOff < dirEnd) {
                throw new ZbiFormatException(source, what + " (" + name + "): data overlaps the directory");
            }
            if (!names.add(name)) {
                throw new ZbiFormatException(source, what + ": duplicate name " + name);
            }
            list.add(new BootfsEntry(name, (int) dataOff, (int) dataLen));
            at += entrySize;
        }
        return new Bootfs(image, List.copyOf(list));
    }

    public List<BootfsEntry> entries() {
        return entries;
    }

    /** The entry whose whole name equals {@code path} (byte-for-byte, as userboot matches). */
    public Optional<BootfsEntry> find(String path) {
        return entries.stream().filter(e -> e.name().equals(path)).findFirst();
    }

    /** Read-only view of an entry's data. */
    public ByteBuffer contents(BootfsEntry entry) {
        return image.slice(entry.dataOffset(), entry.dataLength()).order(ByteOrder.LITTLE_ENDIAN);
    }

    public byte[] read(BootfsEntry entry) {
        byte[] out = new byte[entry.dataLength()];
        contents(entry).get(out);
        return out;
    }

    /** Size of the BOOTFS image in bytes. */
    public int size() {
        return image.capacity();
    }
}
