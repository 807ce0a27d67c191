package dev.zjvm.object.boot;

import dev.zjvm.object.Kernel;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The platform boot items the boot loader passed in the ZBI, as the 2020 x86 kernel keeps them
 * ({@code pc_bootloader_info_t}): the memory map, the boot framebuffer, firmware table addresses,
 * the debug UART and the NVRAM crashlog area. Addresses are physical; 0 means absent.
 *
 * @param memory         e820-style memory map (empty if the loader knew none)
 * @param framebuffer    {@code ZBI_TYPE_FRAMEBUFFER} ({@code zbi_swfb_t})
 * @param efiSystemTable {@code ZBI_TYPE_EFI_SYSTEM_TABLE}, 0 if absent
 * @param acpiRsdp       {@code ZBI_TYPE_ACPI_RSDP}, 0 if absent
 * @param smbios         {@code ZBI_TYPE_SMBIOS}, 0 if absent
 * @param uart           the first i8250 {@code ZBI_TYPE_KERNEL_DRIVER} item
 * @param nvram          {@code ZBI_TYPE_NVRAM} ({@code zbi_nvram_t})
 */
public record BootItems(List<MemoryRange> memory, Optional<Framebuffer> framebuffer, long efiSystemTable, long acpiRsdp,
                        long smbios, Optional<KernelDriver> uart, Optional<Nvram> nvram) {
    /** A machine whose boot loader passed nothing. */
    public static final BootItems NONE = new BootItems(List.of(), Optional.empty(), 0, 0, 0, Optional.empty(), Optional.empty());

    /** e820 entry types. */
    public static final int E820_RAM = 1;
    public static final int E820_RESERVED = 2;

    public BootItems {
        memory = List.copyOf(memory);
        Objects.requireNonNull(framebuffer);
        Objects.requireNonNull(uart);
        Objects.requireNonNull(nvram);
    }

    /** One e820 entry ({@code e820entry_t}: addr, size, type). */
    public record MemoryRange(long base, long size, int type) {}

    /**
     * {@code zbi_swfb_t}: the boot loader's linear framebuffer. A zero base means "no framebuffer"
     * to the 2020 kernel, so such an item is kept but treated as absent.
     */
    public record Framebuffer(long base, int width, int height, int stride, int format) {}

    /** A {@code ZBI_TYPE_KERNEL_DRIVER} item: its {@code extra} (driver id) and payload. */
    public record KernelDriver(int driverId, byte[] config) {
        /** {@code KDRV_I8250_PIO_UART} ('8250') and {@code KDRV_I8250_MMIO_UART} ('825M'). */
        public static final int I8250_PIO_UART = 0x30353238;
        public static final int I8250_MMIO_UART = 0x4d353238;

        public KernelDriver {
            config = config.clone();
        }

        @Override
        public byte[] config() {
            return config.clone();
        }
    }

    /** {@code zbi_nvram_t}. */
    public record Nvram(long base, long length) {}

    /** The framebuffer the 2020 kernel would use: present and with a non-zero base. */
    public Optional<Framebuffer> usableFramebuffer() {
        return framebuffer.filter(f -> f.base() != 0);
    }

    /** The kernel's boot items; {@link #NONE} if the embedder installed none. */
    public static BootItems of(Kernel kernel) {
        return kernel.service(BootItems.class, k -> NONE);
    }

    /**
     * Records what the boot loader passed; call before anything reads it.
     *
     * @throws IllegalStateException if the kernel already has boot items
     */
    public static void install(Kernel kernel, BootItems items) {
        kernel.installService(BootItems.class, items);
    }
}
