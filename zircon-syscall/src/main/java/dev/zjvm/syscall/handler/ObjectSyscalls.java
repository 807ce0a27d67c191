package dev.zjvm.syscall.handler;

import dev.zjvm.object.KernelObject;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.signal.ObjectWait;
import dev.zjvm.object.task.Job;
import dev.zjvm.object.task.Process;
import dev.zjvm.object.task.Task;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;
import dev.zjvm.syscall.user.UserMemory;

/**
 * object_signal, object_signal_peer, object_wait_one, object_wait_many, object_get_child
 * (object_wait_async belongs with ports; get_info/get_property/set_property are separate).
 */
public final class ObjectSyscalls implements SyscallFamily {
    /** {@code sizeof(zx_wait_item_t)}: handle u32 @0, waitfor u32 @4, pending u32 @8. */
    static final int WAIT_ITEM_SIZE = 12;

    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("object_signal", (c, h, clear, set, a3, a4, a5, a6, a7) -> signal(c, h, clear, set));
        r.register("object_signal_peer", (c, h, clear, set, a3, a4, a5, a6, a7) -> signalPeer(c, h, clear, set));
        r.register("object_wait_one", (c, h, signals, deadline, observed, a4, a5, a6, a7) ->
                waitOne(c, h, signals, deadline, observed));
        r.register("object_wait_many", (c, items, count, deadline, a3, a4, a5, a6, a7) ->
                waitMany(c, items, count, deadline));
        r.register("object_get_child", (c, h, koid, rights, out, a4, a5, a6, a7) -> getChild(c, h, koid, rights, out));
    }

    static long signal(SyscallContext c, long handle, long clear, long set) {
        c.get(handle, KernelObject.class, Rights.SIGNAL).userSignal((int) clear, (int) set);
        return ZxStatus.OK;
    }

    static long signalPeer(SyscallContext c, long handle, long clear, long set) {
        c.get(handle, KernelObject.class, Rights.SIGNAL_PEER).userSignalPeer((int) clear, (int) set);
        return ZxStatus.OK;
    }

    static long waitOne(SyscallContext c, long handle, long signals, long deadline, long observed) {
        Handle h = c.handles().handle((int) handle, KernelObject.class, Rights.WAIT);
        ObjectWait.Result r = ObjectWait.waitOne(h, (int) signals, deadline, c.blocker());
        if (observed != 0 && r.status() != ZxStatus.ERR_INTERNAL_INTR_KILLED) {
            c.memory().writeU32(observed, r.observed());
        }
        return r.status();
    }

    static long waitMany(SyscallContext c, long items, long count, long deadline) {
        if (count < 0 || count > ObjectWait.MAX_WAIT_MANY) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE);
        int n = (int) count;
        byte[] raw = c.memory().readBytes(items, (long) n * WAIT_ITEM_SIZE);
        Handle[] handles = new Handle[n];
        int[] signals = new int[n];
        for (int i = 0; i < n; i++) {
            int value = (int) UserMemory.I32.get(raw, i * WAIT_ITEM_SIZE);
            handles[i] = c.handles().handle(value, KernelObject.class, Rights.WAIT);
            signals[i] = (int) UserMemory.I32.get(raw, i * WAIT_ITEM_SIZE + 4);
        }
        int[] pending = new int[n];
        int status = ObjectWait.waitMany(handles, signals, pending, deadline, c.blocker(), c.kernel().clock());
        if (status == ZxStatus.ERR_INTERNAL_INTR_KILLED) return status;
        for (int i = 0; i < n; i++) UserMemory.I32.set(raw, i * WAIT_ITEM_SIZE + 8, pending[i]);
        c.memory().write(items, raw, 0, raw.length);
        return status;
    }

    static long getChild(SyscallContext c, long handle, long koid, long rightsArg, long out) {
        Handle parent = c.handles().handle((int) handle);
        int rights = (int) rightsArg;
        if (!parent.hasRights(Rights.ENUMERATE)) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED);
        if (rights == Rights.SAME_RIGHTS) rights = parent.rights();
        else if (!parent.hasRights(rights)) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED);
        Task child;
        if (parent.object() instanceof Job job) child = job.child(koid);
        else if (parent.object() instanceof Process process) child = process.thread(koid);
        else throw new ZxException(ZxStatus.ERR_WRONG_TYPE);
        if (child == null) throw new ZxException(ZxStatus.ERR_NOT_FOUND);
        c.installHandle(out, Handle.create(child, rights));
        return ZxStatus.OK;
    }
}
