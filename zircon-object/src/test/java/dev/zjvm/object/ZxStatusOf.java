package dev.zjvm.object;

/** Test helper: the status a kernel operation reports, OK or the {@link ZxException}'s status. */
public final class ZxStatusOf {
    private ZxStatusOf() {}

    public static int status(Runnable operation) {
        try {
            operation.run();
            return ZxStatus.OK;
        } catch (ZxException e) {
            return e.status();
        }
    }
}
