package dev.zjvm.syscall.handler;

import dev.zjvm.object.ObjectType;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.ipc.Port;
import dev.zjvm.object.vm.Pager;
import dev.zjvm.object.vm.Vmo;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;

/** {@code zx_pager_*}. */
public final class PagerSyscalls implements SyscallFamily {
    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("pager_create", (c, options, out, a2, a3, a4, a5, a6, a7) -> create(c, (int) options, out));
        r.register("pager_create_vmo", (c, pager, options, port, key, size, out, a6, a7) ->
                createVmo(c, (int) pager, (int) options, (int) port, key, size, out));
        r.register("pager_detach_vmo", (c, pager, vmo, a2, a3, a4, a5, a6, a7) -> detachVmo(c, (int) pager, (int) vmo));
        r.register("pager_supply_pages", (c, pager, vmo, off, len, aux, auxOff, a6, a7) ->
                supplyPages(c, (int) pager, (int) vmo, off, len, (int) aux, auxOff));
        r.register("pager_op_range", (c, pager, op, vmo, off, len, data, a6, a7) ->
                opRange(c, (int) pager, (int) op, (int) vmo, off, len, data));
    }

    static long create(SyscallContext c, int options, long out) {
        Pager pager = Pager.create(c.kernel(), options);
        c.installHandle(out, Handle.create(pager, ObjectType.PAGER.defaultRights()));
        return ZxStatus.OK;
    }

    static long createVmo(SyscallContext c, int pagerHandle, int options, int portHandle, long key, long size, long out) {
        Pager pager = c.get(pagerHandle, Pager.class, Rights.NONE);
        Port port = c.get(portHandle, Port.class, Rights.WRITE);
        Vmo vmo = pager.createVmo(options, port, key, size);
        c.installHandle(out, Handle.create(vmo, ObjectType.VMO.defaultRights()));
        return ZxStatus.OK;
    }

    static long detachVmo(SyscallContext c, int pagerHandle, int vmoHandle) {
        Pager pager = c.get(pagerHandle, Pager.class, Rights.NONE);
        pager.detach(c.get(vmoHandle, Vmo.class, Rights.NONE));
        return ZxStatus.OK;
    }

    static long supplyPages(SyscallContext c, int pagerHandle, int vmoHandle, long offset, long length, int auxHandle, long auxOffset) {
        Pager pager = c.get(pagerHandle, Pager.class, Rights.NONE);
        Vmo vmo = c.get(vmoHandle, Vmo.class, Rights.NONE);
        Vmo aux = c.get(auxHandle, Vmo.class, Rights.READ | Rights.WRITE);
        pager.supplyPages(vmo, offset, length, aux, auxOffset);
        return ZxStatus.OK;
    }

    static long opRange(SyscallContext c, int pagerHandle, int op, int vmoHandle, long offset, long length, long data) {
        Pager pager = c.get(pagerHandle, Pager.class, Rights.NONE);
        Vmo vmo = c.get(vmoHandle, Vmo.class, Rights.NONE);
        pager.opRange(op, vmo, offset, length, data);
        return ZxStatus.OK;
    }
}
