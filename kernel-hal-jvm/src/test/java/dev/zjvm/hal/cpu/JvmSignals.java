package dev.zjvm.hal.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HotSpot's own signal uses (implicit null checks, stack banging) must keep working behind the shim. */
final class JvmSignals {
    private JvmSignals() {}

    private static int length(String s) { return s.length(); }

    private static int depth;

    private static void recurse() { depth++; recurse(); }

    static void assertImplicitExceptionsWork() {
        int npes = 0;
        String[] values = {"x", null};
        for (int i = 0; i < 20_000; i++) {
            try {
                length(values[i & 1]);
            } catch (NullPointerException e) {
                npes++;
            }
        }
        assertEquals(10_000, npes);
        boolean overflowed = false;
        try {
            depth = 0;
            recurse();
        } catch (StackOverflowError e) {
            overflowed = true;
        }
        assertTrue(overflowed && depth > 1000);
    }
}
