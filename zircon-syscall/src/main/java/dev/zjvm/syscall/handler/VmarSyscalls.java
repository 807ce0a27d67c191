package dev.zjvm.syscall.handler;

import static dev.zjvm.object.vm.VmOptions.*;

import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.vm.VmMapping;
import dev.zjvm.object.vm.Vmar;
import dev.zjvm.object.vm.Vmo;

/** {@code zx_vmar_*} handlers, following the 2020-03 kernel's order of checks. */
public final class VmarSyscalls {
    private final VmCaller c;

    public VmarSyscalls(VmCaller caller) {
        this.c = caller;
    }

    private static int rightsFor(int options, int read, int write, int exec) {
        int r = 0;
        if ((options & read) != 0) r |= Rights.READ;
        if ((options & write) != 0) r |= Rights.WRITE;
        if ((options & exec) != 0) r |= Rights.EXECUTE;
        return r;
    }

    /** zx_vmar_allocate(parent, options, offset, size, child_vmar, child_addr). */
    public int allocate(int parentHandle, int options, long offset, long size, long outHandle, long outAddr) {
        int needed = rightsFor(options, CAN_MAP_READ, CAN_MAP_WRITE, CAN_MAP_EXECUTE);
        Vmar parent = c.handles().get(parentHandle, Vmar.class, needed);
        Vmar child = parent.allocate(options, offset, size);
        int value = UserIo.outHandle(c, outHandle, child, child.handleRights(), child::destroy);
        try {
            UserIo.writeU64(c.addressSpace(), outAddr, child.base());
        } catch (ZxException e) {
            c.handles().remove(value).destroy();
            child.destroy();
            throw e;
        }
        return ZxStatus.OK;
    }

    /** zx_vmar_destroy(handle): no rights checked. */
    public int destroy(int handle) {
        c.handles().get(handle, Vmar.class, Rights.NONE).destroy();
        return ZxStatus.OK;
    }

    /** zx_vmar_map(handle, options, vmar_offset, vmo, vmo_offset, len, mapped_addr). */
    public int map(int vmarHandle, int options, long vmarOffset, int vmoHandle, long vmoOffset, long len, long outAddr) {
        Handle vh = c.handles().handle(vmarHandle, Vmar.class, Rights.NONE);
        Handle oh = c.handles().handle(vmoHandle, Vmo.class, Rights.NONE);
        if (!oh.hasRights(Rights.MAP)) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED, "vmo handle lacks MAP");
        if ((options & PERM_READ) == 0 && (options & (PERM_WRITE | PERM_EXECUTE)) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        if ((options & MAP_RANGE) != 0 && (options & SPECIFIC_OVERWRITE) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        if ((options & CAN_MAP_RWX) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "CAN_MAP_* on vmar_map");
        boolean canRead = oh.hasRights(Rights.READ) && vh.hasRights(Rights.READ);
        boolean canWrite = oh.hasRights(Rights.WRITE) && vh.hasRights(Rights.WRITE);
        boolean canExec = oh.hasRights(Rights.EXECUTE) && vh.hasRights(Rights.EXECUTE);
        if ((options & PERM_READ) != 0 && !canRead) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED);
        if ((options & PERM_WRITE) != 0 && !canWrite) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED);
        if ((options & PERM_EXECUTE) != 0 && !canExec) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED);
        // What both handles allow now bounds what vmar_protect may grant later.
        int allowed = (canRead ? CAN_MAP_READ : 0) | (canWrite ? CAN_MAP_WRITE : 0) | (canExec ? CAN_MAP_EXECUTE : 0);
        Vmar vmar = (Vmar) vh.object();
        VmMapping m = vmar.map(options | allowed, vmarOffset, (Vmo) oh.object(), vmoOffset, len);
        try {
            UserIo.writeU64(c.addressSpace(), outAddr, m.base());
        } catch (ZxException e) {
            vmar.unmap(m.base(), m.size());
            throw e;
        }
        return ZxStatus.OK;
    }

    /** zx_vmar_unmap(handle, addr, len): no rights checked. */
    public int unmap(int handle, long addr, long len) {
        c.handles().get(handle, Vmar.class, Rights.NONE).unmap(addr, len);
        return ZxStatus.OK;
    }

    /** zx_vmar_protect(handle, options, addr, len): the handle needs a right per PERM_* requested. */
    public int protect(int handle, int options, long addr, long len) {
        int needed = rightsFor(options, PERM_READ, PERM_WRITE, PERM_EXECUTE);
        c.handles().get(handle, Vmar.class, needed).protect(options, addr, len);
        return ZxStatus.OK;
    }

    /** zx_vmar_op_range(handle, op, address, size, buffer, buffer_size). */
    public int opRange(int handle, int op, long addr, long len, long buffer, long bufferSize) {
        Vmar vmar = c.handles().get(handle, Vmar.class, Rights.NONE);
        if (buffer != 0 || bufferSize != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "buffer unused");
        vmar.opRange(op, addr, len);
        return ZxStatus.OK;
    }
}
