package dev.zjvm.syscall.handler;

import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.ipc.Event;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;

/** syscall_test_0..8, syscall_test_wrapper, syscall_test_handle_create (the syscall test suite's entries). */
public final class TestSyscalls implements SyscallFamily {
    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("syscall_test_0", (c, a, b, d, e, f, g, h, i) -> 0);
        r.register("syscall_test_1", (c, a, b, d, e, f, g, h, i) -> (int) a);
        r.register("syscall_test_2", (c, a, b, d, e, f, g, h, i) -> (int) a + (int) b);
        r.register("syscall_test_3", (c, a, b, d, e, f, g, h, i) -> (int) a + (int) b + (int) d);
        r.register("syscall_test_4", (c, a, b, d, e, f, g, h, i) -> (int) a + (int) b + (int) d + (int) e);
        r.register("syscall_test_5", (c, a, b, d, e, f, g, h, i) -> (int) a + (int) b + (int) d + (int) e + (int) f);
        r.register("syscall_test_6", (c, a, b, d, e, f, g, h, i) ->
                (int) a + (int) b + (int) d + (int) e + (int) f + (int) g);
        r.register("syscall_test_7", (c, a, b, d, e, f, g, h, i) ->
                (int) a + (int) b + (int) d + (int) e + (int) f + (int) g + (int) h);
        r.register("syscall_test_8", (c, a, b, d, e, f, g, h, i) ->
                (int) a + (int) b + (int) d + (int) e + (int) f + (int) g + (int) h + (int) i);
        r.register("syscall_test_wrapper", (c, a, b, d, e, f, g, h, i) -> wrapper((int) a, (int) b, (int) d));
        r.register("syscall_test_handle_create", (c, ret, out, d, e, f, g, h, i) -> handleCreate(c, (int) ret, out));
    }

    static long wrapper(int a, int b, int c) {
        if (a < 0 || b < 0 || c < 0) return ZxStatus.ERR_INVALID_ARGS;
        int sum = a + b + c;
        return sum > 50 ? ZxStatus.ERR_OUT_OF_RANGE : sum;
    }

    /** Out handles reach the caller only when the call succeeds, as in Zircon's generated wrappers. */
    static long handleCreate(SyscallContext c, int returnValue, long out) {
        Handle h = Handle.createDefault(new Event(c.kernel()));
        if (returnValue != ZxStatus.OK) {
            h.destroy();
            return returnValue;
        }
        try {
            c.installHandle(out, h);
        } catch (ZxException e) {
            return e.status();
        }
        return ZxStatus.OK;
    }
}
