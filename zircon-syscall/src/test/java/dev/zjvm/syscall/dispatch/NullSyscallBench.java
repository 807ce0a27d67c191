package dev.zjvm.syscall.dispatch;

import dev.zjvm.syscall.testing.SyscallHarness;

/**
 * Manual measurement (not a test): cost of a null syscall through the dispatcher, against a
 * direct call of the same handler shape as the baseline taken in the same run.
 */
public final class NullSyscallBench {
    public static void main(String[] args) {
        SyscallHarness h = new SyscallHarness();
        int nr = SyscallHarness.number("syscall_test_0");
        int nr2 = SyscallHarness.number("syscall_test_2");
        SyscallHandler direct = (c, a0, a1, a2, a3, a4, a5, a6, a7) -> (int) a0 + (int) a1;
        long sink = 0;
        for (int round = 0; round < 5; round++) {
            int n = 20_000_000;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) sink += h.dispatcher.dispatch(h.ctx, nr, i, 0, 0, 0, 0, 0, 0, 0);
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) sink += h.dispatcher.dispatch(h.ctx, nr2, i, 1, 0, 0, 0, 0, 0, 0);
            long t2 = System.nanoTime();
            for (int i = 0; i < n; i++) sink += direct.invoke(h.ctx, i, 1, 0, 0, 0, 0, 0, 0);
            long t3 = System.nanoTime();
            System.out.printf("round %d: test_0 %.1f ns, test_2 %.1f ns, direct lambda %.1f ns%n", round,
                    (t1 - t0) / (double) n, (t2 - t1) / (double) n, (t3 - t2) / (double) n);
        }
        System.out.println(sink);
    }
}
