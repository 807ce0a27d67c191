package dev.zjvm.object.handle;

import dev.zjvm.object.KernelObject;
import dev.zjvm.object.Rights;

/**
 * A capability: one object plus the rights this handle grants. A handle lives in exactly one place
 * at a time (a process's handle table or a message in flight); moving it keeps its identity, which
 * observers use to tell which handle a wait was made through. Destroying the last handle to an
 * object is what ends the object's user-visible life.
 */
public final class Handle {
    private final KernelObject object;
    private final int rights;
    private boolean destroyed;

    private Handle(KernelObject object, int rights) {
        this.object = object;
        this.rights = rights;
    }

    /** A new handle to {@code object} (counts towards the object's handle count). */
    public static Handle create(KernelObject object, int rights) {
        Handle h = new Handle(object, rights);
        object.handleOpened();
        return h;
    }

    /** A new handle to {@code object} with the type's default rights. */
    public static Handle createDefault(KernelObject object) {
        return create(object, object.type().defaultRights());
    }

    public KernelObject object() {
        return object;
    }

    public int rights() {
        return rights;
    }

    public boolean hasRights(int required) {
        return Rights.has(rights, required);
    }

    /** Destroys the handle: cancels waits made through it and drops the object's handle count. Idempotent. */
    public void destroy() {
        synchronized (this) {
            if (destroyed) return;
            destroyed = true;
        }
        object.cancelObservers(this);
        object.handleClosed();
    }

    public synchronized boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "Handle(" + object + ", rights=0x" + Integer.toHexString(rights) + ")";
    }
}
