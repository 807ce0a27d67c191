package dev.zjvm.object.debuglog;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.task.BlockingContext;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SerialInputTest {
    private final Kernel kernel = Kernel.forTesting(3);
    private final SerialInput in = SerialConsole.of(kernel).input();

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void takeReturnsWhatIsBufferedUpToMax() {
        assertEquals(5, in.offer(ascii("hello")));
        assertArrayEquals(ascii("hel"), in.take(3, BlockingContext.NONE));
        assertArrayEquals(ascii("lo"), in.take(64, BlockingContext.NONE), "no waiting for more once one byte is there");
        assertArrayEquals(new byte[0], in.take(0, BlockingContext.NONE), "max 0 never waits");
    }

    @Test
    void offerDropsWhatDoesNotFit() {
        byte[] big = new byte[SerialInput.CAPACITY + 10];
        assertEquals(SerialInput.CAPACITY, in.offer(big));
        assertEquals(0, in.offer(ascii("x")));
        assertEquals(SerialInput.CAPACITY, in.take(Integer.MAX_VALUE, BlockingContext.NONE).length);
        assertEquals(1, in.offer(ascii("x")), "room again, and the ring wraps");
        assertArrayEquals(ascii("x"), in.take(8, BlockingContext.NONE));
    }

    @Test
    void aReaderWaitsForTheFirstByte() throws Exception {
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> in.take(16, BlockingContext.NONE));
        assertThrows(java.util.concurrent.TimeoutException.class, () -> read.get(100, TimeUnit.MILLISECONDS));
        in.offer(ascii("k"));
        assertArrayEquals(ascii("k"), read.get(30, TimeUnit.SECONDS));
    }

    @Test
    void putWaitsForRoomInsteadOfDropping() throws Exception {
        byte[] data = new byte[3 * SerialInput.CAPACITY];
        for (int i = 0; i < data.length; i++) data[i] = (byte) i;
        CompletableFuture<Boolean> feeder = CompletableFuture.supplyAsync(() -> {
            try {
                return in.put(data, 0, data.length);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        while (got.size() < data.length) got.writeBytes(in.take(1000, BlockingContext.NONE));
        assertTrue(feeder.get(30, TimeUnit.SECONDS));
        assertArrayEquals(data, got.toByteArray());
    }

    @Test
    void closingEndsWaits() throws Exception {
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            try {
                in.take(1, BlockingContext.NONE);
                return ZxStatus.OK;
            } catch (ZxException e) {
                return e.status();
            }
        });
        assertThrows(java.util.concurrent.TimeoutException.class, () -> read.get(50, TimeUnit.MILLISECONDS));
        kernel.close(); // closes the console service
        assertEquals(ZxStatus.ERR_CANCELED, read.get(30, TimeUnit.SECONDS));
        assertEquals(0, in.offer(ascii("late")));
        assertFalse(in.put(new byte[1], 0, 1) && in.available() > 0);
    }
}
