package dev.zjvm.object.ipc;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.signal.Signals;

/** {@code zx_event}: a signal word user code sets and clears; ZX_EVENT_SIGNALED plus user signals. */
public final class Event extends KernelObject {
    public Event(Kernel kernel) {
        super(kernel);
    }

    @Override
    public ObjectType type() {
        return ObjectType.EVENT;
    }

    @Override
    protected int allowedUserSignals() {
        return Signals.USER_ALL | Signals.SIGNALED;
    }
}
