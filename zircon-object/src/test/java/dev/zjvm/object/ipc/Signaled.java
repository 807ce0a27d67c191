package dev.zjvm.object.ipc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zjvm.object.KernelObject;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Test helper: waits (generously) until an object asserts any of some signals. */
final class Signaled {
    private Signaled() {}

    static void await(KernelObject object, int mask) {
        CountDownLatch latch = new CountDownLatch(1);
        object.addObserver(s -> {
            if ((s & mask) == 0) return false;
            latch.countDown();
            return true;
        });
        try {
            assertTrue(latch.await(60, TimeUnit.SECONDS), "signal never came");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
