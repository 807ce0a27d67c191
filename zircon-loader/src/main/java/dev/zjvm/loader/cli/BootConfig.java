package dev.zjvm.loader.cli;

import dev.zjvm.loader.elf.ElfFile;
import dev.zjvm.loader.zbi.KernelCommandLine;
import dev.zjvm.loader.zbi.UserbootOptions;
import dev.zjvm.loader.zbi.ZbiImage;
import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Everything a {@link Booter} needs, already validated: both ELF images parse and have a PIE load
 * plan, the vDSO has the libos slots and constants block, the ZBI has a BOOTFS that contains the
 * program userboot will start (unchecked when the BOOTFS is compressed: userboot decompresses it),
 * and the command line fits the kernel's limit.
 *
 * @param prebuiltDir     the directory the images came from
 * @param userboot        userboot image (mapped first in its VMAR)
 * @param vdso            vDSO image (mapped immediately after userboot)
 * @param vdsoLayout      where to patch the vDSO (constants block, syscall-entry slots)
 * @param zbi             the data ZBI handed to userboot (its bytes: {@code zbi.toByteArray()})
 * @param cmdline         normalized command line: the ZBI's CMDLINE items, then the user's words
 * @param userbootOptions userboot's options parsed from {@code cmdline}
 * @param trace           log every syscall with decoded arguments and status to {@link #TRACE_LOGGER}
 * @param aslrSeed        seed for address-space randomization; empty = random
 */
public record BootConfig(Path prebuiltDir, ElfFile userboot, ElfFile vdso, VdsoLayout vdsoLayout, ZbiImage zbi, KernelCommandLine cmdline,
                         UserbootOptions userbootOptions, boolean trace, OptionalLong aslrSeed) {
    /** SLF4J logger name of the syscall trace. */
    public static final String TRACE_LOGGER = "dev.zjvm.trace";

    public BootConfig {
        Objects.requireNonNull(prebuiltDir);
        Objects.requireNonNull(userboot);
        Objects.requireNonNull(vdso);
        Objects.requireNonNull(vdsoLayout);
        Objects.requireNonNull(zbi);
        Objects.requireNonNull(cmdline);
        Objects.requireNonNull(userbootOptions);
        Objects.requireNonNull(aslrSeed);
    }
}
