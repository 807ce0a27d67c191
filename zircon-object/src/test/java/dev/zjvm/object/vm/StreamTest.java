package dev.zjvm.object.vm;

import static dev.zjvm.object.ZxStatus.*;
import static dev.zjvm.object.vm.Zx.fails;
import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.Rights;
import dev.zjvm.object.handle.Handle;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class StreamTest {
    private final Kernel kernel = Kernel.forTesting(5);

    private static Stream.Transfer from(byte[] data) {
        return (vmo, off, len) -> vmo.write(off, data, 0, (int) len);
    }

    private static byte[] readAll(Stream s, long capacity) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.readv(capacity, (vmo, off, len) -> out.writeBytes(vmo.read(off, (int) len)));
        return out.toByteArray();
    }

    @Test
    void writeReadSeek() {
        Vmo vmo = Vmo.create(kernel, 0, VmoOptions.RESIZABLE);
        Stream s = Stream.create(kernel, Stream.MODE_READ | Stream.MODE_WRITE, vmo, 0);
        assertEquals(0xd0c3 | Rights.READ | Rights.WRITE, Stream.handleRights(Stream.MODE_READ | Stream.MODE_WRITE));
        assertEquals(5, s.writev(0, 5, from("hello".getBytes())));
        assertEquals(5, vmo.contentSize());
        assertEquals(4096, vmo.size(), "resizable VMO grew");
        assertEquals(5, s.seek());
        assertEquals(0, readAll(s, 100).length, "at the content end");
        assertEquals(1, s.seek(Stream.SEEK_ORIGIN_START, 1));
        assertEquals("ell", new String(readAll(s, 3)));
        assertEquals(2, s.seek(Stream.SEEK_ORIGIN_END, -3));
        assertEquals(4, s.seek(Stream.SEEK_ORIGIN_CURRENT, 2));
        fails(ERR_INVALID_ARGS, () -> s.seek(Stream.SEEK_ORIGIN_START, -1));
        fails(ERR_INVALID_ARGS, () -> s.seek(Stream.SEEK_ORIGIN_CURRENT, -5));
        fails(ERR_INVALID_ARGS, () -> s.seek(3, 0));
        assertEquals(4, s.seek());
        s.writev(Stream.APPEND, 3, from("!!!".getBytes()));
        assertEquals(8, s.seek());
        assertEquals(8, vmo.contentSize());
        fails(ERR_INVALID_ARGS, () -> s.writev(2, 1, from(new byte[1])));
        // Writing past the end zero-fills the gap.
        s.writevAt(20, 1, from(new byte[] {'x'}));
        assertEquals(21, vmo.contentSize());
        assertArrayEquals(new byte[12], vmo.read(8, 12));
        assertEquals(8, s.seek());
        assertEquals(1, s.readvAt(20, 10, (v, off, len) -> assertEquals('x', v.read(off, 1)[0])));
        java.nio.ByteBuffer info = java.nio.ByteBuffer.wrap(s.infoBytes()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(Stream.MODE_READ | Stream.MODE_WRITE, info.getInt(0));
        assertEquals(8, info.getLong(8));
        assertEquals(21, info.getLong(16));
    }

    @Test
    void fixedSizeVmoLimitsWrites() {
        Vmo vmo = Vmo.create(kernel, 10, 0);
        Stream s = Stream.create(kernel, Stream.MODE_WRITE, vmo, 4090);
        assertEquals(10, vmo.contentSize());
        assertEquals(6, s.writev(0, 100, from(new byte[100])));
        assertEquals(4096, vmo.contentSize());
        fails(ERR_NO_SPACE, () -> s.writev(0, 1, from(new byte[1])));
        fails(ERR_FILE_BIG, () -> s.writevAt(-2L, 10, from(new byte[10])));
    }

    @Test
    void streamKeepsVmoAlive() {
        Vmo vmo = Vmo.create(kernel, 4096, 0);
        Handle vh = Handle.createDefault(vmo);
        Stream s = Stream.create(kernel, Stream.MODE_READ, vmo, 0);
        Handle sh = Handle.createDefault(s);
        vh.destroy();
        assertFalse(vmo.isDead());
        sh.destroy();
        assertTrue(vmo.isDead());
        fails(ERR_INVALID_ARGS, () -> Stream.create(kernel, 4, Vmo.create(kernel, 1, 0), 0));
    }
}
