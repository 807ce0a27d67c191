package dev.zjvm.loader.zbi;

/** ZBI and BOOTFS constants (formats.md §B, §C; Fuchsia boot/image.h and boot/bootfs.h, 2020). */
public final class Zbi {
    private Zbi() {}

    public static final int HEADER_SIZE = 32;
    public static final int ALIGNMENT = 8;

    public static final int TYPE_CONTAINER = 0x544f4f42;
    public static final int TYPE_KERNEL_X64 = 0x4c4e524b;
    public static final int TYPE_KERNEL_ARM64 = 0x384e524b;
    public static final int TYPE_KERNEL_PREFIX = 0x004e524b;
    public static final int TYPE_KERNEL_MASK = 0x00ffffff;
    public static final int TYPE_DISCARD = 0x50494b53;
    public static final int TYPE_STORAGE_RAMDISK = 0x4b534452;
    public static final int TYPE_STORAGE_BOOTFS = 0x42534642;
    public static final int TYPE_STORAGE_BOOTFS_FACTORY = 0x46534642;
    public static final int TYPE_CMDLINE = 0x4c444d43;
    public static final int TYPE_CRASHLOG = 0x4d4f4f42;

    public static final int CONTAINER_MAGIC = 0x868cf7e6;
    public static final int ITEM_MAGIC = 0xb5781729;
    public static final int ITEM_NO_CRC32 = 0x4a87e8d6;

    public static final int FLAG_VERSION = 0x00010000;
    public static final int FLAG_CRC32 = 0x00020000;
    public static final int FLAG_STORAGE_COMPRESSED = 0x00000001;

    public static final int BOOTFS_MAGIC = 0xa56d3ff9;
    public static final int BOOTFS_HEADER_SIZE = 16;
    public static final int BOOTFS_DIRENT_FIXED_SIZE = 12;
    public static final int BOOTFS_MAX_NAME_LEN = 256;
    public static final int BOOTFS_PAGE_SIZE = 4096;

    /** Compressed-stream magics, to name the codec in error messages. */
    public static final int LZ4_FRAME_MAGIC = 0x184D2204;
    public static final int ZSTD_MAGIC = 0xFD2FB528;

    public static long align(long n) {
        return (n + ALIGNMENT - 1) & -ALIGNMENT;
    }

    public static int direntSize(int nameLen) {
        return (BOOTFS_DIRENT_FIXED_SIZE + nameLen + 3) & ~3;
    }

    public static long pageAlign(long n) {
        return (n + BOOTFS_PAGE_SIZE - 1) & -BOOTFS_PAGE_SIZE;
    }

    public static boolean isKernelType(int type) {
        return (type & TYPE_KERNEL_MASK) == TYPE_KERNEL_PREFIX;
    }

    /** The type's four ASCII letters as the format defines them ("BFSB"), or hex when not printable. */
    public static String typeName(int type) {
        StringBuilder sb = new StringBuilder(4);
        for (int i = 0; i < 4; i++) {
            int c = (type >>> (8 * i)) & 0xff;
            if (c < 0x20 || c > 0x7e) {
                return String.format("0x%08x", type);
            }
            sb.append((char) c);
        }
        return sb.toString();
    }
}
