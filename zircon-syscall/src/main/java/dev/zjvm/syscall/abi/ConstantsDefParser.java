package dev.zjvm.syscall.abi;

import dev.zjvm.syscall.abi.AbiItem.ConstantDef;
import dev.zjvm.syscall.abi.AbiItem.DeclareDef;
import dev.zjvm.syscall.abi.AbiItem.FieldDef;
import dev.zjvm.syscall.abi.AbiItem.MacroDef;
import dev.zjvm.syscall.abi.AbiItem.OpaqueDef;
import dev.zjvm.syscall.abi.AbiItem.StructDef;
import dev.zjvm.syscall.abi.AbiItem.TypedefDef;
import dev.zjvm.syscall.abi.AbiItem.VerbatimDef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the constants.def format (documented in that file's header) into {@link AbiConstants}. */
public final class ConstantsDefParser {
    private static final Pattern C_IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern FIELD = Pattern.compile(
            "field\\s+([A-Za-z_][A-Za-z0-9_]*)\\s+@(\\d+)\\s+(.+?)(?:\\[(\\d+)])?");
    private static final Pattern AGGREGATE = Pattern.compile(
            "(struct|union)\\s+([A-Za-z_][A-Za-z0-9_]*)\\s+size=(\\d+)\\s+align=(\\d+)");
    private static final Pattern INLINE_UNION = Pattern.compile("union(?:\\s+([A-Za-z_][A-Za-z0-9_]*))?\\s+@(\\d+)");
    private static final Pattern MACRO = Pattern.compile("macro\\s+([A-Za-z_][A-Za-z0-9_]*\\([^)]*\\))\\s+(.+)");

    private final String source;
    private final Map<String, HeaderBuilder> headers = new LinkedHashMap<>();
    private final Map<String, Long> values = new LinkedHashMap<>();
    private final TypeCatalog types = new TypeCatalog();
    /** Every item in file order (headers can be continued, so per-header order is not enough). */
    private final List<AbiItem> ordered = new ArrayList<>();
    private HeaderBuilder header;
    private String group = "";
    // Open struct state.
    private StructBuilder struct;
    private int unionIndex;
    private int unionOffset = -1;
    private Optional<String> unionName = Optional.empty();
    private int unionCounter;
    // Open verbatim block.
    private List<String> verbatim;

    private ConstantsDefParser(String source) {
        this.source = source;
    }

    /** Parses the lines of a constants file; {@code source} names it in error messages. */
    public static AbiConstants parse(String source, List<String> lines) {
        ConstantsDefParser p = new ConstantsDefParser(source);
        for (int i = 0; i < lines.size(); i++) {
            try {
                p.line(lines.get(i));
            } catch (IllegalArgumentException e) {
                throw new AbiDefinitionException(source, i + 1, e.getMessage());
            }
        }
        if (p.struct != null || p.verbatim != null) {
            throw new AbiDefinitionException(source, lines.size(), "missing 'end'");
        }
        List<HeaderDef> out = new ArrayList<>();
        p.headers.values().forEach(h -> out.add(new HeaderDef(h.path, h.includes, h.items)));
        return new AbiConstants(out, p.ordered);
    }

    private void line(String raw) {
        if (verbatim != null) {
            if (raw.strip().equals("end")) {
                add(new VerbatimDef(verbatim, header.path));
                verbatim = null;
            } else {
                verbatim.add(raw);
            }
            return;
        }
        String text = stripComment(raw).strip();
        if (text.isEmpty()) {
            return;
        }
        String[] words = text.split("\\s+", 2);
        String rest = words.length > 1 ? words[1].strip() : "";
        if (struct != null) {
            structLine(words[0], text);
            return;
        }
        if (!words[0].equals("header") && header == null) {
            throw new IllegalArgumentException("'" + words[0] + "' before any 'header'");
        }
        switch (words[0]) {
            case "header" -> {
                header = headers.computeIfAbsent(rest, HeaderBuilder::new);
                group = "";
            }
            case "include" -> header.includes.add(rest);
            case "declare" -> add(new DeclareDef(ident(rest), header.path));
            case "group" -> group = ident(rest);
            case "typedef" -> typedef(rest);
            case "opaque" -> {
                types.declareOpaque(ident(rest));
                add(new OpaqueDef(rest, header.path));
            }
            case "const" -> constant(rest);
            case "macro" -> {
                Matcher m = MACRO.matcher(text);
                if (!m.matches()) {
                    throw new IllegalArgumentException("expected 'macro NAME(args) body'");
                }
                add(new MacroDef(m.group(1), m.group(2), header.path));
            }
            case "struct", "union" -> openStruct(text);
            case "verbatim" -> verbatim = new ArrayList<>();
            default -> throw new IllegalArgumentException("unknown directive '" + words[0] + "'");
        }
    }

    /** '#' starts a comment when followed by a space or the end of the line (C text may contain '#'). */
    private static String stripComment(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) == '#' && (i + 1 == raw.length() || raw.charAt(i + 1) == ' ')) {
                return raw.substring(0, i);
            }
        }
        return raw;
    }

    private static String ident(String word) {
        if (!C_IDENT.matcher(word).matches()) {
            throw new IllegalArgumentException("expected a C identifier, got '" + word + "'");
        }
        return word;
    }

    private void typedef(String rest) {
        String[] parts = rest.split("\\s+", 2);
        if (parts.length != 2) {
            throw new IllegalArgumentException("expected 'typedef <name> <C type>'");
        }
        types.declareTypedef(ident(parts[0]), parts[1]);
        add(new TypedefDef(parts[0], parts[1], header.path));
    }

    private void constant(String rest) {
        String[] parts = rest.split("\\s+", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("expected 'const <NAME> <C type> <expr>'");
        }
        String name = ident(parts[0]);
        if (values.containsKey(name)) {
            throw new IllegalArgumentException("constant " + name + " defined twice");
        }
        String cType = parts[1];
        long value = ConstExpr.evaluate(parts[2], n -> {
            Long v = values.get(n);
            if (v == null) {
                throw new IllegalArgumentException("unknown constant '" + n + "'");
            }
            return v;
        });
        types.checkFits(cType, value, name);
        values.put(name, value);
        add(new ConstantDef(name, cType, value, group, header.path));
    }

    private void openStruct(String text) {
        Matcher m = AGGREGATE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected 'struct|union <name> size=<n> align=<n>'");
        }
        struct = new StructBuilder(m.group(2), m.group(1).equals("union"), Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4)));
        unionIndex = 0;
        unionCounter = 0;
    }

    private void structLine(String first, String text) {
        switch (first) {
            case "field" -> {
                Matcher m = FIELD.matcher(text);
                if (!m.matches()) {
                    throw new IllegalArgumentException("expected 'field <name> @<offset> <C type>[<count>]'");
                }
                int offset = Integer.parseInt(m.group(2));
                int count = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
                if (m.group(4) != null && count <= 0) {
                    throw new IllegalArgumentException("array length must be positive");
                }
                String cType = m.group(3).strip();
                if (unionIndex != 0 && offset != unionOffset) {
                    throw new IllegalArgumentException("union members sit at @" + unionOffset);
                }
                if (struct.isUnion && offset != 0) {
                    throw new IllegalArgumentException("union members sit at @0");
                }
                struct.fields.add(new FieldDef(m.group(1), offset, cType, count, unionIndex,
                        unionIndex == 0 ? Optional.empty() : unionName));
            }
            case "union" -> {
                Matcher m = INLINE_UNION.matcher(text);
                if (!m.matches() || unionIndex != 0 || struct.isUnion) {
                    throw new IllegalArgumentException("expected 'union [name] @<offset>' directly inside a struct");
                }
                unionIndex = ++unionCounter;
                unionOffset = Integer.parseInt(m.group(2));
                unionName = Optional.ofNullable(m.group(1));
            }
            case "endunion" -> {
                if (unionIndex == 0) {
                    throw new IllegalArgumentException("'endunion' without 'union'");
                }
                unionIndex = 0;
            }
            case "end" -> {
                if (unionIndex != 0) {
                    throw new IllegalArgumentException("missing 'endunion'");
                }
                StructDef def = new StructDef(struct.name, struct.isUnion, struct.size, struct.align, struct.fields,
                        header.path);
                types.declareStruct(def);
                add(def);
                struct = null;
            }
            default -> throw new IllegalArgumentException("'" + first + "' inside a struct");
        }
    }

    private void add(AbiItem item) {
        header.items.add(item);
        ordered.add(item);
    }

    /** Items of one header while parsing. */
    private static final class HeaderBuilder {
        final String path;
        final List<String> includes = new ArrayList<>();
        final List<AbiItem> items = new ArrayList<>();

        HeaderBuilder(String path) {
            if (!path.matches("[a-z0-9_./-]+\\.h")) {
                throw new IllegalArgumentException("bad header path '" + path + "'");
            }
            this.path = path;
        }
    }

    /** A struct being read. */
    private static final class StructBuilder {
        final String name;
        final boolean isUnion;
        final int size;
        final int align;
        final List<FieldDef> fields = new ArrayList<>();

        StructBuilder(String name, boolean isUnion, int size, int align) {
            this.name = ident(name);
            this.isUnion = isUnion;
            this.size = size;
            this.align = align;
        }
    }
}

