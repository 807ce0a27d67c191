package dev.zjvm.syscall.handler;

import dev.zjvm.object.dev.ResourceKind;
import dev.zjvm.object.hypervisor.GuestStats;
import dev.zjvm.object.hypervisor.Hypervisor;
import dev.zjvm.syscall.dispatch.SyscallContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** ZX_INFO_GUEST_STATS on the root resource: one x86 {@code zx_info_guest_stats_t} (120 bytes) per CPU. */
final class GuestInfo {
    static final int INFO_GUEST_STATS = 29;
    static final int RECORD_SIZE = 120;
    private static final int CPU_ONLINE = 1;

    private GuestInfo() {}

    /** The reply for {@code topic}, or null if the topic is not this source's. */
    static InfoReply reply(SyscallContext c, long handle, int topic) {
        if (topic != INFO_GUEST_STATS) return null;
        ResourceChecks.require(c, handle, ResourceKind.ROOT);
        GuestStats stats = Hypervisor.of(c.kernel()).stats();
        ByteBuffer b = ByteBuffer.allocate(RECORD_SIZE * stats.cpus()).order(ByteOrder.LITTLE_ENDIAN);
        for (int cpu = 0; cpu < stats.cpus(); cpu++) {
            b.putInt(cpu).putInt(CPU_ONLINE);
            for (long v : stats.of(cpu)) b.putLong(v);
        }
        return InfoReply.array(b.array(), RECORD_SIZE);
    }
}
