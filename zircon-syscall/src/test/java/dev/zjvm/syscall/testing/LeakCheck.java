package dev.zjvm.syscall.testing;

import static org.junit.jupiter.api.Assertions.fail;

import dev.zjvm.object.Kernel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds kernel objects that outlive a test: take a {@link #baseline}, run the code, drop your own
 * references, then {@link #assertNoNewObjects}. Objects are tracked by koid through weak
 * references, so the check runs the garbage collector until the extra koids are gone or a
 * generous time limit passes (nothing here asserts a time; the limit only bounds a real leak).
 */
public final class LeakCheck {
    private final Kernel kernel;
    private final Set<Long> baseline;

    private LeakCheck(Kernel kernel) {
        this.kernel = kernel;
        this.baseline = new HashSet<>(kernel.liveKoids());
    }

    public static LeakCheck baseline(Kernel kernel) {
        return new LeakCheck(kernel);
    }

    /** Koids alive now that were not alive at the baseline (nor allowed), after collecting garbage. */
    public List<Long> extraKoids(Collection<Long> allowed) {
        List<Long> extra = List.of();
        for (int attempt = 0; attempt < 200; attempt++) {
            extra = extraNow();
            extra.removeAll(allowed);
            if (extra.isEmpty()) return extra;
            System.gc();
            try {
                Thread.sleep(attempt < 10 ? 5 : 50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return extra;
    }

    private List<Long> extraNow() {
        List<Long> out = new ArrayList<>();
        for (long k : kernel.liveKoids()) if (!baseline.contains(k)) out.add(k);
        return out;
    }

    /** Fails if objects created since the baseline are still reachable (besides {@code allowed}). */
    public void assertNoNewObjects(Collection<Long> allowed) {
        List<Long> extra = extraKoids(allowed);
        if (!extra.isEmpty()) {
            StringBuilder sb = new StringBuilder("leaked kernel objects:");
            for (long k : extra) sb.append(' ').append(kernel.lookup(k));
            fail(sb.toString());
        }
    }

    public void assertNoNewObjects() {
        assertNoNewObjects(List.of());
    }
}
