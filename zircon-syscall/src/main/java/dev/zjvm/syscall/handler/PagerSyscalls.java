package dev.zjvm.syscall.handler;

import dev.zjvm.object.ObjectType;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.ipc.Port;
import dev.zjvm.object.vm.Pager;
import dev.zjvm.object.vm.Vmo;

/** {@code zx_pager_*} handlers. */
public final class PagerSyscalls {
    private final VmCaller c;

    public PagerSyscalls(VmCaller caller) {
        this.c = caller;
    }

    /** zx_pager_create(options, out). */
    public int create(int options, long out) {
        Pager pager = Pager.create(c.kernel(), options);
        UserIo.outHandle(c, out, pager, ObjectType.PAGER.defaultRights(), null);
        return ZxStatus.OK;
    }

    /** zx_pager_create_vmo(pager, options, port, key, size, out). */
    public int createVmo(int pagerHandle, int options, int portHandle, long key, long size, long out) {
        Pager pager = c.handles().get(pagerHandle, Pager.class, Rights.NONE);
        Port port = c.handles().get(portHandle, Port.class, Rights.WRITE);
        Vmo vmo = pager.createVmo(options, port, key, size);
        UserIo.outHandle(c, out, vmo, ObjectType.VMO.defaultRights(), null);
        return ZxStatus.OK;
    }

    /** zx_pager_detach_vmo(pager, vmo). */
    public int detachVmo(int pagerHandle, int vmoHandle) {
        Pager pager = c.handles().get(pagerHandle, Pager.class, Rights.NONE);
        pager.detach(c.handles().get(vmoHandle, Vmo.class, Rights.NONE));
        return ZxStatus.OK;
    }

    /** zx_pager_supply_pages(pager, pager_vmo, offset, length, aux_vmo, aux_offset). */
    public int supplyPages(int pagerHandle, int vmoHandle, long offset, long length, int auxHandle, long auxOffset) {
        Pager pager = c.handles().get(pagerHandle, Pager.class, Rights.NONE);
        Vmo vmo = c.handles().get(vmoHandle, Vmo.class, Rights.NONE);
        Vmo aux = c.handles().get(auxHandle, Vmo.class, Rights.READ | Rights.WRITE);
        pager.supplyPages(vmo, offset, length, aux, auxOffset);
        return ZxStatus.OK;
    }

    /** zx_pager_op_range(pager, op, pager_vmo, offset, length, data). */
    public int opRange(int pagerHandle, int op, int vmoHandle, long offset, long length, long data) {
        Pager pager = c.handles().get(pagerHandle, Pager.class, Rights.NONE);
        Vmo vmo = c.handles().get(vmoHandle, Vmo.class, Rights.NONE);
        pager.opRange(op, vmo, offset, length, data);
        return ZxStatus.OK;
    }
}
