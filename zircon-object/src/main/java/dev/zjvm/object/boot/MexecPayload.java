package dev.zjvm.object.boot;

import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * The data ZBI the 2020 x86 kernel hands to the next kernel on mexec
 * ({@code zx_system_mexec_payload_get}): an empty container into which the platform appends, in
 * this order, the e820 memory map (always), the framebuffer (if its base is non-zero), the EFI
 * system table, ACPI RSDP and SMBIOS addresses (if non-zero), the i8250 UART driver item and the
 * NVRAM area (if present). Items carry ZBI_FLAG_VERSION and no CRC, payloads are 8-byte padded.
 */
public final class MexecPayload {
    /** Largest buffer the syscall accepts: {@code kBootdataPlatformExtraBytes} (4 pages). */
    public static final int MAX_SIZE = 4 * 4096;
    /** Entries of the e820 buffer the 2020 kernel fills ({@code e820buf}). */
    public static final int MAX_E820_ENTRIES = 64;

    static final int HEADER_SIZE = 32;
    static final int TYPE_CONTAINER = 0x544f4f42;
    static final int TYPE_E820_TABLE = 0x30323845;
    static final int TYPE_FRAMEBUFFER = 0x42465753;
    static final int TYPE_EFI_SYSTEM_TABLE = 0x53494645;
    static final int TYPE_ACPI_RSDP = 0x50445352;
    static final int TYPE_SMBIOS = 0x49424d53;
    static final int TYPE_KERNEL_DRIVER = 0x5652444B;
    static final int TYPE_NVRAM = 0x4c4c564e;
    static final int CONTAINER_MAGIC = 0x868cf7e6;
    static final int ITEM_MAGIC = 0xb5781729;
    static final int ITEM_NO_CRC32 = 0x4a87e8d6;
    static final int FLAG_VERSION = 0x00010000;

    private final ByteBuffer out;

    private MexecPayload(int size) {
        out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * The payload in a zero-filled buffer of exactly {@code size} bytes (what the syscall copies out).
     *
     * @throws ZxException BUFFER_TOO_SMALL if the memory map has more than 64 entries; INTERNAL if
     *     the container or an item does not fit in {@code size} (the 2020 ZBI library's TOO_BIG)
     */
    public static byte[] build(BootItems items, int size) {
        if (size < 0 || size > MAX_SIZE) throw new IllegalArgumentException("payload size " + size);
        if (items.memory().size() > MAX_E820_ENTRIES) throw new ZxException(ZxStatus.ERR_BUFFER_TOO_SMALL, "e820 map too long");
        MexecPayload p = new MexecPayload(size);
        p.reset();
        ByteBuffer e820 = le(items.memory().size() * 20);
        for (BootItems.MemoryRange r : items.memory()) {
            e820.putLong(r.base()).putLong(r.size()).putInt(r.type() == BootItems.E820_RAM ? BootItems.E820_RAM : BootItems.E820_RESERVED);
        }
        p.append(TYPE_E820_TABLE, 0, e820.array());
        Optional<BootItems.Framebuffer> fb = items.usableFramebuffer();
        if (fb.isPresent()) {
            BootItems.Framebuffer f = fb.get();
            p.append(TYPE_FRAMEBUFFER, 0, le(24).putLong(f.base()).putInt(f.width()).putInt(f.height()).putInt(f.stride())
                    .putInt(f.format()).array());
        }
        if (items.efiSystemTable() != 0) p.append(TYPE_EFI_SYSTEM_TABLE, 0, le(8).putLong(items.efiSystemTable()).array());
        if (items.acpiRsdp() != 0) p.append(TYPE_ACPI_RSDP, 0, le(8).putLong(items.acpiRsdp()).array());
        if (items.smbios() != 0) p.append(TYPE_SMBIOS, 0, le(8).putLong(items.smbios()).array());
        if (items.uart().isPresent()) p.append(TYPE_KERNEL_DRIVER, items.uart().get().driverId(), items.uart().get().config());
        if (items.nvram().isPresent() && items.nvram().get().base() != 0) {
            p.append(TYPE_NVRAM, 0, le(16).putLong(items.nvram().get().base()).putLong(items.nvram().get().length()).array());
        }
        return p.out.array();
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** An empty container header at offset 0. */
    private void reset() {
        if (out.capacity() < HEADER_SIZE) throw new ZxException(ZxStatus.ERR_INTERNAL, "no room for a ZBI container");
        header(0, TYPE_CONTAINER, 0, CONTAINER_MAGIC);
    }

    private void append(int type, int extra, byte[] payload) {
        int length = out.getInt(4);
        int at = HEADER_SIZE + length;
        int padded = (payload.length + 7) & ~7;
        if ((long) at + HEADER_SIZE + padded > out.capacity()) {
            throw new ZxException(ZxStatus.ERR_INTERNAL, "mexec payload does not fit");
        }
        header(at, type, payload.length, extra);
        out.put(at + HEADER_SIZE, payload);
        out.putInt(4, length + HEADER_SIZE + padded);
    }

    private void header(int at, int type, int length, int extra) {
        out.putInt(at, type).putInt(at + 4, length).putInt(at + 8, extra).putInt(at + 12, FLAG_VERSION)
                .putInt(at + 16, 0).putInt(at + 20, 0).putInt(at + 24, ITEM_MAGIC).putInt(at + 28, ITEM_NO_CRC32);
    }
}
