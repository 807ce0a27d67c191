package dev.zjvm.object.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import org.junit.jupiter.api.function.Executable;

/** Test helper: asserts a kernel call fails with a given status. */
final class Zx {
    private Zx() {}

    static void fails(int status, Executable call) {
        ZxException e = assertThrows(ZxException.class, call);
        assertEquals(ZxStatus.name(status), ZxStatus.name(e.status()), e.getMessage());
    }

    /** As {@link #fails(int, Executable)}, saying what the call is about when it does not fail so. */
    static void fails(int status, Executable call, String why) {
        ZxException e = assertThrows(ZxException.class, call, why);
        assertEquals(ZxStatus.name(status), ZxStatus.name(e.status()), why + ": " + e.getMessage());
    }
}
