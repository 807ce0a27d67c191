package dev.zjvm.syscall.abi.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Builds the vDSO for tests: AbiGen into target/vdso-build/gen, then userspace/vdso/vdso.mk (incremental). */
final class VdsoBuild {
    private static final Path WORK = Path.of("target", "vdso-build").toAbsolutePath();

    private VdsoBuild() {
    }

    /** Builds (or brings up to date) the vDSO; skips the calling test when gcc or make is missing. */
    static Path build() throws IOException {
        assumeTrue(Gcc.available("gcc") && Gcc.available("make"),
                "gcc or make not installed; skipping the tests that build the vDSO");
        Path mk = findVdsoMk().orElseThrow(() -> new IllegalStateException("userspace/vdso/vdso.mk not found"));
        Path gen = WORK.resolve("gen");
        Path out = WORK.resolve("out");
        AbiGen.generate(gen);
        Gcc.Result r = Gcc.run(WORK.getParent(), List.of("make", "-f", mk.toString(), "GEN=" + gen, "OUT=" + out,
                "CC=gcc", "vdso"));
        assertEquals(0, r.exitCode(), "vDSO build failed:\n" + r.output());
        return out.resolve("libzircon-libos.so");
    }

    private static Optional<Path> findVdsoMk() {
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
            Path mk = dir.resolve("userspace/vdso/vdso.mk");
            if (Files.isRegularFile(mk)) {
                return Optional.of(mk);
            }
        }
        return Optional.empty();
    }
}
