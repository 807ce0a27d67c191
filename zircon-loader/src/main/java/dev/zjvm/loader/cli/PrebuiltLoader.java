package dev.zjvm.loader.cli;

import dev.zjvm.loader.elf.ElfFile;
import dev.zjvm.loader.elf.ElfFormatException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a prebuilt directory and checks everything that can be checked before booting, so a bad
 * input is one clear line instead of a failure deep in the boot.
 */
public final class PrebuiltLoader {
    public static final String USERBOOT_FILE = "userboot-libos.so";
    public static final String VDSO_FILE = "libzircon-libos.so";
    public static final String DEFAULT_ZBI = "bringup.zbi";

    private static final Logger LOG = LoggerFactory.getLogger(PrebuiltLoader.class);

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
        VdsoLayout vdsoLayout = vdsoLayout(vdso);

        Path zbiPath = dir.resolve(zbiName);
        ZbiImage zbi = readZbi(zbiPath);
        Optional<Bootfs> bootfs = bootfs(zbi);

        List<String> fragments = new ArrayList<>(zbi.cmdlineFragments());
        fragments.addAll(words);
        KernelCommandLine cmdline = KernelCommandLine.of(fragments);
        if (!cmdline.fits()) {
            throw new LaunchException(ExitStatus.USAGE, "kernel command line too long: " + cmdline.encodedSize()
                    + " bytes, the limit is " + KernelCommandLine.MAX_SIZE);
        }
        UserbootOptions options = UserbootOptions.from(cmdline);
        if (bootfs.isPresent()) {
            checkProgram(zbi, bootfs.get(), options);
        } else {
            LOG.warn("{}: the BOOTFS is compressed; userboot will decompress it and look up {} itself",
                    zbi.source(), options.programPath());
        }
        return new BootConfig(dir, userboot, vdso, vdsoLayout, zbi, cmdline, options, trace, seed);
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

    private static VdsoLayout vdsoLayout(ElfFile vdso) throws LaunchException {
        try {
            return VdsoLayout.of(vdso);
        } catch (ElfFormatException e) {
            throw new LaunchException(ExitStatus.DATA_ERROR, "bad vDSO image: " + e.getMessage());
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

    /** The parsed BOOTFS; empty when it is compressed (real userboot decompresses it in the guest). */
    private static Optional<Bootfs> bootfs(ZbiImage zbi) throws LaunchException {
        if (zbi.bootfsItem().isPresent() && zbi.bootfsItem().get().isCompressed()) {
            return Optional.empty();
        }
        try {
            return Optional.of(zbi.bootfs());
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
