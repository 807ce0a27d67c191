package dev.zjvm.syscall.handler;

import dev.zjvm.object.KernelObject;
import dev.zjvm.object.Rights;
import dev.zjvm.object.dev.Bti;
import dev.zjvm.object.dev.Resource;
import dev.zjvm.object.dev.ResourceKind;
import dev.zjvm.syscall.dispatch.SyscallContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The device topics of {@code zx_object_get_info} (constants.md §12): ZX_INFO_RESOURCE and
 * ZX_INFO_BTI. {@code ObjectInfoSyscalls} routes to it like to {@code TaskInfo}.
 */
final class DevInfo {
    static final int RESOURCE = 18;
    static final int BTI = 20;
    static final int RESOURCE_INFO_SIZE = 56;
    static final int BTI_INFO_SIZE = 32;

    private DevInfo() {}

    /** The reply for a device topic, or null if {@code topic} is not one. */
    static InfoReply reply(SyscallContext c, long value, int topic) {
        return switch (topic) {
            case RESOURCE -> InfoReply.single(resource(c.get(value, Resource.class, Rights.INSPECT)));
            case BTI -> InfoReply.single(bti(c.get(value, Bti.class, Rights.INSPECT)));
            default -> null;
        };
    }

    /** {@code zx_info_resource_t}: kind, flags, base, size, name[32]. */
    static byte[] resource(Resource r) {
        ByteBuffer b = ByteBuffer.allocate(RESOURCE_INFO_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, r.kind().value()).putInt(4, r.exclusive() ? ResourceKind.FLAG_EXCLUSIVE : 0)
                .putLong(8, r.base()).putLong(16, r.size());
        byte[] name = r.nameBytes();
        b.put(24, name, 0, Math.min(name.length, KernelObject.MAX_NAME_LEN - 1));
        return b.array();
    }

    /** {@code zx_info_bti_t}: minimum_contiguity, aspace_size, pmo_count, quarantine_count. */
    static byte[] bti(Bti bti) {
        ByteBuffer b = ByteBuffer.allocate(BTI_INFO_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, Bti.MINIMUM_CONTIGUITY).putLong(8, Bti.ASPACE_SIZE).putLong(16, bti.pinnedCount())
                .putLong(24, bti.quarantineCount());
        return b.array();
    }
}
