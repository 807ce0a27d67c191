package dev.zjvm.loader.zbi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * A parsed, validated ZBI container (formats.md §B). Validation covers the container header,
 * every item header (magic, ZBI_FLAG_VERSION, length within the container, 8-byte alignment)
 * and, where ZBI_FLAG_CRC32 is set, the payload CRC. Immutable; the bytes are copied once.
 */
public final class ZbiImage {
    private final String source;
    private final byte[] image;
    private final ZbiItemHeader container;
    private final List<ZbiItem> items;

    private ZbiImage(String source, byte[] image) throws ZbiFormatException {
        this.source = source;
        this.image = image;
        ByteBuffer view = ByteBuffer.wrap(image).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        if (image.length < Zbi.HEADER_SIZE) {
            throw error("truncated: " + image.length + " bytes, a ZBI container header needs " + Zbi.HEADER_SIZE);
        }
        this.container = ZbiItemHeader.read(view, 0);
        if (container.type() != Zbi.TYPE_CONTAINER || container.extra() != Zbi.CONTAINER_MAGIC) {
            throw error("not a ZBI (no container header)");
        }
        if (container.magic() != Zbi.ITEM_MAGIC) {
            throw error(String.format("container header has bad item magic 0x%08x", container.magic()));
        }
        if (!container.hasFlag(Zbi.FLAG_VERSION)) {
            throw error("container header lacks ZBI_FLAG_VERSION (bootdata v1 is not supported)");
        }
        long end = Zbi.HEADER_SIZE + container.lengthUnsigned();
        if (container.lengthUnsigned() % Zbi.ALIGNMENT != 0) {
            throw error("container length " + container.lengthUnsigned() + " is not a multiple of 8");
        }
        if (end > image.length) {
            throw error("truncated: container says " + end + " bytes, the image has " + image.length);
        }
        this.items = parseItems(view, (int) end);
    }

    public static ZbiImage parse(String source, byte[] bytes) throws ZbiFormatException {
        return new ZbiImage(source, bytes.clone());
    }

    /** Largest file {@link #read} accepts (images live in one Java array). */
    public static final long MAX_FILE_SIZE = 1L << 30;

    public static ZbiImage read(Path path) throws IOException, ZbiFormatException {
        String name = path.getFileName().toString();
        if (Files.size(path) > MAX_FILE_SIZE) {
            throw new ZbiFormatException(name, "too large (" + Files.size(path) + " bytes)");
        }
        return new ZbiImage(name, Files.readAllBytes(path));
    }

    private List<ZbiItem> parseItems(ByteBuffer view, int end) throws ZbiFormatException {
        List<ZbiItem> list = new ArrayList<>();
        int at = Zbi.HEADER_SIZE;
        while (at < end) {
            int index = list.size();
            if (end - at < Zbi.HEADER_SIZE) {
                throw error("item " + index + " at offset " + at + ": truncated header");
            }
            ZbiItemHeader h = ZbiItemHeader.read(view, at);
            String what = "item " + index + " (" + Zbi.typeName(h.type()) + ") at offset " + at;
            if (h.magic() != Zbi.ITEM_MAGIC) {
                throw error(String.format("%s: bad item magic 0x%08x", what, h.magic()));
            }
            if (!h.hasFlag(Zbi.FLAG_VERSION)) {
                throw error(what + ": lacks ZBI_FLAG_VERSION (bootdata v1 is not supported)");
            }
            long payloadAt = (long) at + Zbi.HEADER_SIZE;
            long next = payloadAt + Zbi.align(h.lengthUnsigned());
            if (next > end) {
                throw error(what + ": length " + h.lengthUnsigned() + " runs past the end of the container");
            }
            ByteBuffer payload = view.slice((int) payloadAt, h.length()).order(ByteOrder.LITTLE_ENDIAN);
            if (h.hasFlag(Zbi.FLAG_CRC32)) {
                CRC32 crc = new CRC32();
                crc.update(payload.duplicate());
                if ((int) crc.getValue() != h.crc32()) {
                    throw error(String.format("%s: CRC32 mismatch (header 0x%08x, payload 0x%08x)",
                            what, h.crc32(), (int) crc.getValue()));
                }
            }
            list.add(new ZbiItem(at, h, payload.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN)));
            at = (int) next;
        }
        return List.copyOf(list);
    }

    private ZbiFormatException error(String problem) {
        return new ZbiFormatException(source, problem);
    }

    public String source() {
        return source;
    }

    public ZbiItemHeader containerHeader() {
        return container;
    }

    public List<ZbiItem> items() {
        return items;
    }

    public List<ZbiItem> items(int type) {
        return items.stream().filter(i -> i.type() == type).toList();
    }

    /** Size of the whole image in bytes. */
    public int size() {
        return image.length;
    }

    /** A copy of the whole image (what the kernel hands userboot as the ZBI VMO). */
    public byte[] toByteArray() {
        return image.clone();
    }

    /** The text of every CMDLINE item in order, each cut at its first NUL. */
    public List<String> cmdlineFragments() {
        List<String> out = new ArrayList<>();
        for (ZbiItem item : items(Zbi.TYPE_CMDLINE)) {
            byte[] b = item.payloadBytes();
            int len = 0;
            while (len < b.length && b[len] != 0) {
                len++;
            }
            out.add(new String(b, 0, len, StandardCharsets.UTF_8));
        }
        return List.copyOf(out);
    }

    /** The first STORAGE_BOOTFS item, which userboot takes. */
    public Optional<ZbiItem> bootfsItem() {
        return items.stream().filter(i -> i.type() == Zbi.TYPE_STORAGE_BOOTFS).findFirst();
    }

    /**
     * The first BOOTFS, parsed. Compressed storage is rejected with a clear error naming the codec:
     * our images are built uncompressed (formats.md §B.4 allows it).
     */
    public Bootfs bootfs() throws ZbiFormatException {
        ZbiItem item = bootfsItem().orElseThrow(() -> error("no BOOTFS item"));
        if (item.isCompressed()) {
            int magic = item.payload().remaining() >= 4 ? item.payload().getInt(0) : 0;
            String codec = magic == Zbi.LZ4_FRAME_MAGIC ? "LZ4" : magic == Zbi.ZSTD_MAGIC ? "zstd" : "unknown codec";
            throw error("BOOTFS item is compressed (" + codec + "); only uncompressed BOOTFS is supported"
                    + " (rebuild it with zbi-tool)");
        }
        if (Integer.toUnsignedLong(item.header().extra()) != item.header().lengthUnsigned()) {
            throw error("BOOTFS item: uncompressed size " + Integer.toUnsignedLong(item.header().extra())
                    + " differs from its length " + item.header().lengthUnsigned());
        }
        return Bootfs.parse(source + " BOOTFS", item.payload());
    }
}
