package dev.zjvm.userspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.regex.Pattern;
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
    void userbootRootPrefixesTheProgramPath() throws Exception {
        Guests.Run run = Guests.boot(Guests.PREBUILT, "userboot=exit7 userboot.root=/bin/ userboot.shutdown");
        assertEquals(7, run.exitStatus(), run.console());
        assertTrue(run.console().contains("*** Exit status 7 ***"), run.console());
    }

    @Test
    void withoutShutdownTheRunEndsWhenNoProcessIsLeft() throws Exception {
        Guests.Run run = Guests.boot(Guests.PREBUILT, "userboot=bin/exit7");
        assertEquals(0, run.exitStatus(), run.console());
    }

    @Test
    void theSyscallBenchmarkReportsOneLinePerRepetitionAndExitsZero() throws Exception {
        // Only the shape of the report is checked: the numbers are a benchmark's, not a test's.
        Guests.Run run = Guests.boot(Guests.PREBUILT,
                "userboot=bin/syscall-bench userboot.shutdown bench.n=100 bench.reps=3");
        assertEquals(0, run.exitStatus(), run.console());
        Pattern line = Pattern.compile(
                "\\[bench\\] rep=\\d+ null_syscall_ns=\\d+\\.\\d vdso_call_ns=\\d+\\.\\d n=100 reps=3");
        assertEquals(3, run.lines().stream().filter(l -> line.matcher(l).find()).count(), run.console());
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
