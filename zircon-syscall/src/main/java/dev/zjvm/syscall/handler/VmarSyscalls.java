package dev.zjvm.syscall.handler;

import static dev.zjvm.object.vm.VmOptions.*;

import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.vm.VmMapping;
import dev.zjvm.object.vm.Vmar;
import dev.zjvm.object.vm.Vmo;
import dev.zjvm.syscall.dispatch.Support;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;

/** {@code zx_vmar_*}, following the 2020-03 kernel's order of checks. */
public final class VmarSyscalls implements SyscallFamily {
    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("vmar_allocate", (c, h, options, off, size, outH, outAddr, a6, a7) ->
                allocate(c, (int) h, (int) options, off, size, outH, outAddr));
        r.register("vmar_destroy", (c, h, a1, a2, a3, a4, a5, a6, a7) -> destroy(c, (int) h));
        r.register("vmar_map",
                (c, h, options, vmarOff, vmo, vmoOff, len, out, a7) -> map(c, (int) h, (int) options, vmarOff, (int) vmo, vmoOff, len, out));
        r.register("vmar_unmap", (c, h, addr, len, a3, a4, a5, a6, a7) -> unmap(c, (int) h, addr, len));
        r.register("vmar_protect", (c, h, options, addr, len, a4, a5, a6, a7) -> protect(c, (int) h, (int) options, addr, len));
        r.register("vmar_op_range", (c, h, op, addr, len, buf, bufSize, a6, a7) -> opRange(c, (int) h, (int) op, addr, len, buf, bufSize));
        r.register("vmar_unmap_handle_close_thread_exit", (c, h, addr, len, close, a4, a5, a6, a7) ->
                unmapHandleCloseThreadExit(c, (int) h, addr, len, (int) close));
    }

    /**
     * The vDSO composite (201): unmap (a thread freeing its own stack), close a handle, exit the
     * thread. Each step's error is returned as the vDSO's sequence of calls would.
     */
    static long unmapHandleCloseThreadExit(SyscallContext c, int vmarHandle, long addr, long len, int closeHandle) {
        unmap(c, vmarHandle, addr, len);
        c.handles().close(closeHandle);
        return ThreadSyscalls.exit(c);
    }

    private static int rightsFor(int options, int read, int write, int exec) {
        int r = 0;
        if ((options & read) != 0) r |= Rights.READ;
        if ((options & write) != 0) r |= Rights.WRITE;
        if ((options & exec) != 0) r |= Rights.EXECUTE;
        return r;
    }

    static long allocate(SyscallContext c, int parentHandle, int options, long offset, long size, long outHandle, long outAddr) {
        int needed = rightsFor(options, CAN_MAP_READ, CAN_MAP_WRITE, CAN_MAP_EXECUTE);
        Vmar parent = c.get(parentHandle, Vmar.class, needed);
        Vmar child = parent.allocate(options, offset, size);
        int value;
        try {
            value = c.installHandle(outHandle, Handle.create(child, child.handleRights()));
        } catch (ZxException e) {
            child.destroy();
            throw e;
        }
        try {
            c.memory().writeU64(outAddr, child.base());
        } catch (ZxException e) {
            try {
                c.handles().close(value);
            } catch (ZxException ignored) {
                // another thread closed the value it guessed; the region still goes
            }
            child.destroy();
            throw e;
        }
        return ZxStatus.OK;
    }

    /** No rights checked (2020). */
    static long destroy(SyscallContext c, int handle) {
        c.get(handle, Vmar.class, Rights.NONE).destroy();
        return ZxStatus.OK;
    }

    static long map(SyscallContext c, int vmarHandle, int options, long vmarOffset, int vmoHandle, long vmoOffset, long len, long outAddr) {
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
        Vmo vmo = (Vmo) oh.object();
        VmMapping m = vmar.map(options | allowed, vmarOffset, vmo, vmoOffset, len);
        try {
            if ((options & MAP_RANGE) != 0) populate(vmo, vmoOffset, m.size());
            c.memory().writeU64(outAddr, m.base());
        } catch (ZxException e) {
            vmar.unmap(m.base(), m.size());
            throw e;
        }
        return ZxStatus.OK;
    }

    /**
     * MAP_RANGE: commit the VMO pages behind the new mapping now rather than on first touch.
     * Pager-backed pages still come from their pager when first used.
     */
    private static void populate(Vmo vmo, long offset, long length) {
        if (vmo.isPagerBacked() || offset >= vmo.size()) return;
        vmo.commit(offset, Math.min(length, vmo.size() - offset));
    }

    /** No rights checked (2020). */
    static long unmap(SyscallContext c, int handle, long addr, long len) {
        c.get(handle, Vmar.class, Rights.NONE).unmap(addr, len);
        return ZxStatus.OK;
    }

    /** The handle needs READ/WRITE/EXECUTE for each PERM_* requested. */
    static long protect(SyscallContext c, int handle, int options, long addr, long len) {
        int needed = rightsFor(options, PERM_READ, PERM_WRITE, PERM_EXECUTE);
        c.get(handle, Vmar.class, needed).protect(options, addr, len);
        return ZxStatus.OK;
    }

    static long opRange(SyscallContext c, int handle, int op, long addr, long len, long buffer, long bufferSize) {
        Vmar vmar = c.get(handle, Vmar.class, Rights.NONE);
        if (buffer != 0 || bufferSize != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "buffer unused");
        vmar.opRange(op, addr, len);
        return ZxStatus.OK;
    }
}
