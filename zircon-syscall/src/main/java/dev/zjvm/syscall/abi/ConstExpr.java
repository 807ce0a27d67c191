package dev.zjvm.syscall.abi;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Evaluates the integer expressions of constants.def: literals, names of earlier constants,
 * unary - ~, binary + - << | with C precedence, parentheses. 64-bit two's complement.
 */
final class ConstExpr {
    private final List<String> tokens;
    private final ToLongFunction<String> names;
    private int pos;

    private ConstExpr(List<String> tokens, ToLongFunction<String> names) {
        this.tokens = tokens;
        this.names = names;
    }

    /** Evaluates {@code text}; {@code names} resolves identifiers (and throws for unknown ones). */
    static long evaluate(String text, ToLongFunction<String> names) {
        ConstExpr e = new ConstExpr(tokenize(text), names);
        long v = e.or();
        if (e.pos != e.tokens.size()) {
            throw new IllegalArgumentException("unexpected '" + e.tokens.get(e.pos) + "' in '" + text + "'");
        }
        return v;
    }

    private static List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (text.startsWith("<<", i)) {
                out.add("<<");
                i += 2;
            } else if ("|+-~()".indexOf(c) >= 0) {
                out.add(String.valueOf(c));
                i++;
            } else if (Character.isLetterOrDigit(c) || c == '_') {
                int start = i;
                while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
                    i++;
                }
                out.add(text.substring(start, i));
            } else {
                throw new IllegalArgumentException("bad character '" + c + "' in '" + text + "'");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("empty expression");
        }
        return out;
    }

    private String peek() {
        return pos < tokens.size() ? tokens.get(pos) : "";
    }

    private long or() {
        long v = shift();
        while (peek().equals("|")) {
            pos++;
            v |= shift();
        }
        return v;
    }

    private long shift() {
        long v = additive();
        while (peek().equals("<<")) {
            pos++;
            long by = additive();
            if (by < 0 || by > 63) {
                throw new IllegalArgumentException("shift by " + by);
            }
            v <<= by;
        }
        return v;
    }

    private long additive() {
        long v = unary();
        while (peek().equals("+") || peek().equals("-")) {
            boolean plus = tokens.get(pos++).equals("+");
            long w = unary();
            v = plus ? v + w : v - w;
        }
        return v;
    }

    private long unary() {
        String t = peek();
        if (t.equals("-")) {
            pos++;
            return -unary();
        }
        if (t.equals("~")) {
            pos++;
            return ~unary();
        }
        if (t.equals("(")) {
            pos++;
            long v = or();
            if (!peek().equals(")")) {
                throw new IllegalArgumentException("missing ')'");
            }
            pos++;
            return v;
        }
        if (t.isEmpty()) {
            throw new IllegalArgumentException("expression ends early");
        }
        pos++;
        if (Character.isDigit(t.charAt(0))) {
            try {
                return t.startsWith("0x") || t.startsWith("0X")
                        ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad number '" + t + "'", e);
            }
        }
        return names.applyAsLong(t);
    }
}
