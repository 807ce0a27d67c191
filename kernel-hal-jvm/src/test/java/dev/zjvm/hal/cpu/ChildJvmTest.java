package dev.zjvm.hal.cpu;

import dev.zjvm.hal.signal.SignalShim;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Checks that need a JVM of their own (a process-wide configuration or a crash would take this one down). */
class ChildJvmTest {

    private static void runChild(String check, String... jvmArgs) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xss4m");
        cmd.addAll(List.of(jvmArgs));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ChildJvmChecks.class.getName());
        cmd.add(check);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "child JVM hung:\n" + out);
        assertEquals(0, p.exitValue(), "child JVM failed (exit " + p.exitValue() + "):\n" + out);
        assertTrue(out.contains("OK"), out);
    }

    @Test
    void theArchPrctlFlavourOfTheSignalHandlerTurnsFaultsIntoTraps() throws Exception {
        runChild("handler", "-D" + SignalShim.ARCH_PRCTL_PROPERTY + "=true");
    }

    @Test
    void guestsSurviveJfrSampling() throws Exception {
        runChild("jfr");
    }
}
