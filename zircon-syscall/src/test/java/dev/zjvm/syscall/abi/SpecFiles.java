package dev.zjvm.syscall.abi;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Locates the shared ABI spec (../shared/zircon-abi relative to the repository root) for tests. */
final class SpecFiles {
    private SpecFiles() {
    }

    /** The spec file, found from the working directory (module dir or repo root) upwards. */
    static Optional<Path> find(String fileName) {
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
            Path candidate = dir.resolve("../shared/zircon-abi").resolve(fileName).normalize();
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
