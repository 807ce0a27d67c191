package dev.zjvm.syscall.handler;

import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.exception.ExceptionReport;
import dev.zjvm.object.exception.ExceptionType;
import dev.zjvm.object.exception.Exceptions;
import dev.zjvm.object.exception.Resolution;
import dev.zjvm.object.ipc.FutexKey;
import dev.zjvm.object.ipc.FutexTable;
import dev.zjvm.object.task.Thread;
import dev.zjvm.object.task.ThreadState;
import dev.zjvm.syscall.dispatch.Support;
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
        r.register("futex_wake_handle_close_thread_exit",
                (c, ptr, count, value, handle, a4, a5, a6, a7) -> wakeCloseExit(c, ptr, count, value, handle));
    }

    /** The futex at a user address of the calling process. @throws ZxException INVALID_ARGS if null or misaligned */
    static FutexKey key(SyscallContext c, long ptr) {
        if (ptr == 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        UserMemory.requireAligned(ptr, 4);
        return new FutexKey(c.process(), ptr);
    }

    /**
     * Reads the futex word under the futex table's lock. The word is read once here first, outside
     * that lock: a bad pointer fails early, and a page that must be faulted in (possibly from a
     * user pager) is brought in without holding the kernel-wide futex lock.
     */
    private static IntSupplier word(SyscallContext c, long ptr) {
        c.memory().readU32(ptr);
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

    /**
     * The composite call thread exits use to release a joiner: store {@code newValue} in the futex
     * word, wake, close the handle (usually the thread's own), then exit the thread. Each step is
     * done in the vDSO's order; the word is stored before the wake so a woken joiner sees it.
     */
    /**
     * Composite 200: store, wake, close, exit. It never returns: in the real vDSO a failing step
     * executes a trap instruction, so here a failing step raises ZX_EXCP_UNDEFINED_INSTRUCTION on
     * the caller (its exception handlers may resume it, and then it sees the step's error).
     */
    static long wakeCloseExit(SyscallContext c, long ptr, long count, long newValue, long handle) {
        Thread self = c.thread();
        if (self == null) throw new ZxException(ZxStatus.ERR_BAD_STATE);
        try {
            FutexKey k = key(c, ptr);
            c.memory().writeU32(ptr, (int) newValue);
            FutexTable.of(c.kernel()).wake(k, count & 0xffff_ffffL);
            c.handles().close((int) handle);
        } catch (ZxException failedStep) {
            if (!self.isCurrent()) throw failedStep;
            Resolution r = Exceptions.raise(self, new ExceptionReport(ExceptionType.UNDEFINED_INSTRUCTION, 6, 0, 0));
            if (r == Resolution.RESUME) throw failedStep;
            return failedStep.status(); // the process is being killed: never seen by the guest
        }
        self.exit();
        return ZxStatus.OK; // never seen by the guest
    }
}
