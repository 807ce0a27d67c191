package dev.zjvm.syscall.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.handle.HandleTable;
import dev.zjvm.object.ipc.Event;
import dev.zjvm.object.vm.VmAddressSpace;
import dev.zjvm.object.vm.VmOptions;
import dev.zjvm.object.vm.Vmo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.IntSupplier;

/**
 * A calling process for handler tests: a handle table, an address space, and a scratch buffer of
 * user memory (readable and writable) plus a read-only page and an unmapped address.
 */
final class VmHarness implements VmCaller {
    static final int SCRATCH_SIZE = 64 * 1024;
    final Kernel kernel = Kernel.forTesting(21);
    final HandleTable handles = new HandleTable(0x5a5a0);
    final VmAddressSpace aspace = VmAddressSpace.create(kernel, 1L << 32);
    final long scratch;
    final long readOnly;
    final long unmapped;

    VmHarness() {
        Vmo mem = Vmo.create(kernel, SCRATCH_SIZE, 0);
        scratch = aspace.root().map(VmOptions.PERM_READ | VmOptions.PERM_WRITE, 0, mem, 0, SCRATCH_SIZE).base();
        readOnly = aspace.root().map(VmOptions.PERM_READ, 0, Vmo.create(kernel, 4096, 0), 0, 4096).base();
        unmapped = aspace.root().base() + aspace.root().size() - 4096 * 16;
    }

    @Override public Kernel kernel() { return kernel; }
    @Override public HandleTable handles() { return handles; }
    @Override public VmAddressSpace addressSpace() { return aspace; }

    int add(KernelObject o, int rights) {
        return handles.add(Handle.create(o, rights));
    }

    int addDefault(KernelObject o) {
        return handles.add(Handle.createDefault(o));
    }

    /** A handle to an object of the wrong type (an event). */
    int wrongType() {
        return addDefault(new Event(kernel));
    }

    /** A value that is not a handle of this process. */
    int badHandle() {
        return 0x7ffffff3;
    }

    static int status(IntSupplier call) {
        try {
            return call.getAsInt();
        } catch (ZxException e) {
            return e.status();
        }
    }

    static void expect(int status, IntSupplier call) {
        assertEquals(ZxStatus.name(status), ZxStatus.name(status(call)));
    }

    long u64(long ptr) {
        byte[] b = new byte[8];
        aspace.read(ptr, b, 0, 8);
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    int u32(long ptr) {
        byte[] b = new byte[4];
        aspace.read(ptr, b, 0, 4);
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    void put(long ptr, byte[] data) {
        aspace.write(ptr, data, 0, data.length);
    }

    void putIovec(long at, long buffer, long capacity) {
        put(at, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(buffer).putLong(capacity).array());
    }

    <T extends KernelObject> T object(int handle, Class<T> type) {
        return handles.get(handle, type, 0);
    }

    /**
     * The standard handle checks of one handle argument: BAD_HANDLE, WRONG_TYPE, and
     * ACCESS_DENIED for each right in {@code required} taken away from {@code rights}.
     * {@code call} receives the handle value to pass.
     */
    void handleChecks(java.util.function.IntUnaryOperator call, KernelObject valid, int rights, int required) {
        expect(ZxStatus.ERR_BAD_HANDLE, () -> call.applyAsInt(badHandle()));
        expect(ZxStatus.ERR_WRONG_TYPE, () -> call.applyAsInt(wrongType()));
        for (int bit = 1; bit != 0; bit <<= 1) {
            if ((required & bit) == 0) continue;
            int h = add(valid, rights & ~bit);
            int right = bit;
            assertEquals(ZxStatus.name(ZxStatus.ERR_ACCESS_DENIED), ZxStatus.name(status(() -> call.applyAsInt(h))),
                    "missing right 0x" + Integer.toHexString(right));
        }
    }
}
