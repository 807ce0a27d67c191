package dev.zjvm.loader.boot;

import dev.zjvm.loader.elf.LoadPlan;
import dev.zjvm.loader.elf.LoadSegment;
import dev.zjvm.loader.elf.MemoryPerms;
import dev.zjvm.object.vm.Vmar;
import dev.zjvm.object.vm.VmOptions;
import dev.zjvm.object.vm.Vmo;
import dev.zjvm.object.vm.VmoOptions;

/**
 * Maps an ELF image into a VMAR the way the Zircon kernel maps userboot and the vDSO: read-only and
 * executable pieces straight from the image VMO, writable pieces and partial last pages from a
 * private copy-on-write clone (so the image VMO stays pristine), and bss past the file from
 * zero-filled VMOs.
 */
final class ImageMapper {
    private static final long PAGE = Vmo.PAGE_SIZE;

    private ImageMapper() {}

    /**
     * Maps every piece of {@code plan} at {@code vmarOffset + (vaddr - minVaddr)} inside {@code vmar}.
     *
     * @param image a VMO holding the file bytes of the image
     * @return the run-time address of the image's lowest page
     */
    static long map(Vmar vmar, long vmarOffset, Vmo image, LoadPlan plan) {
        for (LoadSegment seg : plan.segments()) {
            long at = vmarOffset + (seg.vaddr() - plan.minVaddr());
            long fileBacked = Math.min(roundUp(seg.filesz()), roundUp(seg.memsz()));
            int perms = perms(seg.finalPerms());
            if (fileBacked > 0) {
                // A private clone when the guest may write, or when the last file page has a tail
                // that must read as zero (it is bss, not file contents).
                boolean tail = seg.filesz() < fileBacked;
                Vmo source = seg.perms().write() || tail
                        ? image.createChild(VmoOptions.CHILD_COPY_ON_WRITE, seg.fileOffset(), fileBacked, false)
                        : image;
                long srcOffset = source == image ? seg.fileOffset() : 0;
                if (tail) source.zero(seg.filesz(), fileBacked - seg.filesz());
                vmar.map(perms | VmOptions.SPECIFIC, at, source, srcOffset, fileBacked);
            }
            long bss = roundUp(seg.memsz()) - fileBacked;
            if (bss > 0) {
                Vmo zeros = Vmo.create(vmar.addressSpace().kernel(), bss, 0);
                zeros.setName("bss");
                vmar.map(perms | VmOptions.SPECIFIC, at + fileBacked, zeros, 0, bss);
            }
        }
        return vmar.base() + vmarOffset;
    }

    private static int perms(MemoryPerms p) {
        return (p.read() ? VmOptions.PERM_READ : 0) | (p.write() ? VmOptions.PERM_WRITE : 0)
                | (p.execute() ? VmOptions.PERM_EXECUTE : 0);
    }

    private static long roundUp(long n) {
        return (n + PAGE - 1) & -PAGE;
    }
}
