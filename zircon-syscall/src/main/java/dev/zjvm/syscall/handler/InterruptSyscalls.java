package dev.zjvm.syscall.handler;

import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.dev.Interrupt;
import dev.zjvm.object.dev.ResourceKind;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.hypervisor.Vcpu;
import dev.zjvm.object.ipc.Port;
import dev.zjvm.syscall.dispatch.Support;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;

/** interrupt_create/bind/wait/destroy/ack/trigger/bind_vcpu (virtual interrupts). */
public final class InterruptSyscalls implements SyscallFamily {
    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("interrupt_create",
                Support.partial("only ZX_INTERRUPT_VIRTUAL; physical IRQs answer NOT_SUPPORTED (no interrupt controller)"),
                (c, src, num, options, out, a4, a5, a6, a7) -> create(c, src, num, options, out));
        r.register("interrupt_bind", (c, h, port, key, options, a4, a5, a6, a7) -> bind(c, h, port, key, options));
        r.register("interrupt_wait", (c, h, out, a2, a3, a4, a5, a6, a7) -> await(c, h, out));
        r.register("interrupt_destroy", (c, h, a1, a2, a3, a4, a5, a6, a7) -> destroy(c, h));
        r.register("interrupt_ack", (c, h, a1, a2, a3, a4, a5, a6, a7) -> ack(c, h));
        r.register("interrupt_trigger", (c, h, options, ts, a3, a4, a5, a6, a7) -> trigger(c, h, options, ts));
        r.register("interrupt_bind_vcpu", Support.IMPLEMENTED,
                (c, h, vcpu, options, a3, a4, a5, a6, a7) -> bindVcpu(c, h, vcpu, options));
    }

    static long create(SyscallContext c, long src, long srcNum, long options, long out) {
        int opts = (int) options;
        if ((opts & Interrupt.OPT_VIRTUAL) != 0) {
            if (opts != Interrupt.OPT_VIRTUAL) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
            c.installHandle(out, Handle.createDefault(Interrupt.createVirtual(c.kernel(), Integer.toUnsignedLong((int) srcNum))));
            return ZxStatus.OK;
        }
        ResourceChecks.require(c, src, ResourceKind.IRQ, Integer.toUnsignedLong((int) srcNum), 1);
        if ((opts & ~(Interrupt.OPT_REMAP_IRQ | Interrupt.OPT_MODE_MASK)) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED, "no physical interrupts in a library OS");
    }

    static long bind(SyscallContext c, long handle, long portHandle, long key, long options) {
        int op = (int) options;
        if (op != Interrupt.BIND && op != Interrupt.UNBIND) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        Interrupt irq = c.get(handle, Interrupt.class, Rights.READ);
        Port port = c.get(portHandle, Port.class, Rights.WRITE);
        if (!port.canBindToInterrupt()) throw new ZxException(ZxStatus.ERR_WRONG_TYPE, "port lacks BIND_TO_INTERRUPT");
        if (op == Interrupt.BIND) irq.bind(port, key);
        else irq.unbind(port);
        return ZxStatus.OK;
    }

    static long await(SyscallContext c, long handle, long out) {
        long ts = c.get(handle, Interrupt.class, Rights.WAIT).await(c.blocker());
        if (out != 0) c.memory().writeU64(out, ts); // the 2020 kernel treats a NULL out as "not wanted"
        return ZxStatus.OK;
    }

    static long destroy(SyscallContext c, long handle) {
        c.get(handle, Interrupt.class, Rights.NONE).destroy();
        return ZxStatus.OK;
    }

    static long ack(SyscallContext c, long handle) {
        c.get(handle, Interrupt.class, Rights.WRITE).ack();
        return ZxStatus.OK;
    }

    static long trigger(SyscallContext c, long handle, long options, long timestamp) {
        if ((int) options != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        c.get(handle, Interrupt.class, Rights.SIGNAL).trigger(timestamp);
        return ZxStatus.OK;
    }

    /** A virtual interrupt bound to VCPUs raises its vector (the source number it was created with) on each. */
    static long bindVcpu(SyscallContext c, long handle, long vcpu, long options) {
        Interrupt irq = c.get(handle, Interrupt.class, Rights.READ);
        Vcpu target = c.get(vcpu, Vcpu.class, Rights.WRITE);
        if ((int) options != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        irq.bindVcpu(target);
        return ZxStatus.OK;
    }
}
