package dev.zjvm.syscall.testing;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.syscall.abi.Param;
import dev.zjvm.syscall.abi.SyscallAttribute;
import dev.zjvm.syscall.abi.SyscallDef;
import dev.zjvm.syscall.abi.SyscallTable;
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
    /**
     * Handle-taking entries the kernel never dispatches: the vDSO implements them on top of kernel
     * entries that are checked themselves, and the kernel answers their numbers with BAD_SYSCALL.
     */
    static final Map<String, String> NOT_KERNEL_DISPATCHED = Map.of(
            // vDSO-only: composed from channel_call_noretry + channel_call_finish (both checked).
            "channel_call", "vDSO composite of channel_call_noretry and channel_call_finish",
            // Composite 200: the vDSO's futex_wake + handle_close + thread_exit sequence.
            "futex_wake_handle_close_thread_exit", "vDSO composite of futex_wake, handle_close, thread_exit",
            // Composite 201: the vDSO's vmar_unmap + handle_close + thread_exit sequence.
            "vmar_unmap_handle_close_thread_exit", "vDSO composite of vmar_unmap, handle_close, thread_exit");

    private static final Path SOURCES = Path.of("src/test/java");
    private static final Pattern OF_CALL =
            Pattern.compile("ErrorChecks\\s*\\.\\s*of\\s*\\(\\s*[^,()]+(?:\\([^()]*\\))?\\s*,\\s*(\"([a-z0-9_]+)\"|([A-Za-z_]\\w*))\\s*\\)");
    private static final Pattern STRING = Pattern.compile("\"([a-z0-9_]+)\"");

    /** Kernel-dispatched syscalls with at least one handle input (value or array). */
    static Set<String> handleTakingSyscalls() {
        Set<String> out = new TreeSet<>();
        for (SyscallDef d : SyscallTable.standard().all()) {
            if (!d.isKernelEntry()) continue;
            if (d.params().stream().anyMatch(Param::isHandleInput)) out.add(d.name());
        }
        return out;
    }

    /** Syscall names passed to ErrorChecks.of(...) in {@code source}, by name to "file:line". */
    static Map<String, String> coveredIn(String file, String source) {
        Map<String, String> out = new TreeMap<>();
        Matcher m = OF_CALL.matcher(source);
        while (m.find()) {
            String where = file + ":" + lineOf(source, m.start());
            if (!source.substring(m.end(), statementEnd(source, m.end())).contains(".run()")) {
                throw new AssertionError(where + ": ErrorChecks.of(...) statement does not end in .run()");
            }
            if (m.group(2) != null) {
                out.putIfAbsent(m.group(2), where);
            } else {
                for (String n : loopNames(source, m.start(), m.group(3), where)) out.putIfAbsent(n, where);
            }
        }
        return out;
    }

    /** Names a {@code for (String var : ...)} enclosing {@code at} iterates over. */
    private static List<String> loopNames(String source, int at, String var, String where) {
        Matcher loop = Pattern.compile("for\\s*\\(\\s*(?:final\\s+)?(?:String|var)\\s+" + var + "\\s*:\\s*").matcher(source);
        int start = -1;
        while (loop.find() && loop.start() < at) start = loop.end();
        if (start < 0) throw new AssertionError(where + ": cannot resolve syscall name variable '" + var + "'");
        String iterable = source.substring(start, closingParen(source, start - 1, where));
        String literal = iterable.strip();
        if (literal.matches("[A-Za-z_]\\w*")) { // a constant of this file
            Matcher decl = Pattern.compile("\\b" + literal + "\\s*=\\s*").matcher(source);
            if (!decl.find()) throw new AssertionError(where + ": cannot find the declaration of " + literal);
            literal = source.substring(decl.end(), source.indexOf(';', decl.end()));
        }
        if (!literal.matches("(?s)\\s*(List\\.of|Set\\.of|new String\\s*\\[\\s*\\]\\s*)\\s*[({].*")) {
            throw new AssertionError(where + ": loop over '" + iterable.strip() + "' is not a literal list of names");
        }
        List<String> names = new ArrayList<>();
        Matcher s = STRING.matcher(literal);
        while (s.find()) names.add(s.group(1));
        if (names.isEmpty()) throw new AssertionError(where + ": empty name list");
        return names;
    }

    /** Index of the ')' that closes the '(' before {@code from} (the for's header). */
    private static int closingParen(String s, int from, String where) {
        int depth = 1;
        for (int i = from + 1; i < s.length(); i++) {
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

    private static Map<String, String> coveredInModule() {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                // The checker's own test drives it with a fake registry: that is not coverage.
                if (f.getFileName().toString().equals("ErrorChecksTest.java")) continue;
                coveredIn(SOURCES.relativize(f).toString(), Files.readString(f)).forEach(out::putIfAbsent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @Test
    void everyHandleTakingKernelSyscallHasErrorChecks() {
        assertTrue(Files.isDirectory(SOURCES), "run with the module directory as working directory");
        Map<String, String> covered = coveredInModule();
        List<String> missing = handleTakingSyscalls().stream()
                .filter(n -> !covered.containsKey(n) && !NOT_KERNEL_DISPATCHED.containsKey(n)).toList();
        assertEquals(List.of(), missing, "handle-taking syscalls without ErrorChecks.of(h, \"name\")...run()");
    }

    @Test
    void allowListHoldsOnlyHandleTakingEntriesTheKernelDoesNotImplement() {
        Set<String> handleTaking = handleTakingSyscalls();
        for (Map.Entry<String, String> e : NOT_KERNEL_DISPATCHED.entrySet()) {
            SyscallDef d = SyscallTable.standard().byName(e.getKey()).orElseThrow();
            assertTrue(d.has(SyscallAttribute.VDSOCALL), e.getKey() + " is not a vDSO call");
            assertTrue(!d.isKernelEntry() || handleTaking.contains(e.getKey()), e.getKey());
        }
    }
}
