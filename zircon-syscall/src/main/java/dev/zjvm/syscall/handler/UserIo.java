package dev.zjvm.syscall.handler;

import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.vm.VmAddressSpace;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Small typed copies to and from user memory (little-endian), and handing out new handles. */
final class UserIo {
    private UserIo() {}

    static void writeU64(VmAddressSpace mem, long ptr, long value) {
        mem.write(ptr, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array(), 0, 8);
    }

    static void writeU32(VmAddressSpace mem, long ptr, int value) {
        mem.write(ptr, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array(), 0, 4);
    }

    /** Reads {@code n} bytes (little-endian view). */
    static ByteBuffer read(VmAddressSpace mem, long ptr, int n) {
        byte[] b = new byte[n];
        mem.read(ptr, b, 0, n);
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Installs a handle to {@code object} and writes its value to {@code outPtr}. When the write
     * faults the handle is closed again (and {@code undo} runs), so the call leaves no trace.
     */
    static int outHandle(VmCaller c, long outPtr, KernelObject object, int rights, Runnable undo) {
        int value;
        try {
            value = c.handles().add(Handle.create(object, rights));
        } catch (ZxException e) {
            if (undo != null) undo.run();
            throw e;
        }
        try {
            writeU32(c.addressSpace(), outPtr, value);
            return value;
        } catch (ZxException e) {
            c.handles().remove(value).destroy();
            if (undo != null) undo.run();
            throw e;
        }
    }
}
