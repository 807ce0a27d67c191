package dev.zjvm.object.exception;

/** How an exception ended for the thread that raised it. */
public enum Resolution {
    /** A handler marked it HANDLED: resume the guest (with the registers as the handler left them). */
    RESUME,
    /** Unhandled (the process was killed) or the thread was killed meanwhile: stop running the guest. */
    KILL
}
