package dev.zjvm.syscall.testing;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.syscall.abi.Param;
import dev.zjvm.syscall.abi.SyscallAttribute;
import dev.zjvm.syscall.abi.SyscallDef;
import dev.zjvm.syscall.abi.SyscallTable;
import dev.zjvm.syscall.dispatch.Support;
import dev.zjvm.syscall.dispatch.SyscallRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The acceptance asks for the generic error checks (BAD_HANDLE, WRONG_TYPE, ACCESS_DENIED, bad
 * pointers) on every syscall that takes a handle. This test reads the module's test sources and
 * fails, naming them, for each kernel-dispatched syscall with a handle input that no
 * {@code ErrorChecks.of(h, "name")...run()} covers.
 *
 * <p>A call may name its syscall by a string literal, or by the variable of an enclosing
 * {@code for (String name : LIST)} loop where LIST is a {@code List.of(...)}, {@code Set.of(...)}
 * or {@code new String[] {...}} literal, or a constant of this file initialised with one. Any
 * other form fails the test (so coverage is never guessed).
 */
class ErrorChecksCoverageTest {
    /** A handle-taking entry without its own checks: why, and the kernel entries checked instead. */
    record Exemption(String reason, List<String> checkedInstead) {}

    /**
     * Handle-taking entries that cannot be driven through ErrorChecks. Everything else must be.
     */
    static final Map<String, Exemption> EXEMPT = Map.of(
            // vDSO-only (no kernel number): the vDSO calls channel_call_noretry, then
            // channel_call_finish (which takes no handle).
            "channel_call", new Exemption("vDSO-only composite", List.of("channel_call_noretry")),
            // Composite 200 is noreturn: as in the real vDSO, a failing step (a bad close_handle)
            // traps instead of returning a status, so there is no status to check. The trap path
            // is tested in TimerFutexSyscallsTest; the handle step is handle_close's.
            "futex_wake_handle_close_thread_exit",
            new Exemption("noreturn composite: errors trap, not return", List.of("handle_close")));

    /**
     * Handle arguments no call can reach, as "syscall.param": checked only after a handle of a
     * type this kernel never creates (its syscall must be NOT_SUPPORTED), so they stay unchecked.
     */
    static final Map<String, String> UNREACHABLE_ARGS = Map.of(
            "msi_create.vmo", "looked at only after the MSI allocation handle, and no MSI allocation exists");

    private static final Path SOURCES = Path.of("src/test/java");
    private static final Set<String> NOT_COVERAGE = Set.of("ErrorChecksTest.java", "ErrorChecksCoverageTest.java");
    private static final Pattern OF_CALL =
            Pattern.compile("ErrorChecks\\s*\\.\\s*of\\s*\\(\\s*[^,()]+(?:\\([^()]*\\))?\\s*,\\s*(\"([a-z0-9_]+)\"|([A-Za-z_]\\w*))\\s*\\)");
    private static final Pattern HANDLE_ARG = Pattern.compile("\\.\\s*(?:handle|anyHandle)\\s*\\(\\s*(\\d+)\\s*,");
    private static final Pattern STRING = Pattern.compile("\"([a-z0-9_]+)\"");

    /**
     * Every entry with a handle input passed by value, to the indexes of those arguments (handle
     * arrays behind pointers are not ErrorChecks' business).
     */
    static Map<String, Set<Integer>> handleTakingSyscalls() {
        Map<String, Set<Integer>> out = new TreeMap<>();
        for (SyscallDef d : SyscallTable.standard().all()) {
            Set<Integer> indexes = new TreeSet<>();
            for (int i = 0; i < d.arity(); i++) {
                Param p = d.params().get(i);
                if (p.isHandleInput() && !p.isPointer()) indexes.add(i);
            }
            if (!indexes.isEmpty()) out.put(d.name(), indexes);
        }
        return out;
    }

    /**
     * The ErrorChecks runs in {@code source}: syscall name to the handle argument indexes they
     * check (over all its runs).
     *
     * @throws AssertionError naming file:line for a call this scanner cannot resolve
     */
    static Map<String, Set<Integer>> coveredIn(String file, String source) {
        Map<String, Set<Integer>> out = new TreeMap<>();
        Matcher m = OF_CALL.matcher(source);
        while (m.find()) {
            String where = file + ":" + lineOf(source, m.start());
            String statement = source.substring(m.end(), statementEnd(source, m.end()));
            if (!statement.contains(".run()")) {
                throw new AssertionError(where + ": ErrorChecks.of(...) statement does not end in .run()");
            }
            Set<Integer> indexes = new TreeSet<>();
            Matcher a = HANDLE_ARG.matcher(statement);
            while (a.find()) indexes.add(Integer.parseInt(a.group(1)));
            List<String> names = m.group(2) != null ? List.of(m.group(2)) : loopNames(source, m.start(), m.group(3), where);
            for (String n : names) out.computeIfAbsent(n, k -> new TreeSet<>()).addAll(indexes);
        }
        return out;
    }

    /** Names a {@code for (String var : ...)} enclosing {@code at} iterates over. */
    private static List<String> loopNames(String source, int at, String var, String where) {
        Matcher loop = Pattern.compile("for\\s*\\(\\s*(?:final\\s+)?(?:String|var)\\s+" + var + "\\s*:\\s*").matcher(source);
        int start = -1;
        while (loop.find() && loop.start() < at) start = loop.end();
        if (start < 0) throw new AssertionError(where + ": cannot resolve syscall name variable '" + var + "'");
        String iterable = source.substring(start, closingParen(source, start, where)).strip();
        String literal = iterable;
        if (literal.matches("[A-Za-z_]\\w*")) { // a constant of this file
            Matcher decl = Pattern.compile("\\b" + literal + "\\s*=\\s*").matcher(source);
            if (!decl.find()) throw new AssertionError(where + ": cannot find the declaration of " + literal);
            literal = source.substring(decl.end(), source.indexOf(';', decl.end()));
        }
        if (!literal.matches("(?s)\\s*(List\\.of|Set\\.of|new String\\s*\\[\\s*\\]\\s*)\\s*[({].*")) {
            throw new AssertionError(where + ": loop over '" + iterable + "' is not a literal list of names");
        }
        List<String> names = new ArrayList<>();
        Matcher s = STRING.matcher(literal);
        while (s.find()) names.add(s.group(1));
        if (names.isEmpty()) throw new AssertionError(where + ": empty name list");
        return names;
    }

    /** Index of the ')' closing the for header that is open at {@code from}. */
    private static int closingParen(String s, int from, String where) {
        int depth = 1;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') depth++;
            else if (c == ')' && --depth == 0) return i;
        }
        throw new AssertionError(where + ": unbalanced loop header");
    }

    private static int statementEnd(String s, int from) {
        int depth = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(' || c == '{') depth++;
            else if (c == ')' || c == '}') depth--;
            else if (c == ';' && depth <= 0) return i;
        }
        return s.length();
    }

    private static int lineOf(String s, int index) {
        return (int) s.substring(0, index).chars().filter(c -> c == '\n').count() + 1;
    }

    private static Map<String, Set<Integer>> coveredInModule() {
        Map<String, Set<Integer>> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                // Not coverage: the checker's own test (a fake registry) and this one (sample sources).
                if (NOT_COVERAGE.contains(f.getFileName().toString())) continue;
                coveredIn(SOURCES.relativize(f).toString(), Files.readString(f))
                        .forEach((n, i) -> out.computeIfAbsent(n, k -> new TreeSet<>()).addAll(i));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @Test
    void everyHandleTakingSyscallHasErrorChecksOnEveryHandleArgument() {
        assertTrue(Files.isDirectory(SOURCES), "run with the module directory as working directory");
        Map<String, Set<Integer>> covered = coveredInModule();
        List<String> missing = new ArrayList<>();
        handleTakingSyscalls().forEach((name, indexes) -> {
            if (EXEMPT.containsKey(name)) return;
            if (!covered.containsKey(name)) {
                missing.add(name);
                return;
            }
            SyscallDef d = SyscallTable.standard().byName(name).orElseThrow();
            for (int i : indexes) {
                if (UNREACHABLE_ARGS.containsKey(name + "." + d.params().get(i).name())) continue;
                if (!covered.get(name).contains(i)) missing.add(name + " (handle argument " + d.params().get(i).name() + ")");
            }
        });
        assertEquals(List.of(), missing, "no ErrorChecks.of(h, \"name\")...handle(i, ...)...run() for");
    }

    @Test
    void exemptionsAreHandleTakingVdsoCallsWhoseKernelPartsAreChecked() {
        Map<String, Set<Integer>> handleTaking = handleTakingSyscalls();
        Map<String, Set<Integer>> covered = coveredInModule();
        EXEMPT.forEach((name, why) -> {
            SyscallDef d = SyscallTable.standard().byName(name).orElseThrow();
            assertTrue(d.has(SyscallAttribute.VDSOCALL), name + " is not a vDSO call");
            assertTrue(handleTaking.containsKey(name), name + " takes no handle: drop it");
            assertFalse(covered.containsKey(name), name + " is checked now: drop its exemption");
            for (String instead : why.checkedInstead()) {
                assertEquals(handleTaking.get(instead), covered.get(instead), name + ": " + instead + " must be checked");
            }
        });
    }

    @Test
    void unreachableArgumentsBelongToUnsupportedSyscalls() {
        SyscallRegistry registry = SyscallRegistry.standard();
        for (String arg : UNREACHABLE_ARGS.keySet()) {
            String name = arg.substring(0, arg.indexOf('.'));
            SyscallDef d = SyscallTable.standard().byName(name).orElseThrow();
            assertTrue(d.param(arg.substring(arg.indexOf('.') + 1)).orElseThrow().isHandleInput(), arg);
            assertEquals(Support.Level.NOT_SUPPORTED, registry.entry(name).support().level(), arg);
        }
    }

    // ---- the scanner itself ----

    @Test
    void scannerReadsLiteralsLoopsAndConstants() {
        String src = """
                class T {
                    static final List<String> NAMES = List.of("b_one", "b_two");
                    void t() {
                        ErrorChecks.of(h, "a_call").args(0, 1).handle(0, this::x, R).anyHandle(2, y, 0)
                                .out(1).run();
                        for (String name : List.of("l_one", "l_two")) {
                            ErrorChecks.of(h, name).handle(1, () -> h.install(o), 0).run();
                        }
                        for (String n : NAMES) ErrorChecks.of(h, n).handle(0, s, 0).run();
                        for (String n : new String[] {"c_one"}) ErrorChecks.of(other(), n).handle(3, s, 0).run();
                    }
                }
                """;
        Map<String, Set<Integer>> got = coveredIn("T.java", src);
        assertEquals(Map.of("a_call", Set.of(0, 2), "l_one", Set.of(1), "l_two", Set.of(1), "b_one", Set.of(0),
                "b_two", Set.of(0), "c_one", Set.of(3)), got);
    }

    @Test
    void scannerRejectsWhatItCannotResolve() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> coveredIn("T.java", "class T {\n void t(String n) { ErrorChecks.of(h, n).run(); } }"));
        assertTrue(e.getMessage().startsWith("T.java:2"), e.getMessage());
        assertThrows(AssertionError.class,
                () -> coveredIn("T.java", "for (String n : names()) { ErrorChecks.of(h, n).run(); }"));
        assertThrows(AssertionError.class, () -> coveredIn("T.java", "ErrorChecks.of(h, \"x\").handle(0, s, 0);"));
    }

    @Test
    void scannerFindsAMissingSyscall() {
        // A module whose only checks cover one handle argument of channel_write and nothing else.
        Map<String, Set<Integer>> covered = coveredIn("T.java", "ErrorChecks.of(h, \"channel_write\").handle(0, c, W).run();");
        assertEquals(Set.of(0), covered.get("channel_write"));
        assertTrue(handleTakingSyscalls().keySet().stream().anyMatch(n -> !covered.containsKey(n)));
        assertEquals(Set.of(0), handleTakingSyscalls().get("channel_write"), "the handle array is not a by-value handle");
        assertEquals(Set.of(0, 1, 2), handleTakingSyscalls().get("system_mexec"));
    }
}
