package dev.zjvm.loader.zbi;

import dev.zjvm.object.boot.BootItems;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the platform boot items of a ZBI into the kernel's {@link BootItems}, as the 2020 x86
 * kernel saves them at boot (the first item of each type wins; a payload shorter than its
 * structure is ignored). Without a memory map item the machine is described as one RAM range of
 * {@code ramBytes} at physical address 0.
 */
public final class PlatformItems {
    public static final int TYPE_NVRAM = 0x4c4c564e;
    public static final int TYPE_MEM_CONFIG = 0x434D454D;
    public static final int TYPE_KERNEL_DRIVER = 0x5652444B;
    public static final int TYPE_ACPI_RSDP = 0x50445352;
    public static final int TYPE_SMBIOS = 0x49424d53;
    public static final int TYPE_EFI_SYSTEM_TABLE = 0x53494645;
    public static final int TYPE_E820_TABLE = 0x30323845;
    public static final int TYPE_FRAMEBUFFER = 0x42465753;

    /** {@code sizeof(zbi_swfb_t)}, {@code sizeof(e820entry_t)} (packed), {@code sizeof(zbi_mem_range_t)}. */
    static final int SWFB_SIZE = 24;
    static final int E820_ENTRY_SIZE = 20;
    static final int MEM_RANGE_SIZE = 24;
    /** {@code zbi_mem_range_t.type}: RAM, PERIPHERAL, RESERVED. */
    static final int MEM_RANGE_RAM = 1;

    private PlatformItems() {}

    public static BootItems read(ZbiImage zbi, long ramBytes) {
        List<BootItems.MemoryRange> memory = e820(zbi).or(() -> memConfig(zbi))
                .orElse(List.of(new BootItems.MemoryRange(0, ramBytes, BootItems.E820_RAM)));
        Optional<BootItems.Framebuffer> fb = first(zbi, TYPE_FRAMEBUFFER, SWFB_SIZE).map(p ->
                new BootItems.Framebuffer(p.getLong(0), p.getInt(8), p.getInt(12), p.getInt(16), p.getInt(20)));
        Optional<BootItems.KernelDriver> uart = zbi.items(TYPE_KERNEL_DRIVER).stream()
                .filter(i -> i.header().extra() == BootItems.KernelDriver.I8250_PIO_UART
                        || i.header().extra() == BootItems.KernelDriver.I8250_MMIO_UART)
                .findFirst().map(i -> new BootItems.KernelDriver(i.header().extra(), i.payloadBytes()));
        Optional<BootItems.Nvram> nvram = first(zbi, TYPE_NVRAM, 16).map(p -> new BootItems.Nvram(p.getLong(0), p.getLong(8)));
        return new BootItems(memory, fb, u64(zbi, TYPE_EFI_SYSTEM_TABLE), u64(zbi, TYPE_ACPI_RSDP), u64(zbi, TYPE_SMBIOS),
                uart, nvram);
    }

    private static Optional<ByteBuffer> first(ZbiImage zbi, int type, int minSize) {
        return zbi.items(type).stream().map(ZbiItem::payload).filter(p -> p.remaining() >= minSize).findFirst()
                .map(p -> p.duplicate().order(ByteOrder.LITTLE_ENDIAN));
    }

    private static long u64(ZbiImage zbi, int type) {
        return first(zbi, type, 8).map(p -> p.getLong(0)).orElse(0L);
    }

    private static Optional<List<BootItems.MemoryRange>> e820(ZbiImage zbi) {
        return first(zbi, TYPE_E820_TABLE, E820_ENTRY_SIZE).map(p -> {
            List<BootItems.MemoryRange> out = new ArrayList<>();
            for (int at = 0; at + E820_ENTRY_SIZE <= p.remaining(); at += E820_ENTRY_SIZE) {
                out.add(new BootItems.MemoryRange(p.getLong(at), p.getLong(at + 8), p.getInt(at + 16)));
            }
            return out;
        });
    }

    /** zbi_mem_range_t[] as e820 entries: RAM stays RAM, peripheral and reserved become reserved. */
    private static Optional<List<BootItems.MemoryRange>> memConfig(ZbiImage zbi) {
        return first(zbi, TYPE_MEM_CONFIG, MEM_RANGE_SIZE).map(p -> {
            List<BootItems.MemoryRange> out = new ArrayList<>();
            for (int at = 0; at + MEM_RANGE_SIZE <= p.remaining(); at += MEM_RANGE_SIZE) {
                int type = p.getInt(at + 16) == MEM_RANGE_RAM ? BootItems.E820_RAM : BootItems.E820_RESERVED;
                out.add(new BootItems.MemoryRange(p.getLong(at), p.getLong(at + 8), type));
            }
            return out;
        });
    }
}
