package dev.zjvm.object.debuglog;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.signal.Signals;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DebugLogTest {
    private final Kernel kernel = Kernel.forTesting(1);

    @Test
    void writesReachListenersAndReadersInOrder() {
        List<String> console = new ArrayList<>();
        DebugLog.buffer(kernel).addListener(r -> console.add(r.text()));
        DebugLog writer = DebugLog.create(kernel, 0);
        DebugLog reader = DebugLog.create(kernel, DebugLog.FLAG_READABLE);
        assertFalse(Rights.has(writer.createRights(), Rights.READ));
        assertTrue(Rights.has(reader.createRights(), Rights.READ));
        assertEquals(0, reader.signals() & Signals.READABLE);

        writer.write(4, "hello\n".getBytes(StandardCharsets.UTF_8), 7, 8);
        writer.write(0, "world".getBytes(StandardCharsets.UTF_8), 7, 9);
        assertEquals(List.of("hello", "world"), console);
        assertNotEquals(0, reader.signals() & Signals.READABLE);

        LogRecord first = reader.read();
        assertEquals("hello", first.text());
        assertEquals(4, first.flags());
        ByteBuffer b = ByteBuffer.wrap(first.toBytes()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(6, b.getShort(4));
        assertEquals(4, b.getShort(6));
        assertEquals(7, b.getLong(16));
        assertEquals(8, b.getLong(24));
        assertEquals("world", reader.read().text());
        assertEquals(0, reader.signals() & Signals.READABLE);
        ZxException e = assertThrows(ZxException.class, reader::read);
        assertEquals(ZxStatus.ERR_SHOULD_WAIT, e.status());
    }

    @Test
    void longWritesAreTruncatedAndBadOptionsRejected() {
        DebugLog log = DebugLog.create(kernel, DebugLog.FLAG_READABLE);
        log.write(0, new byte[1000], 1, 1);
        assertEquals(LogRecord.MAX_DATA, log.read().data().length);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, assertThrows(ZxException.class, () -> log.write(0x10000, new byte[1], 1, 1)).status());
        assertEquals(ZxStatus.ERR_INVALID_ARGS, assertThrows(ZxException.class, () -> DebugLog.create(kernel, 1)).status());
    }

    @Test
    void kernelsHaveSeparateLogs() {
        Kernel other = Kernel.forTesting(2);
        DebugLog.create(kernel, 0).write(0, new byte[] {'a'}, 1, 1);
        DebugLog r = DebugLog.create(other, DebugLog.FLAG_READABLE);
        assertThrows(ZxException.class, r::read);
    }
}
