package dev.zjvm.object.ipc;

import java.util.function.BooleanSupplier;

/**
 * How an IPC call parks the calling thread. The syscall layer passes the current thread's
 * blocker (core's blocking primitive adapts to this), so a kill or suspend of that thread can end
 * the wait. Wakers make {@code ready} true and then {@link java.util.concurrent.locks.LockSupport#unpark}
 * the parked thread; the blocker re-checks {@code ready} after every wake-up.
 */
@FunctionalInterface
public interface Blocker {
    /** {@code ZX_TIME_INFINITE}. */
    long INFINITE = Long.MAX_VALUE;

    /**
     * Parks until {@code ready} holds, {@code deadline} (absolute monotonic ns) passes, or the
     * thread is interrupted by the kernel (kill, suspend).
     *
     * @return {@code ZX_OK} when ready, {@code ZX_ERR_TIMED_OUT}, or the interruption's status
     *     (e.g. {@code ZX_ERR_INTERNAL_INTR_RETRY} for a suspend, a kill status)
     */
    int block(BooleanSupplier ready, long deadline);
}
