package dev.zjvm.syscall.testing;

import dev.zjvm.syscall.dispatch.SyscallNumbering;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Syscall numbers read from the appendix table of the spec (shared/zircon-abi/syscalls.md), for
 * tests until the generated ABI table (dev.zjvm.syscall.abi.SyscallTable) is available.
 */
public final class SpecNumbering implements SyscallNumbering {
    private static final Pattern CELL = Pattern.compile("\\|\\s*(\\d+)\\s*\\|\\s*zx_(\\w+)\\s*");
    private final String[] names;

    private SpecNumbering(Map<Integer, String> byNumber) {
        names = new String[byNumber.isEmpty() ? 0 : byNumber.keySet().stream().mapToInt(i -> i).max().getAsInt() + 1];
        byNumber.forEach((n, name) -> names[n] = name);
    }

    /** Loads the table from the spec beside the worktree. */
    public static SpecNumbering load() {
        Path spec = locate();
        Map<Integer, String> byNumber = new TreeMap<>();
        try {
            boolean inAppendix = false;
            for (String line : Files.readAllLines(spec)) {
                if (line.startsWith("## Appendix: syscall numbers")) inAppendix = true;
                else if (line.startsWith("## ")) inAppendix = false;
                if (!inAppendix) continue;
                Matcher m = CELL.matcher(line);
                while (m.find()) byNumber.put(Integer.parseInt(m.group(1)), m.group(2));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (byNumber.size() < 169) throw new IllegalStateException("syscall table not found in " + spec);
        return new SpecNumbering(byNumber);
    }

    private static Path locate() {
        for (String p : new String[] {"../../shared/zircon-abi/syscalls.md", "../shared/zircon-abi/syscalls.md",
                "/work/shared/zircon-abi/syscalls.md"}) {
            Path path = Path.of(p);
            if (Files.isRegularFile(path)) return path;
        }
        throw new IllegalStateException("shared/zircon-abi/syscalls.md not found");
    }

    @Override
    public int limit() {
        return names.length;
    }

    @Override
    public String nameOf(int number) {
        return number >= 0 && number < names.length ? names[number] : null;
    }

    /** Number of {@code name}, or -1. */
    public int numberOf(String name) {
        for (int i = 0; i < names.length; i++) if (name.equals(names[i])) return i;
        return -1;
    }
}
