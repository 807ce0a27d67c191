package dev.zjvm.syscall.handler;

import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.exception.ExceptionObject;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;

/** exception_get_thread, exception_get_process. */
public final class ExceptionSyscalls implements SyscallFamily {
    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("exception_get_thread", (c, h, out, a2, a3, a4, a5, a6, a7) -> getThread(c, h, out));
        r.register("exception_get_process", (c, h, out, a2, a3, a4, a5, a6, a7) -> getProcess(c, h, out));
    }

    static long getThread(SyscallContext c, long handle, long out) {
        ExceptionObject e = c.get(handle, ExceptionObject.class, Rights.NONE);
        c.installHandle(out, e.threadHandle());
        return ZxStatus.OK;
    }

    static long getProcess(SyscallContext c, long handle, long out) {
        ExceptionObject e = c.get(handle, ExceptionObject.class, Rights.NONE);
        c.installHandle(out, e.processHandle()); // ACCESS_DENIED through a thread channel
        return ZxStatus.OK;
    }
}
