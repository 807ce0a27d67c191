package dev.zjvm.userspace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The result lines of an in-guest test program (test/smoke, test/runtime). Each case
 * prints exactly one line, {@code [tag] PASS name}, {@code [tag] FAIL name: reason} or
 * {@code [tag] SKIP name: reason} (the host lacks what the case needs), and the program ends
 * with {@code [tag] SUMMARY pass=N fail=M [skip=K] total=T}. Lines may carry a console
 * prefix (timestamps, pid/tid), so a result is found anywhere in a line.
 */
record GuestReport(List<Case> cases, Optional<Summary> summary, List<String> problems) {

    enum Outcome { PASS, FAIL, SKIP }

    record Case(String name, Outcome outcome, String reason) {
        Case(String name, boolean passed, String reason) {
            this(name, passed ? Outcome.PASS : Outcome.FAIL, reason);
        }

        boolean passed() {
            return outcome == Outcome.PASS;
        }
    }

    record Summary(int pass, int fail, int skip, int total) {
        Summary(int pass, int fail, int total) {
            this(pass, fail, 0, total);
        }
    }

    static GuestReport parse(String tag, List<String> lines) {
        String t = Pattern.quote("[" + tag + "]");
        Pattern result = Pattern.compile(t + " (PASS|FAIL|SKIP) ([a-z0-9_]+)(?:: (.*))?$");
        Pattern summary = Pattern.compile(t + " SUMMARY pass=(\\d+) fail=(\\d+)(?: skip=(\\d+))? total=(\\d+)\\s*$");
        Map<String, Case> cases = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        Summary sum = null;
        for (String line : lines) {
            Matcher m = result.matcher(line);
            if (m.find()) {
                Outcome outcome = Outcome.valueOf(m.group(1));
                Case c = new Case(m.group(2), outcome, outcome == Outcome.PASS ? "" : String.valueOf(m.group(3)));
                if (cases.putIfAbsent(c.name(), c) != null) {
                    problems.add("case reported twice: " + c.name());
                }
                continue;
            }
            Matcher s = summary.matcher(line);
            if (s.find()) {
                if (sum != null) problems.add("more than one summary line");
                sum = new Summary(Integer.parseInt(s.group(1)), Integer.parseInt(s.group(2)),
                        s.group(3) == null ? 0 : Integer.parseInt(s.group(3)), Integer.parseInt(s.group(4)));
            }
        }
        List<Case> list = List.copyOf(cases.values());
        if (sum == null) {
            problems.add("no summary line: the program did not finish");
        } else {
            long passed = list.stream().filter(c -> c.outcome() == Outcome.PASS).count();
            long skipped = list.stream().filter(c -> c.outcome() == Outcome.SKIP).count();
            if (sum.total() != list.size() || sum.pass() != passed || sum.skip() != skipped
                    || sum.fail() != list.size() - passed - skipped) {
                problems.add("summary " + sum + " does not match the " + list.size() + " case lines");
            }
        }
        return new GuestReport(list, Optional.ofNullable(sum), List.copyOf(problems));
    }
}
