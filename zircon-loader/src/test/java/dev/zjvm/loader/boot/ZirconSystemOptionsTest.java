package dev.zjvm.loader.boot;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.loader.zbi.KernelCommandLine;
import dev.zjvm.object.boot.KernelOptions;
import dev.zjvm.object.boot.KernelOptions.SerialSyscalls;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZirconSystemOptionsTest {
    @Test
    void serialOutputIsOnUnlessTheCommandLineSaysOtherwise() {
        assertEquals(new KernelOptions(false, SerialSyscalls.OUTPUT_ONLY), ZirconSystem.options(KernelCommandLine.of(List.of())));
        assertEquals(new KernelOptions(false, SerialSyscalls.DISABLED),
                ZirconSystem.options(KernelCommandLine.of(List.of("kernel.enable-serial-syscalls=false"))));
    }

    @Test
    void userWordsOverrideTheZbisCmdlineItems() {
        // The ZBI's CMDLINE items come first, the user's words after: the last occurrence wins.
        KernelCommandLine cmdline = KernelCommandLine.of(List.of("kernel.enable-serial-syscalls=true kernel.enable-debugging-syscalls",
                "userboot=bin/x kernel.enable-debugging-syscalls=off"));
        assertEquals(new KernelOptions(false, SerialSyscalls.ENABLED), ZirconSystem.options(cmdline));
        assertTrue(ZirconSystem.options(KernelCommandLine.of(List.of("kernel.enable-debugging-syscalls"))).debuggingSyscalls(),
                "a bare word is key= and counts as true");
    }
}
