package dev.zjvm.loader.zbi;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.boot.BootItems;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlatformItemsTest {
    private static byte[] le(int size, java.util.function.Consumer<ByteBuffer> fill) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        fill.accept(b);
        return b.array();
    }

    @Test
    void noItemsMeansOneRamRange() throws Exception {
        ZbiImage zbi = ZbiImage.parse("t", new ZbiWriter().addCmdline("x").toByteArray());
        BootItems items = PlatformItems.read(zbi, 1L << 30);
        assertEquals(List.of(new BootItems.MemoryRange(0, 1L << 30, BootItems.E820_RAM)), items.memory());
        assertTrue(items.framebuffer().isEmpty());
        assertEquals(0, items.acpiRsdp());
        assertEquals(0, items.smbios());
        assertTrue(items.uart().isEmpty());
    }

    @Test
    void readsThePlatformItems() throws Exception {
        byte[] zbi = new ZbiWriter()
                .addItem(PlatformItems.TYPE_ACPI_RSDP, 0, 0, le(8, b -> b.putLong(0xe0000)))
                .addItem(PlatformItems.TYPE_ACPI_RSDP, 0, 0, le(8, b -> b.putLong(0x1234))) // the first wins
                .addItem(PlatformItems.TYPE_SMBIOS, 0, 0, le(8, b -> b.putLong(0xf0000)))
                .addItem(PlatformItems.TYPE_FRAMEBUFFER, 0, 0, le(24, b -> b.putLong(0xfd000000L).putInt(640).putInt(480)
                        .putInt(640).putInt(0x00040008)))
                .addItem(PlatformItems.TYPE_MEM_CONFIG, 0, 0, le(48, b -> b.putLong(0).putLong(0x8000_0000L).putInt(1).putInt(0)
                        .putLong(0xfec0_0000L).putLong(0x1000).putInt(2).putInt(0)))
                .addItem(PlatformItems.TYPE_KERNEL_DRIVER, 0x12345678, 0, new byte[8]) // not a UART: ignored
                .addItem(PlatformItems.TYPE_KERNEL_DRIVER, BootItems.KernelDriver.I8250_PIO_UART, 0,
                        le(8, b -> b.putShort((short) 0x3f8).putShort((short) 0).putInt(4)))
                .addItem(PlatformItems.TYPE_NVRAM, 0, 0, le(16, b -> b.putLong(0x9000).putLong(0x1000)))
                .addItem(PlatformItems.TYPE_EFI_SYSTEM_TABLE, 0, 0, le(4, b -> b.putInt(7))) // too short: ignored
                .toByteArray();
        BootItems items = PlatformItems.read(ZbiImage.parse("t", zbi), 1L << 30);
        assertEquals(0xe0000, items.acpiRsdp());
        assertEquals(0xf0000, items.smbios());
        assertEquals(0, items.efiSystemTable());
        assertEquals(new BootItems.Framebuffer(0xfd000000L, 640, 480, 640, 0x00040008), items.usableFramebuffer().orElseThrow());
        assertEquals(List.of(new BootItems.MemoryRange(0, 0x8000_0000L, BootItems.E820_RAM),
                new BootItems.MemoryRange(0xfec0_0000L, 0x1000, BootItems.E820_RESERVED)), items.memory());
        assertEquals(BootItems.KernelDriver.I8250_PIO_UART, items.uart().orElseThrow().driverId());
        assertEquals(0x3f8, items.uart().orElseThrow().config()[0] & 0xff | (items.uart().orElseThrow().config()[1] & 0xff) << 8);
        assertEquals(new BootItems.Nvram(0x9000, 0x1000), items.nvram().orElseThrow());
    }

    @Test
    void anE820TableWinsOverMemConfig() throws Exception {
        byte[] zbi = new ZbiWriter()
                .addItem(PlatformItems.TYPE_MEM_CONFIG, 0, 0, le(24, b -> b.putLong(0).putLong(4096).putInt(1).putInt(0)))
                .addItem(PlatformItems.TYPE_E820_TABLE, 0, 0, le(40, b -> b.putLong(0).putLong(0x9f000).putInt(1)
                        .putLong(0x100000).putLong(0x7ff00000L).putInt(1)))
                .addItem(PlatformItems.TYPE_FRAMEBUFFER, 0, 0, new byte[24]) // base 0: no framebuffer to the kernel
                .toByteArray();
        BootItems items = PlatformItems.read(ZbiImage.parse("t", zbi), 1L << 30);
        assertEquals(2, items.memory().size());
        assertEquals(new BootItems.MemoryRange(0x100000, 0x7ff00000L, 1), items.memory().get(1));
        assertTrue(items.framebuffer().isPresent());
        assertTrue(items.usableFramebuffer().isEmpty());
    }
}
