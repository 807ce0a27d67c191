package dev.zjvm.userspace;

import dev.zjvm.loader.boot.ZirconSystem;
import dev.zjvm.loader.cli.BootConfig;
import dev.zjvm.loader.cli.PrebuiltLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;

/** Boots a prebuilt directory through the real path (loader, userboot, vDSO, native kernel). */
final class Guests {
    /** prebuilt/ as built by this module (tests run in userspace/). */
    static final Path PREBUILT = Path.of("..", "prebuilt");
    /** Where the real zCore userboot/vDSO pair may be found (never inside the repository). */
    static final Path REAL_PAIR = Path.of(System.getProperty("zjvm.realpair",
            "/work/realpair"));

    private Guests() {}

    /** The result of one boot: console lines and the loader's exit status. */
    record Run(List<String> lines, int exitStatus) {
        String console() {
            return String.join("\n", lines);
        }
    }

    static Run boot(Path prebuilt, String cmdline) throws Exception {
        List<String> words = cmdline.isBlank() ? List.of() : Arrays.asList(cmdline.trim().split("\\s+"));
        BootConfig config = PrebuiltLoader.load(prebuilt, PrebuiltLoader.DEFAULT_ZBI, words, false, OptionalLong.of(42));
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        try (ZirconSystem system = ZirconSystem.boot(config, lines::add)) {
            int status = system.awaitExit();
            return new Run(List.copyOf(lines), status);
        }
    }

    /** A copy of {@code prebuilt} whose userboot and vDSO are the real zCore pair, or null if absent. */
    static Path withRealPair(Path prebuilt, Path scratch) throws Exception {
        Path ub = REAL_PAIR.resolve(PrebuiltLoader.USERBOOT_FILE);
        Path vdso = REAL_PAIR.resolve(PrebuiltLoader.VDSO_FILE);
        if (!Files.isRegularFile(ub) || !Files.isRegularFile(vdso)) return null;
        Path dir = scratch.resolve("prebuilt-real");
        Files.createDirectories(dir);
        Files.copy(prebuilt.resolve(PrebuiltLoader.DEFAULT_ZBI), dir.resolve(PrebuiltLoader.DEFAULT_ZBI));
        Files.copy(ub, dir.resolve(PrebuiltLoader.USERBOOT_FILE));
        Files.copy(vdso, dir.resolve(PrebuiltLoader.VDSO_FILE));
        return dir;
    }
}
