package dev.zjvm.syscall.handler;

import dev.zjvm.object.KernelObject;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.dev.Resource;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;
import java.nio.charset.StandardCharsets;

/** resource_create. */
public final class ResourceSyscalls implements SyscallFamily {
    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("resource_create", (c, parent, options, base, size, name, nameSize, out, a7) ->
                create(c, parent, options, base, size, name, nameSize, out));
    }

    static long create(SyscallContext c, long parent, long options, long base, long size, long name, long nameSize,
            long out) {
        Resource p = c.get(parent, Resource.class, Rights.WRITE);
        if (nameSize < 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        byte[] raw = c.memory().readBytes(name, Math.min(nameSize, KernelObject.MAX_NAME_LEN - 1));
        int n = 0;
        while (n < raw.length && raw[n] != 0) n++;
        Resource child = p.createChild((int) options, base, size, new String(raw, 0, n, StandardCharsets.UTF_8));
        c.installHandle(out, Handle.createDefault(child));
        return ZxStatus.OK;
    }
}
