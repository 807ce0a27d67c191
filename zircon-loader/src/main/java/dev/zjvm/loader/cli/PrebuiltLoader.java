package dev.zjvm.loader.cli;

import dev.zjvm.loader.elf.ElfFile;
import dev.zjvm.loader.elf.ElfFormatException;
import dev.zjvm.loader.elf.ElfSymbol;
import dev.zjvm.loader.elf.LoadPlan;
import dev.zjvm.loader.zbi.Bootfs;
import dev.zjvm.loader.zbi.BootfsEntry;
import dev.zjvm.loader.zbi.KernelCommandLine;
import dev.zjvm.loader.zbi.UserbootOptions;
import dev.zjvm.loader.zbi.ZbiFormatException;
import dev.zjvm.loader.zbi.ZbiImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads a prebuilt directory and checks everything that can be checked before booting, so a bad
 * input is one clear line instead of a failure deep in the boot.
 */
public final class PrebuiltLoader {
    public static final String USERBOOT_FILE = "userboot-libos.so";
    public static final String VDSO_FILE = "libzircon-libos.so";
    public static final String DEFAULT_ZBI = "bringup.zbi";

    /** The vDSO constants block (formats.md §E.4) and the libos syscall-entry slot symbol (§E.3). */
    public static final String VDSO_CONSTANTS_SYMBOL = "DATA_CONSTANTS";
    public static final long VDSO_CONSTANTS_SIZE = 0x78;
    public static final String SYSCALL_ENTRY_SYMBOL = "zcore_syscall_entry";

    private PrebuiltLoader() {}

    /**
     * @param zbiName ZBI file name, resolved against {@code dir} when relative
     * @param words   kernel command-line words given by the user (appended after the ZBI's CMDLINE items)
     */
    public static BootConfig load(Path dir, String zbiName, List<String> words, boolean trace, OptionalLong seed)
            throws LaunchException {
        if (!Files.exists(dir)) {
            throw new LaunchException(ExitStatus.NO_INPUT, "prebuilt directory not found: " + dir);
        }
        if (!Files.isDirectory(dir)) {
            throw new LaunchException(ExitStatus.NO_INPUT, "not a directory: " + dir);
        }
        ElfFile userboot = readElf(dir.resolve(USERBOOT_FILE), "userboot");
        ElfFile vdso = readElf(dir.resolve(VDSO_FILE), "vDSO");
        checkUserboot(userboot);
        checkVdso(vdso);

        Path zbiPath = dir.resolve(zbiName);
        ZbiImage zbi = readZbi(zbiPath);
        Bootfs bootfs = bootfs(zbi);

        List<String> fragments = new ArrayList<>(zbi.cmdlineFragments());
        fragments.addAll(words);
        KernelCommandLine cmdline = KernelCommandLine.of(fragments);
        if (!cmdline.fits()) {
            throw new LaunchException(ExitStatus.USAGE, "kernel command line too long: " + cmdline.encodedSize()
                    + " bytes, the limit is " + KernelCommandLine.MAX_SIZE);
        }
        UserbootOptions options = UserbootOptions.from(cmdline);
        checkProgram(zbi, bootfs, options);
        return new BootConfig(dir, userboot, vdso, zbi, cmdline, options, trace, seed);
    }

    private static ElfFile readElf(Path file, String role) throws LaunchException {
        if (!Files.isRegularFile(file)) {
            throw new LaunchException(ExitStatus.NO_INPUT, role + " image not found: " + file);
        }
        try {
            ElfFile elf = ElfFile.read(file);
            elf.loadPlan();
            return elf;
        } catch (ElfFormatException e) {
            throw new LaunchException(ExitStatus.DATA_ERROR, "bad " + role + " image: " + e.getMessage());
        } catch (IOException e) {
            throw new LaunchException(ExitStatus.NO_INPUT, "cannot read " + file + ": " + e.getMessage());
        }
    }

    private static void checkUserboot(ElfFile userboot) throws LaunchException {
        String problem = null;
        if (userboot.interpreter().isPresent()) {
            problem = "has PT_INTERP " + userboot.interpreter().get() + "; userboot must be self-contained";
        } else if (userboot.entry() == 0) {
            problem = "has no entry point";
        }
        if (problem != null) {
            throw new LaunchException(ExitStatus.DATA_ERROR, "bad userboot image: " + userboot.source() + ": " + problem);
        }
    }

    private static void checkVdso(ElfFile vdso) throws LaunchException {
        String problem = null;
        Optional<ElfSymbol> constants = vdso.findSymbol(VDSO_CONSTANTS_SYMBOL);
        List<ElfSymbol> slots = vdso.findSymbols(SYSCALL_ENTRY_SYMBOL);
        if (constants.isEmpty()) {
            problem = "no " + VDSO_CONSTANTS_SYMBOL + " symbol (is it a stripped or non-libos vDSO?)";
        } else if (constants.get().size() < VDSO_CONSTANTS_SIZE) {
            problem = String.format("%s is 0x%x bytes, expected 0x%x", VDSO_CONSTANTS_SYMBOL,
                    constants.get().size(), VDSO_CONSTANTS_SIZE);
        } else if (slots.isEmpty()) {
            problem = "no " + SYSCALL_ENTRY_SYMBOL + " symbol (not a libos vDSO)";
        } else {
            try {
                vdso.readVaddr(constants.get().value(), (int) VDSO_CONSTANTS_SIZE);
                for (ElfSymbol slot : slots) {
                    vdso.readVaddr(slot.value(), 8);
                }
            } catch (ElfFormatException e) {
                problem = "constants block or syscall-entry slot is not file-backed (" + e.getMessage() + ")";
            }
        }
        if (problem != null) {
            throw new LaunchException(ExitStatus.DATA_ERROR, "bad vDSO image: " + vdso.source() + ": " + problem);
        }
    }

    private static ZbiImage readZbi(Path file) throws LaunchException {
        if (!Files.isRegularFile(file)) {
            throw new LaunchException(ExitStatus.NO_INPUT, "ZBI not found: " + file);
        }
        try {
            return ZbiImage.read(file);
        } catch (ZbiFormatException e) {
            throw new LaunchException(ExitStatus.DATA_ERROR, "bad ZBI: " + e.getMessage());
        } catch (IOException e) {
            throw new LaunchException(ExitStatus.NO_INPUT, "cannot read " + file + ": " + e.getMessage());
        }
    }

    private static Bootfs bootfs(ZbiImage zbi) throws LaunchException {
        try {
            return zbi.bootfs();
        } catch (ZbiFormatException e) {
            throw new LaunchException(ExitStatus.DATA_ERROR, "bad ZBI: " + e.getMessage());
        }
    }

    /** The program userboot will start must exist, be ELF, and find its dynamic linker (userboot fails hard otherwise). */
    private static void checkProgram(ZbiImage zbi, Bootfs bootfs, UserbootOptions options) throws LaunchException {
        String path = options.programPath();
        Optional<BootfsEntry> entry = bootfs.find(path);
        if (entry.isEmpty()) {
            String where = options.root().isEmpty() ? "" : " (userboot.root=" + options.root() + ")";
            throw new LaunchException(ExitStatus.USAGE, "unknown program '" + options.program() + "'" + where
                    + ": no " + (path.isEmpty() ? "name given" : path) + " in the BOOTFS of " + zbi.source());
        }
        ElfFile program;
        try {
            program = ElfFile.parse(zbi.source() + ":" + path, bootfs.contents(entry.get()));
        } catch (ElfFormatException e) {
            throw new LaunchException(ExitStatus.DATA_ERROR, "bad program: " + e.getMessage());
        }
        Optional<String> interp = program.interpreter();
        if (interp.isPresent() && bootfs.find(options.libraryPath(interp.get())).isEmpty()) {
            throw new LaunchException(ExitStatus.DATA_ERROR, "program " + path + " needs dynamic linker "
                    + options.libraryPath(interp.get()) + ", which is not in the BOOTFS of " + zbi.source());
        }
    }
}
