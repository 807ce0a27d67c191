package dev.zjvm.syscall.dispatch;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.handle.HandleTable;
import dev.zjvm.object.task.BlockingContext;
import dev.zjvm.object.task.Process;
import dev.zjvm.object.task.Thread;
import dev.zjvm.syscall.user.UserMemory;
import java.util.Objects;

/**
 * The caller of a syscall: kernel, process, thread and the process's user memory. One context
 * per guest thread, created when the thread starts and reused for every call (no allocation on
 * the dispatch path).
 */
public final class SyscallContext {
    private final Kernel kernel;
    private final Process process;
    private final Thread thread;
    private final UserMemory memory;

    /**
     * @param thread the calling guest thread; null only for kernel-internal callers with no thread
     *     (blocking calls are then not killable)
     */
    public SyscallContext(Process process, Thread thread, UserMemory memory) {
        this.process = Objects.requireNonNull(process);
        this.kernel = process.kernel();
        this.thread = thread;
        this.memory = Objects.requireNonNull(memory);
        if (thread != null && thread.process() != process) throw new IllegalArgumentException("thread of another process");
    }

    public Kernel kernel() {
        return kernel;
    }

    public Process process() {
        return process;
    }

    /** The calling thread, or null. */
    public Thread thread() {
        return thread;
    }

    public UserMemory memory() {
        return memory;
    }

    public HandleTable handles() {
        return process.handleTable();
    }

    /** Who blocks when this call blocks: the calling thread (killable), or nobody. */
    public BlockingContext blocker() {
        return thread != null ? thread : BlockingContext.NONE;
    }

    /** Shorthand for {@code handles().get(value, type, rights)}. */
    public <T extends KernelObject> T get(long value, Class<T> type, int rights) {
        return handles().get((int) value, type, rights);
    }

    /**
     * Installs {@code handle} in the caller's table and writes its value to the user pointer
     * {@code out}. If the write fails the handle is removed and destroyed again (as Zircon drops a
     * handle it cannot copy out) and INVALID_ARGS is thrown.
     */
    public int installHandle(long out, Handle handle) {
        int value = handles().add(handle);
        try {
            memory.writeU32(out, value);
        } catch (ZxException e) {
            try {
                handles().close(value);
            } catch (ZxException ignored) {
                // another thread already closed the value it guessed; nothing left to undo
            }
            throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        }
        return value;
    }
}
