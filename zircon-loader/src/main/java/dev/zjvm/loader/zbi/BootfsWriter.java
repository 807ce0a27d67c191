package dev.zjvm.loader.zbi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds a BOOTFS image (formats.md §C): 16-byte header, dirents packed with 4-byte padding,
 * then each file at a 4096-aligned offset, zero-padded to a page multiple. Entries keep the
 * order they were added in.
 */
public final class BootfsWriter {
    private final Map<String, byte[]> files = new LinkedHashMap<>();

    /**
     * Adds a file. The name is a relative path ("bin/app"): no leading '/', no empty, "." or ".."
     * components, no NUL, at most 255 UTF-8 bytes.
     *
     * @throws IllegalArgumentException for a bad or duplicate name
     */
    public BootfsWriter add(String name, byte[] data) {
        checkName(name);
        if (files.containsKey(name)) {
            throw new IllegalArgumentException("duplicate BOOTFS entry: " + name);
        }
        files.put(name, data.clone());
        return this;
    }

    public boolean contains(String name) {
        return files.containsKey(name);
    }

    static void checkName(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty BOOTFS name");
        }
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("BOOTFS name contains NUL: " + name);
        }
        int len = name.getBytes(StandardCharsets.UTF_8).length + 1;
        if (len > Zbi.BOOTFS_MAX_NAME_LEN) {
            throw new IllegalArgumentException("BOOTFS name longer than 255 bytes: " + name);
        }
        for (String part : name.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("bad BOOTFS path (empty, '.' or '..' component): " + name);
            }
        }
    }

    public byte[] toByteArray() {
        long dirsize = 0;
        for (String name : files.keySet()) {
            dirsize += Zbi.direntSize(name.getBytes(StandardCharsets.UTF_8).length + 1);
        }
        long dataStart = Zbi.pageAlign(Zbi.BOOTFS_HEADER_SIZE + dirsize);
        long total = dataStart;
        for (byte[] data : files.values()) {
            total += Zbi.pageAlign(data.length);
        }
        if (total > Integer.MAX_VALUE - Zbi.HEADER_SIZE * 2) {
            throw new IllegalStateException("BOOTFS image would be " + total + " bytes, too large");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(Zbi.BOOTFS_MAGIC).putInt((int) dirsize).putInt(0).putInt(0);
        long dataOff = dataStart;
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            int direntAt = out.position();
            out.putInt(name.length + 1).putInt(e.getValue().length).putInt((int) dataOff).put(name).put((byte) 0);
            out.position(direntAt + Zbi.direntSize(name.length + 1));
            out.put((int) dataOff, e.getValue());
            dataOff += Zbi.pageAlign(e.getValue().length);
        }
        return out.array();
    }
}
