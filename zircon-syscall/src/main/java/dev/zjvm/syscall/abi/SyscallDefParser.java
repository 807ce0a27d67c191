package dev.zjvm.syscall.abi;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/** Parses the syscalls.def format (documented in that file's header) into a {@link SyscallTable}. */
public final class SyscallDefParser {
    private static final Pattern IDENT = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final Pattern UPPER = Pattern.compile("[A-Z][A-Z0-9_]*");
    /** Precompiled: String.split compiles a regex like this one anew on every call. */
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern C_TYPE = Pattern.compile("(const )?[a-z_][a-z0-9_]*( ?\\*)?");
    private static final Pattern COLON = Pattern.compile("\\s:\\s|\\s:$");

    private final String source;
    private final List<SyscallDef> defs = new ArrayList<>();
    private String family;
    private PendingSyscall pending;

    private SyscallDefParser(String source) {
        this.source = source;
    }

    /** Parses the lines of a definition file; {@code source} names it in error messages. */
    public static SyscallTable parse(String source, List<String> lines) {
        SyscallDefParser parser = new SyscallDefParser(source);
        for (int i = 0; i < lines.size(); i++) {
            parser.line(i + 1, lines.get(i));
        }
        parser.flush();
        return new SyscallTable(parser.defs);
    }

    private void line(int no, String raw) {
        int hash = raw.indexOf('#');
        String text = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
        if (text.isEmpty()) {
            return;
        }
        try {
            String first = WHITESPACE.split(text, 2)[0];
            switch (first) {
                case "family" -> family(text);
                case "syscall" -> syscall(no, text);
                case "in", "out", "inout" -> param(text);
                default -> throw new IllegalArgumentException("unknown directive '" + first + "'");
            }
        } catch (IllegalArgumentException e) {
            throw new AbiDefinitionException(source, no, e.getMessage());
        }
    }

    private void family(String text) {
        flush();
        String[] words = WHITESPACE.split(text);
        if (words.length != 2 || !IDENT.matcher(words[1]).matches()) {
            throw new IllegalArgumentException("expected 'family <name>'");
        }
        family = words[1];
    }

    private void syscall(int no, String text) {
        flush();
        if (family == null) {
            throw new IllegalArgumentException("syscall before any 'family' line");
        }
        String[] parts = splitColon(text, 2, 3);
        String[] head = WHITESPACE.split(parts[0]);
        if (head.length != 3) {
            throw new IllegalArgumentException("expected 'syscall <number|-> <name> : <type> [: attrs]'");
        }
        OptionalInt number = head[1].equals("-") ? OptionalInt.empty() : OptionalInt.of(parseNumber(head[1]));
        String name = head[2];
        if (!IDENT.matcher(name).matches() || name.startsWith("zx_")) {
            throw new IllegalArgumentException("bad syscall name '" + name + "' (lower case, no zx_ prefix)");
        }
        String returnType = parts[1];
        checkCType(returnType);
        Set<SyscallAttribute> attrs = EnumSet.noneOf(SyscallAttribute.class);
        if (parts.length == 3) {
            for (String word : WHITESPACE.split(parts[2])) {
                if (!attrs.add(SyscallAttribute.parse(word))) {
                    throw new IllegalArgumentException("attribute '" + word + "' given twice");
                }
            }
        }
        pending = new PendingSyscall(no, name, number, family, returnType, attrs);
    }

    private static int parseNumber(String word) {
        try {
            int n = Integer.parseInt(word);
            if (n < 0) {
                throw new IllegalArgumentException("negative syscall number " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad syscall number '" + word + "'", e);
        }
    }

    private void param(String text) {
        if (pending == null) {
            throw new IllegalArgumentException("parameter outside a syscall");
        }
        String[] parts = splitColon(text, 2, 3);
        String[] head = WHITESPACE.split(parts[0]);
        if (head.length != 2) {
            throw new IllegalArgumentException("expected '<dir> <name> : <type> [: keys]'");
        }
        Direction dir = Direction.parse(head[0]);
        String name = head[1];
        if (!IDENT.matcher(name).matches()) {
            throw new IllegalArgumentException("bad parameter name '" + name + "'");
        }
        String cType = parts[1];
        checkCType(cType);
        boolean pointer = cType.endsWith("*");
        if (!pointer && dir != Direction.IN) {
            throw new IllegalArgumentException("scalar parameter '" + name + "' must be 'in'");
        }
        if (pointer && cType.startsWith("const ") && dir != Direction.IN) {
            throw new IllegalArgumentException("const pointer '" + name + "' must be 'in'");
        }
        List<String> handleTypes = List.of();
        Optional<String> resource = Optional.empty();
        Set<String> rights = new HashSet<>();
        boolean dynamic = false;
        boolean release = false;
        boolean nullable = false;
        Optional<String> bytes = Optional.empty();
        Optional<String> count = Optional.empty();
        if (parts.length == 3) {
            for (String word : WHITESPACE.split(parts[2])) {
                int eq = word.indexOf('=');
                String key = eq < 0 ? word : word.substring(0, eq);
                String value = eq < 0 ? null : word.substring(eq + 1);
                switch (key) {
                    case "handle" -> handleTypes = upperList(requireValue(key, value), "\\|");
                    case "resource" -> resource = Optional.of(upperList(requireValue(key, value), "\\|").getFirst());
                    case "rights" -> {
                        for (String r : requireValue(key, value).split("\\+")) {
                            if (r.equals("dynamic")) {
                                dynamic = true;
                            } else {
                                rights.addAll(upperList(r, "\\+"));
                            }
                        }
                    }
                    case "release" -> release = flag(key, value);
                    case "nullable" -> nullable = flag(key, value);
                    case "bytes" -> bytes = Optional.of(requireValue(key, value));
                    case "count" -> count = Optional.of(requireValue(key, value));
                    default -> throw new IllegalArgumentException("unknown parameter key '" + key + "'");
                }
            }
        }
        boolean handleValue = cType.equals("zx_handle_t") || (pointer && pointeeOf(cType).equals("zx_handle_t"));
        if ((!handleTypes.isEmpty() || resource.isPresent()) && !(handleValue && dir == Direction.IN)) {
            throw new IllegalArgumentException("handle/resource keys only apply to input zx_handle_t values or arrays");
        }
        if ((!rights.isEmpty() || dynamic || release) && handleTypes.isEmpty() && resource.isEmpty()) {
            throw new IllegalArgumentException("rights/release need handle= or resource=");
        }
        if ((bytes.isPresent() || count.isPresent() || nullable && !handleValue) && !pointer) {
            throw new IllegalArgumentException("bytes/count/nullable need a pointer ('" + name + "')");
        }
        if (bytes.isPresent() && count.isPresent()) {
            throw new IllegalArgumentException("give bytes= or count=, not both");
        }
        for (Param p : pending.params) {
            if (p.name().equals(name)) {
                throw new IllegalArgumentException("duplicate parameter '" + name + "'");
            }
        }
        pending.params.add(new Param(name, cType, dir, handleTypes, resource, rights, dynamic, release,
                nullable, bytes, count));
    }

    private static String pointeeOf(String cType) {
        String t = cType.substring(0, cType.length() - 1).strip();
        return t.startsWith("const ") ? t.substring(6).strip() : t;
    }

    private static boolean flag(String key, String value) {
        if (value != null) {
            throw new IllegalArgumentException("'" + key + "' takes no value");
        }
        return true;
    }

    private static String requireValue(String key, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("'" + key + "' needs a value");
        }
        return value;
    }

    private static List<String> upperList(String value, String separator) {
        List<String> out = new ArrayList<>();
        for (String s : value.split(separator)) {
            if (!UPPER.matcher(s).matches()) {
                throw new IllegalArgumentException("expected an upper-case name, got '" + s + "'");
            }
            out.add(s);
        }
        return out;
    }

    private static void checkCType(String cType) {
        if (!C_TYPE.matcher(cType).matches()) {
            throw new IllegalArgumentException("unsupported C type '" + cType + "'");
        }
    }

    private static String[] splitColon(String text, int min, int max) {
        String[] parts = COLON.split(text, -1);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = parts[i].strip();
        }
        if (parts.length < min || parts.length > max) {
            throw new IllegalArgumentException("expected " + min + " to " + max + " ' : '-separated fields");
        }
        for (String p : parts) {
            if (p.isEmpty()) {
                throw new IllegalArgumentException("empty field");
            }
        }
        return parts;
    }

    private void flush() {
        if (pending == null) {
            return;
        }
        PendingSyscall p = pending;
        pending = null;
        for (Param param : p.params) {
            for (Optional<String> ref : List.of(param.bytesParam(), param.countParam())) {
                if (ref.isPresent() && p.params.stream().noneMatch(q -> q.name().equals(ref.get()) && !q.isPointer())) {
                    throw new AbiDefinitionException(source, p.line,
                            p.name + ": '" + param.name() + "' refers to unknown size parameter '" + ref.get() + "'");
                }
            }
        }
        defs.add(new SyscallDef(p.name, p.number, p.family, p.returnType, p.params, p.attrs, p.line));
    }

    /** A syscall whose parameter lines are still being read. */
    private static final class PendingSyscall {
        final int line;
        final String name;
        final OptionalInt number;
        final String family;
        final String returnType;
        final Set<SyscallAttribute> attrs;
        final List<Param> params = new ArrayList<>();

        PendingSyscall(int line, String name, OptionalInt number, String family, String returnType,
                       Set<SyscallAttribute> attrs) {
            this.line = line;
            this.name = name;
            this.number = number;
            this.family = family;
            this.returnType = returnType;
            this.attrs = attrs;
        }
    }
}
