package dev.zjvm.syscall.abi.gen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs host tools (gcc, make) for tests; a missing tool is reported as absent, not as a failure. */
final class Gcc {
    private Gcc() {
    }

    /** Result of one process run. */
    record Result(int exitCode, String output) {
    }

    static boolean available(String tool) {
        try {
            return run(Path.of("."), List.of(tool, "--version")).exitCode() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    static Result run(Path dir, List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile()).redirectErrorStream(true);
        Process p = pb.start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            // Generous: the machine is shared and slow; this is a hang guard, not a timing assertion.
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + command);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted", e);
        }
    }
}
