package dev.zjvm.loader.zbi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/** Builds a ZBI container: items in the order added, each 8-byte aligned with zero padding. */
public final class ZbiWriter {
    private record Pending(int type, int extra, int flags, byte[] payload) {}

    private final List<Pending> items = new ArrayList<>();
    private boolean crc32 = true;

    /** Whether items carry a CRC32 of their payload (default true). */
    public ZbiWriter crc32(boolean enabled) {
        this.crc32 = enabled;
        return this;
    }

    /** Adds a raw item; ZBI_FLAG_VERSION (and CRC32 if enabled) are added to {@code flags}. */
    public ZbiWriter addItem(int type, int extra, int flags, byte[] payload) {
        if (type == Zbi.TYPE_CONTAINER) {
            throw new IllegalArgumentException("nested containers are not supported");
        }
        items.add(new Pending(type, extra, flags, payload.clone()));
        return this;
    }

    /** Adds a CMDLINE item holding {@code text} plus a terminating NUL. */
    public ZbiWriter addCmdline(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[utf8.length + 1];
        System.arraycopy(utf8, 0, payload, 0, utf8.length);
        return addItem(Zbi.TYPE_CMDLINE, 0, 0, payload);
    }

    /** Adds an uncompressed STORAGE_BOOTFS item (extra = uncompressed size). */
    public ZbiWriter addBootfs(byte[] bootfsImage) {
        return addItem(Zbi.TYPE_STORAGE_BOOTFS, bootfsImage.length, 0, bootfsImage);
    }

    public byte[] toByteArray() {
        long body = 0;
        for (Pending p : items) {
            body += Zbi.HEADER_SIZE + Zbi.align(p.payload().length);
        }
        if (body > Integer.MAX_VALUE - Zbi.HEADER_SIZE) {
            throw new IllegalStateException("ZBI would be " + body + " bytes, too large");
        }
        ByteBuffer out = ByteBuffer.allocate((int) (Zbi.HEADER_SIZE + body)).order(ByteOrder.LITTLE_ENDIAN);
        ZbiItemHeader.container((int) body).write(out);
        for (Pending p : items) {
            int flags = p.flags() | Zbi.FLAG_VERSION;
            int crc = Zbi.ITEM_NO_CRC32;
            if (crc32) {
                CRC32 c = new CRC32();
                c.update(p.payload());
                crc = (int) c.getValue();
                flags |= Zbi.FLAG_CRC32;
            }
            new ZbiItemHeader(p.type(), p.payload().length, p.extra(), flags, 0, 0, Zbi.ITEM_MAGIC, crc).write(out);
            out.put(p.payload());
            out.position((int) Zbi.align(out.position()));
        }
        return out.array();
    }

    public void writeTo(Path path) throws IOException {
        Files.write(path, toByteArray());
    }
}
