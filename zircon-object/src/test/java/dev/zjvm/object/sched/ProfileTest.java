package dev.zjvm.object.sched;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import org.junit.jupiter.api.Test;

class ProfileTest {
    private final Kernel kernel = Kernel.forTesting(1);

    @Test
    void validatesFlagsAndPriority() {
        assertEquals(16, Profile.create(kernel, Profile.FLAG_PRIORITY, 16).priority());
        for (int[] bad : new int[][] {{0, 0}, {0x100, 0}, {Profile.FLAG_PRIORITY, 32}, {Profile.FLAG_PRIORITY, -1},
                {Profile.FLAG_PRIORITY | Profile.FLAG_DEADLINE, 3}}) {
            ZxException e = assertThrows(ZxException.class, () -> Profile.create(kernel, bad[0], bad[1]));
            assertEquals(ZxStatus.ERR_INVALID_ARGS, e.status());
        }
    }
}
