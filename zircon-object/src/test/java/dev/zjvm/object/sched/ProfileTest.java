package dev.zjvm.object.sched;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.task.ThreadSchedule;
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

    @Test
    void applyingMergesIntoTheThreadSchedule() {
        ThreadSchedule s = ThreadSchedule.DEFAULT;
        long[] mask = new long[8];
        mask[0] = 0b10;
        mask[1] = -1; // beyond the first word: ignored, as in the 2020 kernel
        s = Profile.create(kernel, new Profile.Info(Profile.FLAG_CPU_MASK, 0, 0, 0, 0, mask)).applyTo(s);
        assertEquals(new ThreadSchedule(16, null, 0b10), s);
        s = Profile.create(kernel, new Profile.Info(Profile.FLAG_DEADLINE, 0, 1, 2, 3, new long[8])).applyTo(s);
        assertEquals(new ThreadSchedule(16, new ThreadSchedule.Deadline(1, 2, 3), 0b10), s);
        s = Profile.create(kernel, Profile.FLAG_PRIORITY, 20).applyTo(s);
        assertEquals(new ThreadSchedule(20, null, 0b10), s, "a priority ends the deadline, keeps the mask");
    }

    @Test
    void scheduleMapsToTheHost() {
        assertEquals(0, ThreadSchedule.niceOf(16));
        assertEquals(-19, ThreadSchedule.niceOf(31));
        assertEquals(19, ThreadSchedule.niceOf(0));
        assertTrue(ThreadSchedule.niceOf(20) < ThreadSchedule.niceOf(12));
        int[] guest = {4, 5, 7};
        assertArrayEquals(new int[] {5, 7}, new ThreadSchedule(16, null, 0b110).hostCpus(guest));
        assertArrayEquals(guest, new ThreadSchedule(16, null, 0b1000).hostCpus(guest), "no CPU of ours: all");
        assertArrayEquals(guest, ThreadSchedule.DEFAULT.hostCpus(guest));
        assertTrue(new ThreadSchedule(16, new ThreadSchedule.Deadline(1, 2, 3), -1).hostPolicy().isDeadline());
    }
}
