package dev.zjvm.syscall.handler;

import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.ipc.FutexKey;
import dev.zjvm.object.ipc.FutexTable;
import dev.zjvm.object.task.Thread;
import dev.zjvm.object.task.ThreadState;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;
import dev.zjvm.syscall.user.UserMemory;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/** futex_wait/wake/requeue/wake_single_owner/requeue_single_owner/get_owner (syscalls.md "Futexes"). */
public final class FutexSyscalls implements SyscallFamily {
    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("futex_wait", (c, ptr, value, owner, deadline, a4, a5, a6, a7) -> await(c, ptr, value, owner, deadline));
        r.register("futex_wake", (c, ptr, count, a2, a3, a4, a5, a6, a7) -> wake(c, ptr, count));
        r.register("futex_requeue", (c, ptr, wake, value, rptr, rcount, owner, a6, a7) ->
                requeue(c, ptr, wake, value, rptr, rcount, owner, false));
        r.register("futex_wake_single_owner", (c, ptr, a1, a2, a3, a4, a5, a6, a7) -> wakeSingleOwner(c, ptr));
        r.register("futex_requeue_single_owner", (c, ptr, value, rptr, rcount, owner, a5, a6, a7) ->
                requeue(c, ptr, 1, value, rptr, rcount, owner, true));
        r.register("futex_get_owner", (c, ptr, koid, a2, a3, a4, a5, a6, a7) -> getOwner(c, ptr, koid));
    }

    /** The futex at a user address of the calling process. @throws ZxException INVALID_ARGS if null or misaligned */
    static FutexKey key(SyscallContext c, long ptr) {
        if (ptr == 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        UserMemory.requireAligned(ptr, 4);
        return new FutexKey(c.process(), ptr);
    }

    /** Reads the futex word (under the futex table's lock). */
    private static IntSupplier word(SyscallContext c, long ptr) {
        return () -> c.memory().readU32(ptr);
    }

    /** Resolves an owner handle: 0 = no owner; otherwise a started thread of this kernel. */
    private static Supplier<KernelObject> owner(SyscallContext c, long value) {
        return () -> {
            if ((int) value == 0) return null;
            Thread t = c.get(value, Thread.class, 0);
            if (t.state() == ThreadState.NEW) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
            return t;
        };
    }

    static long await(SyscallContext c, long ptr, long current, long ownerHandle, long deadline) {
        FutexKey k = key(c, ptr);
        FutexTable.of(c.kernel()).await(k, word(c, ptr), (int) current, c.thread(), owner(c, ownerHandle), deadline,
                c.blocker());
        return ZxStatus.OK;
    }

    static long wake(SyscallContext c, long ptr, long count) {
        FutexTable.of(c.kernel()).wake(key(c, ptr), count & 0xffff_ffffL);
        return ZxStatus.OK;
    }

    static long wakeSingleOwner(SyscallContext c, long ptr) {
        FutexTable.of(c.kernel()).wakeSingleOwner(key(c, ptr));
        return ZxStatus.OK;
    }

    static long requeue(SyscallContext c, long ptr, long wakeCount, long current, long requeuePtr, long requeueCount,
            long ownerHandle, boolean singleOwner) {
        FutexKey k = key(c, ptr);
        FutexKey target = key(c, requeuePtr);
        FutexTable.of(c.kernel()).requeue(k, word(c, ptr), (int) current, wakeCount & 0xffff_ffffL, singleOwner, target,
                requeueCount & 0xffff_ffffL, c.thread(), owner(c, ownerHandle));
        return ZxStatus.OK;
    }

    static long getOwner(SyscallContext c, long ptr, long koidPtr) {
        long koid = FutexTable.of(c.kernel()).ownerKoid(key(c, ptr));
        try {
            c.memory().writeU64(koidPtr, koid);
        } catch (ZxException e) {
            throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        }
        return ZxStatus.OK;
    }
}
