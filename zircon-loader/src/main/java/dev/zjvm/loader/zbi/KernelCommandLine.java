package dev.zjvm.loader.zbi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The kernel command line, normalized as the 2020 kernel does (formats.md §B.3): fragments are
 * joined with spaces; \n \r \t are spaces; other control and non-ASCII bytes become '.';
 * each word becomes "key=value" ('=' appended when missing); lookups take the last occurrence.
 */
public final class KernelCommandLine {
    /** kCmdlineMax: the encoded form, including the final extra NUL, must fit. */
    public static final int MAX_SIZE = 4096;

    private final List<String> words;

    private KernelCommandLine(List<String> words) {
        this.words = List.copyOf(words);
    }

    /** Normalizes the fragments in order (ZBI CMDLINE items first, then the user's words). */
    public static KernelCommandLine of(List<String> fragments) {
        List<String> words = new ArrayList<>();
        for (String fragment : fragments) {
            StringBuilder word = new StringBuilder();
            for (byte b : fragment.getBytes(StandardCharsets.UTF_8)) {
                int c = b & 0xff;
                if (c == '\n' || c == '\r' || c == '\t') {
                    c = ' ';
                } else if (c < 0x20 || c >= 0x7f) {
                    c = '.';
                }
                if (c == ' ') {
                    flush(word, words);
                } else {
                    word.append((char) c);
                }
            }
            flush(word, words);
        }
        return new KernelCommandLine(words);
    }

    private static void flush(StringBuilder word, List<String> words) {
        if (word.isEmpty()) {
            return;
        }
        if (word.indexOf("=") < 0) {
            word.append('=');
        }
        words.add(word.toString());
        word.setLength(0);
    }

    /** The normalized words, each "key=value". */
    public List<String> words() {
        return words;
    }

    /** Value of the last word whose key is {@code key}. */
    public Optional<String> get(String key) {
        String prefix = key + "=";
        for (int i = words.size() - 1; i >= 0; i--) {
            if (words.get(i).startsWith(prefix)) {
                return Optional.of(words.get(i).substring(prefix.length()));
            }
        }
        return Optional.empty();
    }

    public boolean contains(String key) {
        return get(key).isPresent();
    }

    /** Bytes of the encoded form: every word NUL-terminated, then one more NUL. */
    public int encodedSize() {
        int size = 1;
        for (String w : words) {
            size += w.length() + 1;
        }
        return size;
    }

    public boolean fits() {
        return encodedSize() <= MAX_SIZE;
    }

    /**
     * The data of the kernel's bootstrap message to userboot.
     *
     * @throws IllegalStateException if longer than {@link #MAX_SIZE}; check {@link #fits()} first
     */
    public byte[] toBootstrapBytes() {
        if (!fits()) {
            throw new IllegalStateException("kernel command line is " + encodedSize() + " bytes, the limit is " + MAX_SIZE);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(encodedSize());
        for (String w : words) {
            out.writeBytes(w.getBytes(StandardCharsets.US_ASCII));
            out.write(0);
        }
        out.write(0);
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return String.join(" ", words);
    }
}
