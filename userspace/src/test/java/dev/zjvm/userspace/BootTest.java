package dev.zjvm.userspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The product's main path: userboot boots programs from the boot image on the native kernel. */
class BootTest {
    @TempDir
    Path scratch;

    @Test
    void defaultProgramRunsTheDemoAndExitsZero() throws Exception {
        Guests.Run run = Guests.boot(Guests.PREBUILT, "userboot.shutdown");
        assertEquals(0, run.exitStatus(), run.console());
        assertTrue(run.console().contains("bin/hello answered: pong"), run.console());
        assertTrue(run.console().contains("*** Exit status 0 ***"), run.console());
    }

    @Test
    void theLoaderExitsWithTheStatusOfTheProgramUserbootRan() throws Exception {
        Guests.Run run = Guests.boot(Guests.PREBUILT, "userboot=bin/exit7 userboot.shutdown");
        assertEquals(7, run.exitStatus(), run.console());
    }

    @Test
    void withoutShutdownTheRunEndsWhenNoProcessIsLeft() throws Exception {
        Guests.Run run = Guests.boot(Guests.PREBUILT, "userboot=bin/exit7");
        assertEquals(0, run.exitStatus(), run.console());
    }

    @Test
    void theRealZcoreUserbootAndVdsoBootOurImage() throws Exception {
        Path real = Guests.withRealPair(Guests.PREBUILT, scratch);
        assumeTrue(real != null, "the real zCore pair is not present at " + Guests.REAL_PAIR
                + " (set ZJVM_REAL_PAIR); skipped");
        Guests.Run run = Guests.boot(real, "userboot.shutdown");
        assertEquals(0, run.exitStatus(), run.console());
        assertTrue(run.console().contains("bin/hello answered: pong"), run.console());
        Guests.Run seven = Guests.boot(real, "userboot=bin/exit7 userboot.shutdown");
        assertEquals(7, seven.exitStatus(), seven.console());
    }
}
