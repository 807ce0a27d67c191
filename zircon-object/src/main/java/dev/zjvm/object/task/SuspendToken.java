package dev.zjvm.object.task;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ObjectType;

/**
 * {@code zx_task_suspend}'s result: the task stays suspended while any token lives; closing the
 * last handle of a token resumes it (once).
 */
public final class SuspendToken extends KernelObject {
    private final Task task;
    private boolean released; // guarded by lock

    SuspendToken(Kernel kernel, Task task) {
        super(kernel);
        this.task = task;
    }

    @Override
    public ObjectType type() {
        return ObjectType.SUSPEND_TOKEN;
    }

    /** The suspended task. */
    public Task task() {
        return task;
    }

    @Override
    protected void onZeroHandles() {
        synchronized (lock) {
            if (released) return;
            released = true;
        }
        task.resume();
    }
}
