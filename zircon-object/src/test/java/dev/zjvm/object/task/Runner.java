package dev.zjvm.object.task;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A Java thread acting as a guest thread's runner: it binds, attaches fake registers and then runs
 * "syscalls" (lambdas) sent to it, going through {@link Thread#returnToUser()} between them the
 * way a launcher does between guest runs.
 */
final class Runner {
    final Thread thread;
    final FakeRegisters regs = new FakeRegisters();
    private final BlockingQueue<Function<Thread, Object>> work = new LinkedBlockingQueue<>();
    private final BlockingQueue<CompletableFuture<Object>> results = new LinkedBlockingQueue<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();

    Runner(Thread thread) {
        this.thread = thread;
        java.lang.Thread jt = new java.lang.Thread(this::loop, "runner-" + thread.koid());
        jt.setDaemon(true);
        jt.start();
    }

    private void loop() {
        try {
            if (!thread.bindCurrent()) return;
            thread.attachRegisters(regs);
            while (thread.returnToUser()) {
                Function<Thread, Object> f = work.poll(100, TimeUnit.MILLISECONDS);
                if (f == null) continue;
                CompletableFuture<Object> r = new CompletableFuture<>();
                results.add(r);
                try {
                    r.complete(f.apply(thread));
                } catch (Throwable t) {
                    r.completeExceptionally(t);
                }
                if (thread.isDying()) thread.exit(); // as the dispatcher does
            }
        } catch (InterruptedException e) {
            java.lang.Thread.currentThread().interrupt();
        } finally {
            done.complete(null);
        }
    }

    /** Runs {@code f} as the next "syscall"; returns its future result. */
    CompletableFuture<Object> submit(Function<Thread, Object> f) {
        work.add(f);
        try {
            CompletableFuture<Object> r = results.poll(30, TimeUnit.SECONDS);
            if (r == null) fail("runner did not pick up the work");
            return r;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static void awaitState(Thread t, int state) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (t.state() != state) {
            if (System.nanoTime() > end) fail("thread never reached state 0x" + Integer.toHexString(state) + ", is 0x"
                    + Integer.toHexString(t.state()));
            java.lang.Thread.onSpinWait();
            try {
                java.lang.Thread.sleep(1);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
