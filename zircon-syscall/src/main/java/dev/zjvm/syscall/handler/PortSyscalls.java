package dev.zjvm.syscall.handler;

import dev.zjvm.object.task.JobPolicy;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.ipc.Port;
import dev.zjvm.object.ipc.PortPacket;
import dev.zjvm.syscall.dispatch.Support;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;

/** port_create/queue/wait/cancel and object_wait_async (syscalls.md "Ports"). */
public final class PortSyscalls implements SyscallFamily {
    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("port_create", (c, options, out, a2, a3, a4, a5, a6, a7) -> create(c, options, out));
        r.register("port_queue", (c, h, packet, a2, a3, a4, a5, a6, a7) -> queue(c, h, packet));
        r.register("port_wait", (c, h, deadline, packet, a3, a4, a5, a6, a7) -> await(c, h, deadline, packet));
        r.register("port_cancel", (c, h, source, key, a3, a4, a5, a6, a7) -> cancel(c, h, source, key));
        r.register("object_wait_async", (c, h, port, key, signals, options, a5, a6, a7) ->
                waitAsync(c, h, port, key, signals, options));
    }

    static long create(SyscallContext c, long options, long out) {
        c.process().enforcePolicy(JobPolicy.NEW_PORT, c.thread());
        Port p = Port.create(c.kernel(), (int) options);
        c.installHandle(out, Handle.createDefault(p));
        return ZxStatus.OK;
    }

    static long queue(SyscallContext c, long handle, long packetPtr) {
        Port p = c.get(handle, Port.class, Rights.WRITE);
        byte[] raw;
        try {
            raw = c.memory().readBytes(packetPtr, PortPacket.SIZE);
        } catch (ZxException e) {
            throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        }
        p.queueUser(PortPacket.decode(raw));
        return ZxStatus.OK;
    }

    static long await(SyscallContext c, long handle, long deadline, long packetPtr) {
        Port p = c.get(handle, Port.class, Rights.READ);
        PortPacket packet = p.await(deadline, c.blocker());
        try {
            c.memory().writeBytes(packetPtr, packet.encode());
        } catch (ZxException e) {
            throw new ZxException(ZxStatus.ERR_INVALID_ARGS); // the packet is lost, as in Zircon
        }
        return ZxStatus.OK;
    }

    static long cancel(SyscallContext c, long handle, long source, long key) {
        Port p = c.get(handle, Port.class, Rights.WRITE);
        Handle src = c.handles().handle((int) source, KernelObject.class, Rights.WAIT);
        if (!src.object().type().waitable()) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
        p.cancel(src, key);
        return ZxStatus.OK;
    }

    static long waitAsync(SyscallContext c, long handle, long port, long key, long signals, long options) {
        // 2020-03 order: the port first, then the waited handle, then options and waitability.
        Port p = c.get(port, Port.class, Rights.WRITE);
        Handle h = c.handles().handle((int) handle, KernelObject.class, Rights.WAIT);
        p.waitAsync(h, key, (int) signals, (int) options);
        return ZxStatus.OK;
    }
}
