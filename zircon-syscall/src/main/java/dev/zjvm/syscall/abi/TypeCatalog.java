package dev.zjvm.syscall.abi;

import dev.zjvm.syscall.abi.AbiItem.FieldDef;
import dev.zjvm.syscall.abi.AbiItem.StructDef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** C type knowledge built from constants.def: resolves sizes and checks declared layouts. */
final class TypeCatalog {
    private final Map<String, String> typedefs = new HashMap<>();
    private final Map<String, StructDef> structs = new HashMap<>();
    private final Set<String> opaque = new HashSet<>();

    void declareTypedef(String name, String cType) {
        checkNew(name);
        resolveBase(cType); // must resolve now
        typedefs.put(name, cType);
    }

    void declareOpaque(String name) {
        checkNew(name);
        opaque.add(name);
    }

    void declareStruct(StructDef s) {
        checkNew(s.name());
        validate(s);
        structs.put(s.name(), s);
    }

    private void checkNew(String name) {
        if (typedefs.containsKey(name) || structs.containsKey(name) || opaque.contains(name)
                || CTypes.base(name) != null) {
            throw new IllegalArgumentException("type " + name + " declared twice");
        }
    }

    boolean isKnown(String cType) {
        String t = strip(cType);
        return CTypes.isPointer(t) || CTypes.base(t) != null || typedefs.containsKey(t) || structs.containsKey(t)
                || opaque.contains(t);
    }

    /** Size in bytes of a complete type. */
    int sizeOf(String cType) {
        String t = strip(cType);
        if (CTypes.isPointer(t)) {
            return CTypes.POINTER_SIZE;
        }
        StructDef s = structs.get(t);
        if (s != null) {
            return s.size();
        }
        int size = resolveBase(t).size();
        if (size == 0) {
            throw new IllegalArgumentException("type " + cType + " has no size");
        }
        return size;
    }

    int alignOf(String cType) {
        String t = strip(cType);
        StructDef s = structs.get(t);
        return s != null ? s.align() : sizeOf(t);
    }

    /** The base scalar a (typedef) name resolves to. */
    CTypes.Base resolveBase(String cType) {
        String t = strip(cType);
        if (CTypes.isPointer(t)) {
            return new CTypes.Base(CTypes.POINTER_SIZE, false);
        }
        for (int depth = 0; depth < 16; depth++) {
            CTypes.Base base = CTypes.base(t);
            if (base != null) {
                return base;
            }
            String next = typedefs.get(t);
            if (next == null) {
                if (structs.containsKey(t) || opaque.contains(t)) {
                    throw new IllegalArgumentException("type " + t + " is not a scalar");
                }
                throw new IllegalArgumentException("unknown type '" + t + "'");
            }
            t = strip(next);
            if (CTypes.isPointer(t)) {
                return new CTypes.Base(CTypes.POINTER_SIZE, false);
            }
        }
        throw new IllegalArgumentException("typedef loop at " + cType);
    }

    private static String strip(String cType) {
        String t = cType.strip();
        return t.startsWith("const ") ? t.substring(6).strip() : t;
    }

    /** Throws unless {@code value} is representable in {@code cType}. */
    void checkFits(String cType, long value, String what) {
        CTypes.Base b = resolveBase(cType);
        if (b.size() == 8) {
            return; // any long is a valid 64-bit pattern
        }
        long bits = 8L * b.size();
        long min = b.signed() ? -(1L << (bits - 1)) : 0;
        long max = b.signed() ? (1L << (bits - 1)) - 1 : (1L << bits) - 1;
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " = " + value + " does not fit " + cType);
        }
    }

    private void validate(StructDef s) {
        if (s.size() <= 0 || s.align() <= 0 || Integer.bitCount(s.align()) != 1 || s.size() % s.align() != 0) {
            throw new IllegalArgumentException(s.name() + ": size must be a positive multiple of a power-of-two align");
        }
        if (s.fields().isEmpty()) {
            throw new IllegalArgumentException(s.name() + ": no fields");
        }
        Set<String> names = new HashSet<>();
        int maxAlign = 1;
        // Non-overlap check: every plain member, and each inline union as one block.
        record Span(int start, int end, String what) {
        }
        List<Span> spans = new ArrayList<>();
        Map<Integer, int[]> unions = new HashMap<>();
        for (FieldDef f : s.fields()) {
            String key = f.unionName().map(u -> u + ".").orElse("") + f.name();
            if (!names.add(key)) {
                throw new IllegalArgumentException(s.name() + ": duplicate member " + key);
            }
            if (!isKnown(f.cType())) {
                throw new IllegalArgumentException(s.name() + "." + f.name() + ": unknown type '" + f.cType() + "'");
            }
            int size = sizeOf(f.cType()) * Math.max(1, f.count());
            int align = alignOf(f.cType());
            maxAlign = Math.max(maxAlign, align);
            if (f.offset() % align != 0) {
                throw new IllegalArgumentException(s.name() + "." + f.name() + ": offset " + f.offset()
                        + " not aligned to " + align);
            }
            if (f.offset() + size > s.size()) {
                throw new IllegalArgumentException(s.name() + "." + f.name() + ": runs past the end (" + s.size() + ")");
            }
            if (s.isUnion()) {
                continue;
            }
            if (f.unionIndex() == 0) {
                spans.add(new Span(f.offset(), f.offset() + size, f.name()));
            } else {
                unions.merge(f.unionIndex(), new int[] {f.offset(), f.offset() + size},
                        (a, b) -> new int[] {a[0], Math.max(a[1], b[1])});
            }
        }
        unions.forEach((i, r) -> spans.add(new Span(r[0], r[1], "union #" + i)));
        spans.sort(Comparator.comparingInt(Span::start));
        for (int i = 1; i < spans.size(); i++) {
            if (spans.get(i).start() < spans.get(i - 1).end()) {
                throw new IllegalArgumentException(s.name() + ": " + spans.get(i).what() + " overlaps "
                        + spans.get(i - 1).what());
            }
        }
        if (maxAlign != s.align()) {
            throw new IllegalArgumentException(s.name() + ": align " + s.align() + " but members need " + maxAlign);
        }
        int covered = 0;
        for (Span sp : spans) {
            covered += sp.end() - sp.start();
        }
        // A C compiler would insert padding we did not write down: require explicit padding members.
        if (!s.isUnion() && covered != s.size()) {
            throw new IllegalArgumentException(s.name() + ": members cover " + covered + " of " + s.size()
                    + " bytes; declare the padding explicitly");
        }
    }
}
