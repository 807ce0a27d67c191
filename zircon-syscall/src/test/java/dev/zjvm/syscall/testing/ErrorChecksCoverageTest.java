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
 * The acceptance asks for the generic error checks (BAD_HANDLE, WRONG_TYPE, ACCESS_DENIED per
 * required right, bad pointers) on every syscall that takes a handle. This test reads the
 * module's test sources and fails, naming them, for each handle argument (by value) of each
 * syscall in syscalls.def that no {@code ErrorChecks.of(h, "name")...run()} drives through
 * {@code .handle(i, ...)} with every right the definition requires, apart from the commented
 * exemptions below.
 *
 * <p>A call may name its syscall by a string literal, or by the variable of an enclosing
 * {@code for (String name : LIST)} loop where LIST is a {@code List.of(...)}, {@code Set.of(...)}
 * or {@code new String[] {...}} literal, or a constant of this file initialised with one. Any
 * other form fails the test, so coverage is never guessed. Rights are read from the
 * {@code Rights.X} names in the rights argument (one level of local variables is followed).
 */
class ErrorChecksCoverageTest {
    /** A handle-taking entry without its own checks: why, and the kernel entries checked instead. */
    record Exemption(String reason, List<String> checkedInstead) {}

    /** Handle-taking entries that cannot be driven through ErrorChecks. Everything else must be. */
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
     * Handle arguments ("syscall.param") no call can reach: looked at only after a handle of a type
     * this kernel never creates (the syscall must be NOT_SUPPORTED).
     */
    static final Map<String, String> UNREACHABLE_ARGS = Map.of(
            "msi_create.vmo", "looked at only after the MSI allocation handle, and no MSI allocation exists");

    /**
     * Object types this kernel never creates (no PCI bus, no MSI): no valid handle of them exists,
     * so a call taking one can only be checked for BAD_HANDLE and for WRONG_TYPE on every live
     * handle (an anyHandle run whose "valid" status is WRONG_TYPE); its rights are unreachable.
     * Every syscall taking one must be NOT_SUPPORTED.
     */
    static final Set<String> ABSENT_TYPES = Set.of("PCI_DEVICE", "MSI_ALLOCATION");

    /** Typed handle arguments whose wrong type is, by spec, not WRONG_TYPE ("syscall.param"). */
    static final Map<String, String> NO_WRONG_TYPE = Map.of(
            // 2020 kernel: the handle is removed first, then a non-VMO gives BAD_HANDLE
            // (VmSyscallErrorsTest checks it).
            "vmo_replace_as_executable.handle", "a non-VMO is BAD_HANDLE (and consumed)");

    /** What the runs of one syscall check for one handle argument. */
    record Checked(boolean wrongType, Set<String> rights) {
        Checked merge(Checked o) {
            Set<String> r = new TreeSet<>(rights);
            r.addAll(o.rights);
            return new Checked(wrongType || o.wrongType, r);
        }
    }

    /**
     * User pointers of handle-taking syscalls that ErrorChecks cannot drive ("syscall.param"), and
     * where they are checked instead. Pointers of NOT_SUPPORTED syscalls are never reached.
     */
    static final Map<String, String> POINTERS_CHECKED_ELSEWHERE = Map.of(
            "channel_call_noretry.actual_bytes", "written only once a reply arrives: GenericErrorsCoverageTest",
            "channel_call_noretry.actual_handles", "written only once a reply arrives: GenericErrorsCoverageTest",
            "channel_write.handles", "a handle array (TRANSFER, consumed): ChannelSyscallsTest",
            "channel_write_etc.handles", "a handle-disposition array (consumed): GenericErrorsCoverageTest",
            "futex_requeue.requeue_ptr", "a key, never read (mapping irrelevant): GenericErrorsCoverageTest",
            "futex_requeue_single_owner.requeue_ptr", "a key, never read (mapping irrelevant): GenericErrorsCoverageTest",
            "vmar_op_range.buffer", "unused by every 2020 op, must be NULL: GenericErrorsCoverageTest",
            "vmo_op_range.buffer", "unused (ignored) by every 2020 op",
            "vcpu_create.out", "one VCPU per thread and KVM needed: HypervisorSyscallsTest checks an unmapped out");

    /** What the runs of one syscall check: handle arguments by index, and user pointer indexes. */
    record Coverage(Map<Integer, Checked> handles, Set<Integer> pointers) {
        Coverage merge(Coverage o) {
            Map<Integer, Checked> h = new TreeMap<>(handles);
            o.handles.forEach((i, c) -> h.merge(i, c, Checked::merge));
            Set<Integer> p = new TreeSet<>(pointers);
            p.addAll(o.pointers);
            return new Coverage(h, p);
        }
    }

    private static final Path SOURCES = Path.of("src/test/java");
    /** Not coverage: the checker's own test (a fake registry) and this one (sample sources). */
    private static final Set<String> NOT_COVERAGE = Set.of("ErrorChecksTest.java", "ErrorChecksCoverageTest.java");
    private static final Pattern OF_CALL =
            Pattern.compile("ErrorChecks\\s*\\.\\s*of\\s*\\(\\s*[^,()]+(?:\\([^()]*\\))?\\s*,\\s*(\"([a-z0-9_]+)\"|([A-Za-z_]\\w*))\\s*\\)");
    private static final Pattern HANDLE_ARG = Pattern.compile("\\.\\s*(handle|anyHandle)\\s*\\(\\s*(\\d+)\\s*,");
    private static final Pattern POINTER_ARG = Pattern.compile("\\.\\s*(?:in|out|optionalOut|aligned)\\s*\\(\\s*(\\d+)\\s*[,)]");
    private static final Pattern STRING = Pattern.compile("\"([a-z0-9_]+)\"");
    private static final Pattern RIGHT = Pattern.compile("\\bRights\\s*\\.\\s*([A-Z_]+)");
    private static final Pattern LOCAL_NAME = Pattern.compile("(?<![.\\w])([a-z]\\w*)(?![\\w(])");

    /**
     * Every entry with a handle input passed by value: argument index to the definition's param
     * (handle arrays behind pointers are not ErrorChecks' business).
     */
    static Map<String, Map<Integer, Param>> handleTakingSyscalls() {
        Map<String, Map<Integer, Param>> out = new TreeMap<>();
        for (SyscallDef d : SyscallTable.standard().all()) {
            Map<Integer, Param> args = new TreeMap<>();
            for (int i = 0; i < d.arity(); i++) {
                Param p = d.params().get(i);
                if (p.isHandleInput() && !p.isPointer()) args.put(i, p);
            }
            if (!args.isEmpty()) out.put(d.name(), args);
        }
        return out;
    }

    /**
     * The ErrorChecks runs in {@code source}: syscall name to handle argument index to what its
     * runs check there.
     *
     * @throws AssertionError naming file:line for a call this scanner cannot resolve
     */
    static Map<String, Coverage> coveredIn(String file, String source) {
        Map<String, Coverage> out = new TreeMap<>();
        Matcher m = OF_CALL.matcher(source);
        while (m.find()) {
            String where = file + ":" + lineOf(source, m.start());
            String statement = source.substring(m.end(), statementEnd(source, m.end()));
            if (!statement.contains(".run()")) {
                throw new AssertionError(where + ": ErrorChecks.of(...) statement does not end in .run()");
            }
            Map<Integer, Checked> args = new TreeMap<>();
            Matcher a = HANDLE_ARG.matcher(statement);
            while (a.find()) {
                List<String> params = arguments(statement, a.end(), where);
                if (params.size() != 2) throw new AssertionError(where + ": cannot read ." + a.group(1) + "(...)");
                Checked c = new Checked(a.group(1).equals("handle"), rightsIn(source, params.get(1)));
                args.merge(Integer.parseInt(a.group(2)), c, Checked::merge);
            }
            Set<Integer> pointers = new TreeSet<>();
            Matcher p = POINTER_ARG.matcher(statement);
            while (p.find()) pointers.add(Integer.parseInt(p.group(1)));
            Coverage coverage = new Coverage(args, pointers);
            List<String> names = m.group(2) != null ? List.of(m.group(2)) : loopNames(source, m.start(), m.group(3), where);
            for (String n : names) out.merge(n, coverage, Coverage::merge);
        }
        return out;
    }

    /** Rights named in a rights expression, following local names to their initialisers once. */
    private static Set<String> rightsIn(String source, String expression) {
        Set<String> out = new TreeSet<>();
        Matcher r = RIGHT.matcher(expression);
        while (r.find()) out.add(r.group(1));
        Matcher local = LOCAL_NAME.matcher(expression);
        while (local.find()) {
            String name = local.group(1);
            Matcher decl = Pattern.compile("\\b" + name + "\\s*=\\s*([^;]+);"
                    + "|for\\s*\\(\\s*(?:final\\s+)?(?:int|var)\\s+" + name + "\\s*:([^)]*)\\)").matcher(source);
            while (decl.find()) {
                Matcher rr = RIGHT.matcher(decl.group(1) != null ? decl.group(1) : decl.group(2));
                while (rr.find()) out.add(rr.group(1));
            }
        }
        return out;
    }

    /** The top-level comma-separated arguments from {@code from} to the closing ')'. */
    private static List<String> arguments(String s, int from, String where) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = from;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(' || c == '{' || c == '[') depth++;
            else if ((c == ')' || c == '}' || c == ']') && depth > 0) depth--;
            else if (c == ')') {
                out.add(s.substring(start, i).strip());
                return out;
            } else if (c == ',' && depth == 0) {
                out.add(s.substring(start, i).strip());
                start = i + 1;
            }
        }
        throw new AssertionError(where + ": unbalanced arguments");
    }

    /** Names a {@code for (String var : ...)} enclosing {@code at} iterates over. */
    private static List<String> loopNames(String source, int at, String var, String where) {
        Matcher loop = Pattern.compile("for\\s*\\(\\s*(?:final\\s+)?(?:String|var)\\s+" + var + "\\s*:\\s*").matcher(source);
        int start = -1;
        while (loop.find() && loop.start() < at) start = loop.end();
        if (start < 0) throw new AssertionError(where + ": cannot resolve syscall name variable '" + var + "'");
        String iterable = String.join(",", arguments(source, start, where)).strip();
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

    private static Map<String, Coverage> coveredInModule() {
        Map<String, Coverage> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                if (NOT_COVERAGE.contains(f.getFileName().toString())) continue;
                coveredIn(SOURCES.relativize(f).toString(), Files.readString(f)).forEach((n, c) -> out.merge(n, c, Coverage::merge));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** What the module's checks miss, one line per gap. */
    static List<String> gaps(Map<String, Coverage> covered) {
        List<String> gaps = new ArrayList<>();
        SyscallRegistry registry = SyscallRegistry.standard();
        handleTakingSyscalls().forEach((name, args) -> {
            if (EXEMPT.containsKey(name)) return;
            Coverage coverage = covered.get(name);
            if (coverage == null) {
                gaps.add(name);
                return;
            }
            Map<Integer, Checked> checked = coverage.handles();
            SyscallDef d = SyscallTable.standard().byName(name).orElseThrow();
            boolean unsupported = registry.entry(name).support().level() == Support.Level.NOT_SUPPORTED;
            for (int i = 0; i < d.arity() && !unsupported; i++) {
                Param p = d.params().get(i);
                if (p.isPointer() && !coverage.pointers().contains(i)
                        && !POINTERS_CHECKED_ELSEWHERE.containsKey(name + "." + p.name())) {
                    gaps.add(name + "." + p.name() + ": pointer never checked");
                }
            }
            args.forEach((i, p) -> {
                String arg = name + "." + p.name();
                if (UNREACHABLE_ARGS.containsKey(arg)) return;
                Checked c = checked.get(i);
                if (c == null) {
                    gaps.add(arg + ": never checked");
                    return;
                }
                if (ABSENT_TYPES.containsAll(p.handleTypes()) && !p.handleTypes().isEmpty()) return;
                boolean typed = p.resourceKind().isPresent() || !p.handleTypes().equals(List.of("ANY"));
                if (typed && !c.wrongType() && !NO_WRONG_TYPE.containsKey(arg)) {
                    gaps.add(arg + ": only anyHandle (WRONG_TYPE unchecked)");
                }
                Set<String> missing = new TreeSet<>(p.rights());
                missing.removeAll(c.rights());
                if (!missing.isEmpty()) gaps.add(arg + ": no ACCESS_DENIED check for " + missing);
            });
        });
        return gaps;
    }

    @Test
    void everyHandleArgumentOfEverySyscallIsDrivenThroughErrorChecks() {
        assertTrue(Files.isDirectory(SOURCES), "run with the module directory as working directory");
        assertEquals(List.of(), gaps(coveredInModule()), "handle arguments without ErrorChecks.of(h, \"name\")...run()");
    }

    @Test
    void exemptionsAreHandleTakingVdsoCallsWhoseKernelPartsAreChecked() {
        Map<String, Map<Integer, Param>> handleTaking = handleTakingSyscalls();
        Map<String, Coverage> covered = coveredInModule();
        EXEMPT.forEach((name, why) -> {
            SyscallDef d = SyscallTable.standard().byName(name).orElseThrow();
            assertTrue(d.has(SyscallAttribute.VDSOCALL), name + " is not a vDSO call");
            assertTrue(handleTaking.containsKey(name), name + " takes no handle: drop it");
            assertFalse(covered.containsKey(name), name + " is checked now: drop its exemption");
            for (String instead : why.checkedInstead()) {
                assertTrue(handleTaking.containsKey(instead), instead);
                assertTrue(covered.containsKey(instead), name + ": " + instead + " must be checked");
            }
        });
    }

    @Test
    void exemptArgumentsExistAndTheirReasonsHold() {
        SyscallRegistry registry = SyscallRegistry.standard();
        for (String arg : UNREACHABLE_ARGS.keySet()) {
            String name = arg.substring(0, arg.indexOf('.'));
            SyscallDef d = SyscallTable.standard().byName(name).orElseThrow();
            assertTrue(d.param(arg.substring(arg.indexOf('.') + 1)).orElseThrow().isHandleInput(), arg);
            assertEquals(Support.Level.NOT_SUPPORTED, registry.entry(name).support().level(), arg);
        }
        handleTakingSyscalls().forEach((name, args) -> args.values().forEach(p -> {
            if (p.handleTypes().stream().anyMatch(ABSENT_TYPES::contains)) {
                assertEquals(Support.Level.NOT_SUPPORTED, registry.entry(name).support().level(), name);
            }
        }));
        for (String arg : POINTERS_CHECKED_ELSEWHERE.keySet()) {
            SyscallDef d = SyscallTable.standard().byName(arg.substring(0, arg.indexOf('.'))).orElseThrow();
            assertTrue(d.param(arg.substring(arg.indexOf('.') + 1)).orElseThrow().isPointer(), arg);
            assertTrue(handleTakingSyscalls().containsKey(d.name()), arg);
        }
        for (String arg : NO_WRONG_TYPE.keySet()) {
            SyscallDef d = SyscallTable.standard().byName(arg.substring(0, arg.indexOf('.'))).orElseThrow();
            assertTrue(d.param(arg.substring(arg.indexOf('.') + 1)).orElseThrow().isHandleInput(), arg);
        }
    }

    // ---- the scanner itself ----

    @Test
    void scannerReadsLiteralsLoopsConstantsAndRights() {
        String src = """
                class T {
                    static final List<String> NAMES = List.of("b_one", "b_two");
                    void t() {
                        int both = Rights.READ | Rights.WRITE;
                        ErrorChecks.of(h, "a_call").args(0, 1).handle(0, this::x, both).anyHandle(2, y, 0)
                                .out(1).run();
                        for (String name : List.of("l_one", "l_two")) {
                            ErrorChecks.of(h, name).handle(1, () -> h.install(o, Rights.MAP), Rights.WAIT).in(2).aligned(3, 4).run();
                        }
                        for (int r : new int[] {Rights.MANAGE_JOB, Rights.WRITE}) {
                            for (String n : NAMES) ErrorChecks.of(h, n).handle(0, s, r).run();
                        }
                        for (String n : new String[] {"c_one"}) ErrorChecks.of(other(), n).handle(3, f(1, 2), 0).run();
                    }
                }
                """;
        Checked none = new Checked(true, Set.of());
        Coverage wait = new Coverage(Map.of(1, new Checked(true, Set.of("WAIT"))), Set.of(2, 3));
        Coverage job = new Coverage(Map.of(0, new Checked(true, Set.of("MANAGE_JOB", "WRITE"))), Set.of());
        assertEquals(Map.of(
                "a_call", new Coverage(Map.of(0, new Checked(true, Set.of("READ", "WRITE")), 2, new Checked(false, Set.of())),
                        Set.of(1)),
                "l_one", wait, "l_two", wait, "b_one", job, "b_two", job,
                "c_one", new Coverage(Map.of(3, none), Set.of())), coveredIn("T.java", src));
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
    void gapsNameMissingSyscallsArgumentsTypesAndRights() {
        List<String> gaps = gaps(coveredIn("T.java", """
                ErrorChecks.of(h, "channel_write").anyHandle(0, c, 0).run();
                ErrorChecks.of(h, "system_mexec").handle(0, r, 0).handle(1, v, Rights.READ).run();
                """));
        assertTrue(gaps.contains("channel_write.handle: only anyHandle (WRONG_TYPE unchecked)"), gaps.toString());
        assertTrue(gaps.contains("channel_write.handle: no ACCESS_DENIED check for [WRITE]"), gaps.toString());
        assertTrue(gaps.contains("system_mexec.bootimage_vmo: never checked"), gaps.toString());
        assertFalse(gaps.stream().anyMatch(g -> g.startsWith("system_mexec.kernel_vmo")), gaps.toString());
        assertTrue(gaps.contains("channel_read"), "a syscall without checks is named");
        assertFalse(gaps.stream().anyMatch(g -> g.startsWith("channel_write.handles")), "handle arrays are not by-value");
        assertTrue(gaps.contains("channel_write.bytes: pointer never checked"), gaps.toString());
        assertFalse(gaps.stream().anyMatch(g -> g.startsWith("pci_get_bar.out_bar")), "not reached: NOT_SUPPORTED");
    }
}
