package dev.zjvm.syscall.handler;

import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.dev.ResourceKind;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.hypervisor.Guest;
import dev.zjvm.object.hypervisor.Vcpu;
import dev.zjvm.object.ipc.Port;
import dev.zjvm.object.ipc.PortPacket;
import dev.zjvm.object.vm.Vmar;
import dev.zjvm.syscall.dispatch.Support;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * guest_create, guest_set_trap, vcpu_*: guests run on Linux KVM (docs/hypervisor.md). Without a
 * usable {@code /dev/kvm} guest_create answers NOT_SUPPORTED at run time, so no guest or VCPU exists.
 */
public final class HypervisorSyscalls implements SyscallFamily {
    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("guest_create", Support.IMPLEMENTED,
                (c, res, options, guest, vmar, a4, a5, a6, a7) -> guestCreate(c, res, options, guest, vmar));
        r.register("guest_set_trap", Support.IMPLEMENTED,
                (c, g, kind, addr, size, port, key, a6, a7) -> setTrap(c, g, kind, addr, size, port, key));
        r.register("vcpu_create", Support.IMPLEMENTED,
                (c, g, options, entry, out, a4, a5, a6, a7) -> vcpuCreate(c, g, options, entry, out));
        r.register("vcpu_resume", Support.IMPLEMENTED, (c, v, out, a2, a3, a4, a5, a6, a7) -> resume(c, v, out));
        r.register("vcpu_interrupt", Support.IMPLEMENTED, (c, v, vector, a2, a3, a4, a5, a6, a7) -> {
            c.get(v, Vcpu.class, Rights.SIGNAL).interrupt(Integer.toUnsignedLong((int) vector));
            return ZxStatus.OK;
        });
        r.register("vcpu_read_state", Support.IMPLEMENTED,
                (c, v, kind, buf, size, a4, a5, a6, a7) -> readState(c, v, kind, buf, size));
        r.register("vcpu_write_state", Support.IMPLEMENTED,
                (c, v, kind, buf, size, a4, a5, a6, a7) -> writeState(c, v, kind, buf, size));
    }

    static long guestCreate(SyscallContext c, long resource, long options, long guestOut, long vmarOut) {
        if ((int) options != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        ResourceChecks.require(c, resource, ResourceKind.HYPERVISOR);
        Guest guest = Guest.create(c.kernel());
        Vmar vmar = guest.physicalVmar();
        int g = c.handles().add(Handle.createDefault(guest));
        int v;
        try {
            v = c.handles().add(Handle.create(vmar, vmar.handleRights()));
        } catch (ZxException e) {
            PeerHandles.closeQuietly(c, g);
            throw e;
        }
        try {
            c.memory().writeU32(guestOut, g);
            c.memory().writeU32(vmarOut, v);
        } catch (ZxException e) {
            PeerHandles.closeQuietly(c, v);
            PeerHandles.closeQuietly(c, g);
            throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        }
        return ZxStatus.OK;
    }

    static long setTrap(SyscallContext c, long handle, long kind, long addr, long size, long portHandle, long key) {
        Guest guest = c.get(handle, Guest.class, Rights.WRITE);
        Port port = (int) portHandle != 0 ? c.get(portHandle, Port.class, Rights.WRITE) : null;
        guest.setTrap((int) kind, addr, size, port, key);
        return ZxStatus.OK;
    }

    static long vcpuCreate(SyscallContext c, long guestHandle, long options, long entry, long out) {
        if ((int) options != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        Guest guest = c.get(guestHandle, Guest.class, Rights.MANAGE_PROCESS);
        if (c.thread() == null) throw new ZxException(ZxStatus.ERR_BAD_STATE, "no calling thread");
        Vcpu vcpu = guest.createVcpu(c.thread(), entry);
        c.installHandle(out, Handle.createDefault(vcpu)); // on a bad pointer the handle closes, ending the VCPU
        return ZxStatus.OK;
    }

    static long resume(SyscallContext c, long handle, long out) {
        Vcpu vcpu = c.get(handle, Vcpu.class, Rights.EXECUTE);
        PortPacket packet = vcpu.resume(c.thread(), c.blocker());
        c.memory().writeBytes(out, packet.encode());
        return ZxStatus.OK;
    }

    static long readState(SyscallContext c, long handle, long kind, long buf, long size) {
        Vcpu vcpu = c.get(handle, Vcpu.class, Rights.READ);
        if ((int) kind != Vcpu.STATE_KIND || size != Vcpu.STATE_SIZE) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        long[] state = vcpu.readState(c.thread());
        ByteBuffer b = ByteBuffer.allocate(Vcpu.STATE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : state) b.putLong(v);
        c.memory().writeBytes(buf, b.array());
        return ZxStatus.OK;
    }

    static long writeState(SyscallContext c, long handle, long kind, long buf, long size) {
        Vcpu vcpu = c.get(handle, Vcpu.class, Rights.WRITE);
        switch ((int) kind) {
            case Vcpu.STATE_KIND -> {
                if (size != Vcpu.STATE_SIZE) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
                ByteBuffer b = ByteBuffer.wrap(c.memory().readBytes(buf, size)).order(ByteOrder.LITTLE_ENDIAN);
                long[] state = new long[17];
                for (int i = 0; i < state.length; i++) state[i] = b.getLong();
                vcpu.writeState(c.thread(), state);
            }
            case Vcpu.IO_KIND -> {
                if (size != Vcpu.IO_SIZE) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
                ByteBuffer b = ByteBuffer.wrap(c.memory().readBytes(buf, size)).order(ByteOrder.LITTLE_ENDIAN);
                vcpu.writeIo(c.thread(), b.get(0) & 0xff, b.getInt(4));
            }
            default -> throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        }
        return ZxStatus.OK;
    }
}
