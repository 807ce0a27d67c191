package dev.zjvm.userspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GuestReportTest {

    @Test
    void parsesPassFailAndSummaryBehindAConsolePrefix() {
        GuestReport r = GuestReport.parse("smoke", List.of(
                "[00012.345] 01024:01050> [smoke] PASS channel_write_read",
                "noise from another program",
                "[smoke] FAIL vmo_resize: vmo_set_size returned ZX_ERR_NOT_SUPPORTED, want ZX_OK (line 9)",
                "[smoke] SUMMARY pass=1 fail=1 total=2"));
        assertEquals(List.of(
                new GuestReport.Case("channel_write_read", true, ""),
                new GuestReport.Case("vmo_resize", false,
                        "vmo_set_size returned ZX_ERR_NOT_SUPPORTED, want ZX_OK (line 9)")), r.cases());
        assertEquals(new GuestReport.Summary(1, 1, 2), r.summary().orElseThrow());
        assertTrue(r.problems().isEmpty(), r.problems().toString());
    }

    @Test
    void missingSummaryIsAProblem() {
        GuestReport r = GuestReport.parse("smoke", List.of("[smoke] PASS a"));
        assertTrue(r.summary().isEmpty());
        assertFalse(r.problems().isEmpty());
    }

    @Test
    void summaryThatDisagreesWithTheLinesIsAProblem() {
        GuestReport r = GuestReport.parse("smoke", List.of(
                "[smoke] PASS a", "[smoke] PASS a", "[smoke] SUMMARY pass=3 fail=0 total=3"));
        assertEquals(1, r.cases().size());
        assertEquals(2, r.problems().size(), r.problems().toString());
    }

    @Test
    void otherTagsAreIgnored() {
        GuestReport r = GuestReport.parse("runtime", List.of(
                "[smoke] PASS a", "[runtime] PASS b", "[runtime] SUMMARY pass=1 fail=0 total=1"));
        assertEquals(List.of(new GuestReport.Case("b", true, "")), r.cases());
        assertTrue(r.problems().isEmpty());
    }

    @Test
    void skippedCasesAreCountedInTheSummary() {
        GuestReport r = GuestReport.parse("smoke", List.of(
                "[smoke] PASS a", "[smoke] SKIP b: no hardware breakpoints", "[smoke] SUMMARY pass=1 fail=0 skip=1 total=2"));
        assertEquals(new GuestReport.Case("b", GuestReport.Outcome.SKIP, "no hardware breakpoints"), r.cases().get(1));
        assertFalse(r.cases().get(1).passed());
        assertEquals(new GuestReport.Summary(1, 0, 1, 2), r.summary().orElseThrow());
        assertTrue(r.problems().isEmpty(), r.problems().toString());
        GuestReport wrong = GuestReport.parse("smoke", List.of(
                "[smoke] SKIP b: x", "[smoke] SUMMARY pass=0 fail=1 total=1"));
        assertFalse(wrong.problems().isEmpty(), "a skip is not a failure");
    }
}
