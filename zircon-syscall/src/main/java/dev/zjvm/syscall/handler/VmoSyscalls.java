package dev.zjvm.syscall.handler;

import dev.zjvm.object.ObjectType;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.dev.Resource;
import dev.zjvm.object.dev.ResourceKind;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.vm.VmOptions;
import dev.zjvm.object.vm.Vmo;
import dev.zjvm.object.vm.VmoOptions;

/**
 * {@code zx_vmo_*} handlers. Each looks up its handles with the spec's rights (BAD_HANDLE, then
 * WRONG_TYPE, then ACCESS_DENIED), calls the {@link Vmo}, and copies results out; errors are
 * thrown as {@link ZxException} and become the returned status.
 */
public final class VmoSyscalls {
    /** Bytes moved per step between a VMO and user memory (bounds the kernel's temporary buffer). */
    static final int CHUNK = 64 * 1024;

    private final VmCaller c;

    public VmoSyscalls(VmCaller caller) {
        this.c = caller;
    }

    /** zx_vmo_create(size, options, out). */
    public int create(long size, int options, long out) {
        c.checkNewObjectPolicy(VmCaller.POL_NEW_VMO);
        Vmo vmo = Vmo.create(c.kernel(), size, options);
        UserIo.outHandle(c, out, vmo, ObjectType.VMO.defaultRights(), null);
        return ZxStatus.OK;
    }

    /** zx_vmo_read(handle, buffer, offset, buffer_size). */
    public int read(int handle, long buffer, long offset, long size) {
        Vmo vmo = c.handles().get(handle, Vmo.class, Rights.READ);
        checkRange(vmo, offset, size);
        int fault = c.addressSpace().probe(buffer, size, VmOptions.PERM_WRITE);
        if (fault != ZxStatus.OK) throw new ZxException(fault, "user buffer");
        byte[] tmp = new byte[(int) Math.min(size, CHUNK)];
        for (long done = 0; done < size; ) {
            int n = (int) Math.min(size - done, CHUNK);
            vmo.read(offset + done, tmp, 0, n);
            c.addressSpace().write(buffer + done, tmp, 0, n);
            done += n;
        }
        return ZxStatus.OK;
    }

    /** zx_vmo_write(handle, buffer, offset, buffer_size). */
    public int write(int handle, long buffer, long offset, long size) {
        Vmo vmo = c.handles().get(handle, Vmo.class, Rights.WRITE);
        checkRange(vmo, offset, size);
        int fault = c.addressSpace().probe(buffer, size, VmOptions.PERM_READ);
        if (fault != ZxStatus.OK) throw new ZxException(fault, "user buffer");
        byte[] tmp = new byte[(int) Math.min(size, CHUNK)];
        for (long done = 0; done < size; ) {
            int n = (int) Math.min(size - done, CHUNK);
            c.addressSpace().read(buffer + done, tmp, 0, n);
            vmo.write(offset + done, tmp, 0, n);
            done += n;
        }
        return ZxStatus.OK;
    }

    private static void checkRange(Vmo vmo, long offset, long size) {
        long end = offset + size;
        if (Long.compareUnsigned(end, offset) < 0 || Long.compareUnsigned(end, vmo.size()) > 0) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE);
    }

    /** zx_vmo_get_size(handle, size): no rights needed. */
    public int getSize(int handle, long out) {
        Vmo vmo = c.handles().get(handle, Vmo.class, Rights.NONE);
        UserIo.writeU64(c.addressSpace(), out, vmo.size());
        return ZxStatus.OK;
    }

    /** zx_vmo_set_size(handle, size). */
    public int setSize(int handle, long size) {
        c.handles().get(handle, Vmo.class, Rights.WRITE).setSize(size);
        return ZxStatus.OK;
    }

    /** zx_vmo_op_range(handle, op, offset, size, buffer, buffer_size): rights depend on the op. */
    public int opRange(int handle, int op, long offset, long size, long buffer, long bufferSize) {
        Handle h = c.handles().handle(handle, Vmo.class, Rights.NONE);
        int needed = VmoOptions.rightsForOp(op);
        if (needed < 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "unknown op");
        if (!h.hasRights(needed)) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED);
        ((Vmo) h.object()).opRange(op, offset, size);
        return ZxStatus.OK;
    }

    /** zx_vmo_create_child(handle, options, offset, size, out). */
    public int createChild(int handle, int options, long offset, long size, long out) {
        Handle h = c.handles().handle(handle, Vmo.class, Rights.DUPLICATE | Rights.READ);
        Vmo parent = (Vmo) h.object();
        Vmo child = parent.createChild(options, offset, size, h.hasRights(Rights.GET_PROPERTY));
        UserIo.outHandle(c, out, child, VmoOptions.childRights(h.rights(), options), null);
        return ZxStatus.OK;
    }

    /** zx_vmo_set_cache_policy(handle, cache_policy): the policy value is checked first. */
    public int setCachePolicy(int handle, int policy) {
        if ((policy & ~VmoOptions.CACHE_POLICY_MASK) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        c.handles().get(handle, Vmo.class, Rights.MAP).setCachePolicy(policy);
        return ZxStatus.OK;
    }

    /**
     * zx_vmo_replace_as_executable(handle, vmex, out). The VMO handle is consumed once found, even
     * when the call then fails; a non-VMO handle reports BAD_HANDLE (2020 code).
     */
    public int replaceAsExecutable(int handle, int vmex, long out) {
        int vmexStatus = ZxStatus.OK;
        try {
            if (vmex != 0) {
                Resource r = c.handles().get(vmex, Resource.class, Rights.NONE);
                if (!r.grants(ResourceKind.VMEX)) throw new ZxException(ZxStatus.ERR_WRONG_TYPE);
            } else {
                c.checkNewObjectPolicy(VmCaller.POL_AMBIENT_MARK_VMO_EXEC);
            }
        } catch (ZxException e) {
            vmexStatus = e.status();
        }
        Handle source = c.handles().remove(handle);
        try {
            if (vmexStatus != ZxStatus.OK) throw new ZxException(vmexStatus);
            if (!(source.object() instanceof Vmo vmo)) throw new ZxException(ZxStatus.ERR_BAD_HANDLE);
            UserIo.outHandle(c, out, vmo, source.rights() | Rights.EXECUTE, null);
            return ZxStatus.OK;
        } finally {
            source.destroy();
        }
    }
}
