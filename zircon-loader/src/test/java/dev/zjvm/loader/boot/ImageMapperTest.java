package dev.zjvm.loader.boot;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.zjvm.loader.elf.ElfFile;
import dev.zjvm.loader.elf.LoadPlan;
import dev.zjvm.loader.elf.LoadSegment;
import dev.zjvm.object.Kernel;
import dev.zjvm.object.vm.VmAddressSpace;
import dev.zjvm.object.vm.VmMapping;
import dev.zjvm.object.vm.VmOptions;
import dev.zjvm.object.vm.Vmar;
import dev.zjvm.object.vm.Vmo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ImageMapperTest {
    /** A PIE with read-only data, code, initialised writable data and bss, built with gcc. */
    private static ElfFile buildImage() throws Exception {
        Path dir = Files.createTempDirectory("img");
        Path c = dir.resolve("img.c");
        Files.writeString(c, """
                const char ro[] = "read-only data";
                char rw[64] = "writable data";
                char bss[3 * 4096 + 17];
                int _start(void) { return ro[0] + rw[0] + bss[0]; }
                """);
        Path out = dir.resolve("img");
        Process p = new ProcessBuilder("gcc", "-O1", "-static-pie", "-nostdlib", "-fPIE", "-o", out.toString(), c.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assumeTrue(p.waitFor() == 0, "gcc could not build the test image: " + log);
        return ElfFile.read(out);
    }

    @Test
    void segmentsLandWithTheirContentsAndPermissions() throws Exception {
        ElfFile elf = buildImage();
        LoadPlan plan = elf.loadPlan();
        Kernel kernel = Kernel.forTesting(3);
        VmAddressSpace aspace = VmAddressSpace.create(kernel, VmAddressSpace.DEFAULT_SIZE);
        Vmar vmar = aspace.root().allocate(VmOptions.CAN_MAP_RWX | VmOptions.CAN_MAP_SPECIFIC, 0, plan.span());
        Vmo image = Vmo.create(kernel, elf.size(), 0);
        image.write(0, elf.toByteArray());

        long base = ImageMapper.map(vmar, 0, image, plan);
        assertEquals(vmar.base(), base);

        for (LoadSegment seg : plan.segments()) {
            long at = base + seg.vaddr() - plan.minVaddr();
            VmMapping m = vmar.mappings().stream().filter(x -> x.base() <= at && at < x.base() + x.size()).findFirst().orElseThrow();
            int want = (seg.finalPerms().read() ? VmOptions.PERM_READ : 0) | (seg.finalPerms().write() ? VmOptions.PERM_WRITE : 0)
                    | (seg.finalPerms().execute() ? VmOptions.PERM_EXECUTE : 0);
            assertEquals(want, m.perms(), "perms of " + seg);
            int n = (int) Math.min(seg.filesz(), 4096);
            byte[] got = new byte[n];
            aspace.read(at, got, 0, n);
            byte[] file = Arrays.copyOfRange(elf.toByteArray(), (int) seg.fileOffset(), (int) seg.fileOffset() + n);
            assertArrayEquals(file, got, "contents of " + seg);
            if (seg.memsz() > seg.filesz()) {
                byte[] zeros = new byte[(int) (seg.memsz() - seg.filesz())];
                byte[] bss = new byte[zeros.length];
                aspace.read(at + seg.filesz(), bss, 0, bss.length);
                assertArrayEquals(zeros, bss, "bss of " + seg);
            }
        }
        // Writes through the mapping of a writable segment never reach the image VMO.
        LoadSegment rw = plan.segments().stream().filter(s -> s.finalPerms().write() && s.filesz() > 0).findFirst().orElseThrow();
        long rwAt = base + rw.vaddr() - plan.minVaddr();
        aspace.write(rwAt, new byte[] {42}, 0, 1);
        assertEquals(elf.toByteArray()[(int) rw.fileOffset()], image.read(rw.fileOffset(), 1)[0]);
    }
}
