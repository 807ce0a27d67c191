package dev.zjvm.object.boot;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MexecPayloadTest {
    private record Item(int type, int length, int extra, int flags, ByteBuffer payload) {}

    /** Walks the container the way a boot loader would, checking every header. */
    private static List<Item> items(byte[] zbi) {
        ByteBuffer b = ByteBuffer.wrap(zbi).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(MexecPayload.TYPE_CONTAINER, b.getInt(0));
        assertEquals(MexecPayload.CONTAINER_MAGIC, b.getInt(8));
        assertEquals(MexecPayload.FLAG_VERSION, b.getInt(12));
        assertEquals(MexecPayload.ITEM_MAGIC, b.getInt(24));
        int end = 32 + b.getInt(4);
        List<Item> out = new ArrayList<>();
        for (int at = 32; at < end; ) {
            int len = b.getInt(at + 4);
            assertEquals(MexecPayload.ITEM_MAGIC, b.getInt(at + 24));
            assertEquals(MexecPayload.ITEM_NO_CRC32, b.getInt(at + 28));
            out.add(new Item(b.getInt(at), len, b.getInt(at + 8), b.getInt(at + 12),
                    b.slice(at + 32, len).order(ByteOrder.LITTLE_ENDIAN)));
            at += 32 + ((len + 7) & ~7);
        }
        for (int i = end; i < zbi.length; i++) assertEquals(0, zbi[i], "zero after the container");
        return out;
    }

    @Test
    void bareMachineGetsOnlyItsMemoryMap() {
        BootItems items = new BootItems(List.of(new BootItems.MemoryRange(0, 1L << 32, BootItems.E820_RAM)), Optional.empty(),
                0, 0, 0, Optional.empty(), Optional.empty());
        byte[] zbi = MexecPayload.build(items, 4096);
        assertEquals(4096, zbi.length);
        List<Item> list = items(zbi);
        assertEquals(1, list.size());
        Item e820 = list.get(0);
        assertEquals(MexecPayload.TYPE_E820_TABLE, e820.type());
        assertEquals(20, e820.length());
        assertEquals(MexecPayload.FLAG_VERSION, e820.flags());
        assertEquals(1L << 32, e820.payload().getLong(8));
        assertEquals(BootItems.E820_RAM, e820.payload().getInt(16));
    }

    @Test
    void platformItemsInThe2020Order() {
        BootItems items = new BootItems(List.of(new BootItems.MemoryRange(0, 0x9f000, 1), new BootItems.MemoryRange(0xf0000, 0x10000, 2)),
                Optional.of(new BootItems.Framebuffer(0xfd000000L, 800, 600, 800, 7)), 0x7000, 0xe0000, 0xf0010,
                Optional.of(new BootItems.KernelDriver(BootItems.KernelDriver.I8250_PIO_UART, new byte[] {(byte) 0xf8, 3, 0, 0, 4, 0, 0, 0})),
                Optional.of(new BootItems.Nvram(0x8000, 0x1000)));
        List<Item> list = items(MexecPayload.build(items, MexecPayload.MAX_SIZE));
        assertEquals(List.of(MexecPayload.TYPE_E820_TABLE, MexecPayload.TYPE_FRAMEBUFFER, MexecPayload.TYPE_EFI_SYSTEM_TABLE,
                MexecPayload.TYPE_ACPI_RSDP, MexecPayload.TYPE_SMBIOS, MexecPayload.TYPE_KERNEL_DRIVER, MexecPayload.TYPE_NVRAM),
                list.stream().map(Item::type).toList());
        assertEquals(40, list.get(0).length());
        assertEquals(2, list.get(0).payload().getInt(36));
        assertEquals(600, list.get(1).payload().getInt(12));
        assertEquals(0xe0000, list.get(3).payload().getLong(0));
        assertEquals(BootItems.KernelDriver.I8250_PIO_UART, list.get(5).extra());
        assertEquals(0x1000, list.get(6).payload().getLong(8));
    }

    @Test
    void sizeErrors() {
        assertEquals(ZxStatus.ERR_INTERNAL,
                assertThrows(ZxException.class, () -> MexecPayload.build(BootItems.NONE, 31)).status(), "no room for the container");
        assertEquals(ZxStatus.ERR_INTERNAL,
                assertThrows(ZxException.class, () -> MexecPayload.build(BootItems.NONE, 63)).status(), "no room for the e820 item");
        assertEquals(64, MexecPayload.build(BootItems.NONE, 64).length, "an empty memory map still gets its item");
        BootItems huge = new BootItems(Collections.nCopies(65, new BootItems.MemoryRange(0, 4096, 1)), Optional.empty(), 0, 0, 0,
                Optional.empty(), Optional.empty());
        assertEquals(ZxStatus.ERR_BUFFER_TOO_SMALL,
                assertThrows(ZxException.class, () -> MexecPayload.build(huge, MexecPayload.MAX_SIZE)).status());
    }
}
