package dev.zjvm.syscall.handler;

import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.task.Process;
import dev.zjvm.object.vm.MapsEntry;
import dev.zjvm.object.vm.MemoryStats;
import dev.zjvm.object.vm.VmAddressSpace;
import dev.zjvm.object.vm.Vmar;
import dev.zjvm.object.vm.Vmo;
import dev.zjvm.object.vm.VmoInfo;
import dev.zjvm.object.vm.Stream;
import dev.zjvm.object.dev.ResourceKind;
import dev.zjvm.syscall.dispatch.SyscallContext;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** The virtual-memory topics of {@code zx_object_get_info} (constants.md §12), for the info router. */
final class VmInfo {
    static final int VMAR = 7;
    static final int TASK_STATS = 12;
    static final int PROCESS_MAPS = 13;
    static final int PROCESS_VMOS = 14;
    static final int VMO = 23;
    static final int KMEM_STATS = 17;
    static final int STREAM = 26;

    private VmInfo() {}

    /** The reply for a VM topic, or null if {@code topic} is not one. */
    static InfoReply reply(SyscallContext c, long handle, int topic) {
        return switch (topic) {
            case VMAR -> {
                Vmar v = c.get(handle, Vmar.class, Rights.INSPECT);
                if (v.isDestroyed()) throw new ZxException(ZxStatus.ERR_BAD_STATE);
                yield InfoReply.single(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                        .putLong(v.base()).putLong(v.size()).array());
            }
            case VMO -> {
                var h = c.handles().handle((int) handle, Vmo.class, Rights.NONE);
                yield InfoReply.single(((Vmo) h.object()).info(true, h.rights()).toBytes());
            }
            case PROCESS_VMOS -> {
                List<VmoInfo> vmos = VmAddressSpace.processVmos(c.get(handle, Process.class, Rights.INSPECT));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (VmoInfo i : vmos) out.writeBytes(i.toBytes());
                yield InfoReply.array(out.toByteArray(), VmoInfo.SIZE);
            }
            case PROCESS_MAPS -> {
                VmAddressSpace as = space(c.get(handle, Process.class, Rights.INSPECT));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (MapsEntry e : as.maps()) out.writeBytes(e.toBytes());
                yield InfoReply.array(out.toByteArray(), MapsEntry.SIZE);
            }
            case TASK_STATS -> {
                VmAddressSpace as = space(c.get(handle, Process.class, Rights.INSPECT));
                MemoryStats s = as.memoryStats();
                yield InfoReply.single(s.toBytes());
            }
            case STREAM -> InfoReply.single(c.get(handle, Stream.class, Rights.INSPECT).infoBytes());
            case KMEM_STATS -> {
                ResourceChecks.require(c, handle, ResourceKind.ROOT);
                yield InfoReply.single(kmemStats(c));
            }
            default -> null;
        };
    }

    /**
     * {@code zx_info_kmem_stats_t} (72 bytes): the host's RAM as total/free, the JVM heap as the
     * kernel heap, and the pages committed to VMOs; wired, MMU-overhead, IPC and other are 0
     * because the host owns those.
     */
    private static byte[] kmemStats(SyscallContext c) {
        dev.zjvm.hal.host.HostRam ram = dev.zjvm.hal.host.HostRam.read();
        long total = ram.totalBytes();
        long free = ram.freeBytes();
        Runtime rt = Runtime.getRuntime();
        return ByteBuffer.allocate(72).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(total).putLong(free).putLong(0).putLong(rt.totalMemory()).putLong(rt.freeMemory())
                .putLong(c.kernel().memory().committedBytes()).putLong(0).putLong(0).putLong(0).array();
    }

    /** The process's address space; BAD_STATE once it is gone (a dead process has none). */
    private static VmAddressSpace space(Process p) {
        VmAddressSpace as = VmAddressSpace.of(p);
        if (as == null || p.isDead()) throw new ZxException(ZxStatus.ERR_BAD_STATE);
        return as;
    }
}
