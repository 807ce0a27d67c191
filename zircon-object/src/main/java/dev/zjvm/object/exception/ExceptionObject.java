package dev.zjvm.object.exception;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.task.Thread;
import dev.zjvm.object.task.Waiter;

/**
 * {@code zx_exception}: the handle a handler receives through an exception channel. The same
 * object goes to each handler in turn; closing its last handle ends the current handler's turn,
 * and {@link #state()} (ZX_PROP_EXCEPTION_STATE) tells whether the thread resumes (HANDLED) or the
 * next handler is tried (TRY_NEXT, the default).
 */
public final class ExceptionObject extends KernelObject {
    /** Rights of the handle in the channel message. */
    public static final int RIGHTS = ObjectType.EXCEPTION.defaultRights();
    public static final int STATE_TRY_NEXT = 0;
    public static final int STATE_HANDLED = 1;

    private final Thread thread;
    private final int type;
    private int state = STATE_TRY_NEXT; // guarded by lock
    private int threadRights; // guarded by lock
    private int processRights; // guarded by lock
    private Waiter turn; // guarded by lock: woken when the current handler closes the handle

    ExceptionObject(Kernel kernel, Thread thread, int type) {
        super(kernel);
        this.thread = thread;
        this.type = type;
    }

    @Override
    public ObjectType type() {
        return ObjectType.EXCEPTION;
    }

    /** The faulting thread. */
    public Thread thread() {
        return thread;
    }

    /** The {@link ExceptionType}. */
    public int exceptionType() {
        return type;
    }

    public int state() {
        synchronized (lock) {
            return state;
        }
    }

    /** ZX_PROP_EXCEPTION_STATE. @throws ZxException INVALID_ARGS for other values */
    public void setState(int value) {
        if (value != STATE_TRY_NEXT && value != STATE_HANDLED) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        synchronized (lock) {
            state = value;
        }
    }

    /** {@code zx_exception_get_thread}: a new handle with the channel's thread rights. */
    public Handle threadHandle() {
        int rights;
        synchronized (lock) {
            rights = threadRights;
        }
        return Handle.create(thread, rights);
    }

    /**
     * {@code zx_exception_get_process}.
     *
     * @throws ZxException ACCESS_DENIED if the exception came through a thread channel
     */
    public Handle processHandle() {
        int rights;
        synchronized (lock) {
            rights = processRights;
        }
        if (rights == 0) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED);
        return Handle.create(thread.process(), rights);
    }

    /** Starts a handler's turn; the waiter is created on (and awaited by) the faulting thread. */
    Waiter beginTurn() {
        Waiter w = new Waiter();
        synchronized (lock) {
            state = STATE_TRY_NEXT;
            turn = w;
        }
        return w;
    }

    void setTaskRights(int threadRights, int processRights) {
        synchronized (lock) {
            this.threadRights = threadRights;
            this.processRights = processRights;
        }
    }

    @Override
    protected void onZeroHandles() {
        Waiter w;
        synchronized (lock) {
            w = turn;
            turn = null;
        }
        if (w != null) w.wake(ZxStatus.OK);
    }
}
