package dev.zjvm.userspace;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Boots test/smoke and test/runtime through the real path (userboot, vDSO, our kernel)
 * and turns every case line they print into its own JUnit test.
 */
class InGuestTest {

    /** Boots prebuilt/ on the native kernel and collects its console. */
    private static GuestRunner runner() {
        return cmdline -> Guests.boot(Guests.PREBUILT, cmdline).lines();
    }

    @TestFactory
    Stream<DynamicTest> smoke() throws Exception {
        return casesOf("smoke", "userboot=test/smoke userboot.shutdown");
    }

    @TestFactory
    Stream<DynamicTest> runtime() throws Exception {
        return casesOf("runtime", "userboot=test/runtime userboot.shutdown");
    }

    private static Stream<DynamicTest> casesOf(String tag, String cmdline) throws Exception {
        List<String> lines = runner().run(cmdline);
        GuestReport report = GuestReport.parse(tag, lines);
        Stream<DynamicTest> cases = report.cases().stream().map(c -> dynamicTest(c.name(), () -> {
            if (c.outcome() == GuestReport.Outcome.SKIP) Assumptions.abort(c.reason());
            if (!c.passed()) fail(c.reason());
        }));
        DynamicTest complete = dynamicTest(tag + "_report_complete", () -> {
            assertTrue(report.problems().isEmpty(),
                    report.problems() + "\nconsole:\n" + String.join("\n", lines));
            assertTrue(lines.stream().anyMatch(l -> l.contains("*** Exit status 0 ***")),
                    "userboot did not report exit status 0");
        });
        return Stream.concat(cases, Stream.of(complete));
    }
}
