package dev.zjvm.loader.elf;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Builds small ELF files with the host gcc at test time (tests skip when gcc is absent). */
public final class Gcc {
    private Gcc() {}

    public static byte[] compile(Path dir, String name, String cSource, String... flags) throws Exception {
        Path src = dir.resolve(name + ".c");
        Path out = dir.resolve(name);
        Files.writeString(src, cSource);
        List<String> cmd = new ArrayList<>(List.of("gcc", "-O1", "-fno-asynchronous-unwind-tables", "-o", out.toString()));
        cmd.addAll(List.of(flags));
        cmd.add(src.toString());
        String output = run(cmd);
        assumeTrue(Files.exists(out), "gcc produced no output: " + output);
        return Files.readAllBytes(out);
    }

    /** Runs a tool, returns stdout+stderr; skips the test when the tool is missing. */
    public static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, cmd.getFirst() + " not available: " + e.getMessage());
            throw e;
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(cmd + " timed out");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(cmd + " failed: " + text);
        }
        return text;
    }
}
