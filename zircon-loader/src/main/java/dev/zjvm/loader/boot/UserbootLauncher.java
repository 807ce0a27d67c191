package dev.zjvm.loader.boot;

import dev.zjvm.loader.elf.ElfFile;
import dev.zjvm.loader.elf.ElfFormatException;
import dev.zjvm.loader.elf.LoadPlan;
import dev.zjvm.loader.elf.LoadSegment;
import dev.zjvm.object.Kernel;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.dev.Resource;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.ipc.Channel;
import dev.zjvm.object.ipc.MessagePacket;
import dev.zjvm.object.task.Job;
import dev.zjvm.object.task.Process;
import dev.zjvm.object.task.Thread;
import dev.zjvm.object.vm.VmOptions;
import dev.zjvm.object.vm.Vmar;
import dev.zjvm.object.vm.Vmo;
import dev.zjvm.object.vm.VmoOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts userboot the way the Zircon kernel does (formats.md §D.1): process "userboot" in the root
 * job; one VMAR holding the userboot image and, immediately after it, the vDSO (real userboot calls
 * the vDSO at fixed offsets past its own end); a 256 KiB stack; the bootstrap channel carrying the
 * normalized command line and exactly 15 handles; the first thread started with arg1 = the
 * channel handle and arg2 = the vDSO base.
 */
public final class UserbootLauncher {
    static final long STACK_SIZE = 256 * 1024;

    /** What was started; the loader watches it. */
    public record Started(Process process, Thread thread, long userbootBase, long vdsoBase, long entry, long stackPointer) {}

    private UserbootLauncher() {}

    /**
     * @param cmdline normalized kernel command line, NUL-separated words (the message's bytes)
     * @throws ElfFormatException if an image cannot be loaded as planned
     */
    public static Started start(Kernel kernel, Job rootJob, ElfFile userboot, VdsoImage vdso, byte[] zbi, byte[] cmdline)
            throws ElfFormatException {
        LoadPlan ubPlan = userboot.loadPlan();
        LoadPlan vdsoPlan = vdso.elf().loadPlan();

        Process process = rootJob.createProcess("userboot");
        Vmar root = (Vmar) process.addressSpace().rootVmar();

        Vmo ubVmo = imageVmo(kernel, "userboot", userboot.toByteArray());
        Vmo vdsoVmo = imageVmo(kernel, BootstrapHandles.VDSO_NAMES[0], vdso.bytes());
        markVdsoCode(vdsoVmo, vdsoPlan);

        Vmar images = root.allocate(VmOptions.CAN_MAP_RWX | VmOptions.CAN_MAP_SPECIFIC, 0, ubPlan.span() + vdsoPlan.span());
        long ubBase = ImageMapper.map(images, 0, ubVmo, ubPlan);
        long vdsoBase = ImageMapper.map(images, ubPlan.span(), vdsoVmo, vdsoPlan);

        Vmo stack = Vmo.create(kernel, STACK_SIZE, 0);
        stack.setName("userboot-initial-stack");
        long stackBase = root.map(VmOptions.PERM_READ | VmOptions.PERM_WRITE, 0, stack, 0, STACK_SIZE).base();
        // Zircon's convention: top rounded down to 16, minus 8, as right after a call (formats.md §A.6).
        long sp = ((stackBase + STACK_SIZE) & ~15L) - 8;

        Channel.Pair channel = Channel.create(kernel);
        Handle kernelEnd = Handle.createDefault(channel.end0());
        Handle userEnd = Handle.createDefault(channel.end1());
        channel.end0().write(new MessagePacket(cmdline, bootstrapHandles(kernel, process, root, rootJob, zbi, vdsoVmo)));
        kernelEnd.destroy(); // the message stays queued for userboot; PEER_CLOSED tells it nothing more comes

        Thread thread = process.createThread("userboot");
        long entry = ubBase + ubPlan.offsetOf(ubPlan.entry());
        process.start(thread, entry, sp, userEnd, vdsoBase);
        return new Started(process, thread, ubBase, vdsoBase, entry, sp);
    }

    /**
     * Registers the vDSO's code segment so the VM enforces Zircon's rules for it (one executable
     * mapping per process, exactly that segment, never unmapped) and reports its base address.
     */
    private static void markVdsoCode(Vmo vdso, LoadPlan plan) {
        List<LoadSegment> code = plan.segments().stream().filter(s -> s.perms().execute()).toList();
        if (code.size() == 1) {
            LoadSegment c = code.get(0);
            vdso.markAsVdso(c.fileOffset(), (c.memsz() + Vmo.PAGE_SIZE - 1) & -Vmo.PAGE_SIZE);
        }
    }

    private static Vmo imageVmo(Kernel kernel, String name, byte[] bytes) {
        Vmo vmo = Vmo.create(kernel, bytes.length, 0);
        vmo.write(0, bytes);
        vmo.setName(name);
        return vmo;
    }

    private static List<Handle> bootstrapHandles(Kernel kernel, Process process, Vmar root, Job rootJob, byte[] zbi, Vmo vdso) {
        List<Handle> h = new ArrayList<>(BootstrapHandles.COUNT);
        h.add(Handle.createDefault(process));
        h.add(Handle.create(root, BootstrapHandles.VMAR_RIGHTS));
        h.add(Handle.createDefault(rootJob));
        h.add(Handle.createDefault(Resource.root(kernel)));
        Vmo zbiVmo = imageVmo(kernel, "zbi", zbi);
        h.add(Handle.createDefault(zbiVmo));
        h.add(Handle.create(vdso, BootstrapHandles.VDSO_RIGHTS));
        for (int i = 1; i < BootstrapHandles.VDSO_COUNT; i++) {
            // The test variants of the real kernel block some test syscalls; ours are plain clones.
            Vmo variant = vdso.createChild(VmoOptions.CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, vdso.size(), false);
            variant.setName(BootstrapHandles.VDSO_NAMES[i]);
            h.add(Handle.create(variant, BootstrapHandles.VDSO_RIGHTS));
        }
        h.add(Handle.create(namedVmo(kernel, "crashlog"), BootstrapHandles.READ_ONLY_VMO_RIGHTS));
        h.add(Handle.create(namedVmo(kernel, "counters/desc"), BootstrapHandles.READ_ONLY_VMO_RIGHTS));
        h.add(Handle.create(namedVmo(kernel, "counters/arena"), BootstrapHandles.READ_ONLY_VMO_RIGHTS));
        for (String name : BootstrapHandles.INSTRUMENTATION_NAMES) h.add(Handle.createDefault(namedVmo(kernel, name)));
        if (h.size() != BootstrapHandles.COUNT) throw new IllegalStateException("bootstrap handle count " + h.size());
        assert h.get(BootstrapHandles.ROOT_JOB).object().type() == ObjectType.JOB;
        return h;
    }

    private static Vmo namedVmo(Kernel kernel, String name) {
        Vmo vmo = Vmo.create(kernel, 0, 0);
        vmo.setName(name);
        return vmo;
    }
}
