package dev.zjvm.syscall.handler;

import dev.zjvm.object.task.JobPolicy;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.dev.Bti;
import dev.zjvm.object.dev.Resource;
import dev.zjvm.object.dev.ResourceKind;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.vm.VmOptions;
import dev.zjvm.object.vm.Vmo;
import dev.zjvm.object.vm.VmoOptions;
import dev.zjvm.syscall.dispatch.Support;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;

/**
 * {@code zx_vmo_*}: look up handles with the spec's rights (BAD_HANDLE, WRONG_TYPE, ACCESS_DENIED
 * in that order), call the {@link Vmo}, copy results out. Checks follow the 2020-03 kernel.
 */
public final class VmoSyscalls implements SyscallFamily {
    private static final int VMO_RIGHTS = ObjectType.VMO.defaultRights();

    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("vmo_create", (c, size, options, out, a3, a4, a5, a6, a7) -> create(c, size, (int) options, out));
        r.register("vmo_read", (c, h, buf, off, len, a4, a5, a6, a7) -> read(c, (int) h, buf, off, len));
        r.register("vmo_write", (c, h, buf, off, len, a4, a5, a6, a7) -> write(c, (int) h, buf, off, len));
        r.register("vmo_get_size", (c, h, out, a2, a3, a4, a5, a6, a7) -> getSize(c, (int) h, out));
        r.register("vmo_set_size", (c, h, size, a2, a3, a4, a5, a6, a7) -> setSize(c, (int) h, size));
        r.register("vmo_op_range", (c, h, op, off, size, buf, bufSize, a6, a7) -> opRange(c, (int) h, (int) op, off, size));
        r.register("vmo_create_child", (c, h, options, off, size, out, a5, a6, a7) ->
                createChild(c, (int) h, (int) options, off, size, out));
        r.register("vmo_set_cache_policy", Support.partial("the policy is recorded and enforced on kernel reads/writes; "
                        + "host memory stays cached (user space cannot map it uncached)"),
                (c, h, policy, a2, a3, a4, a5, a6, a7) -> setCachePolicy(c, (int) h, (int) policy));
        r.register("vmo_create_contiguous", (c, bti, size, align, out, a4, a5, a6, a7) -> createContiguous(c, (int) bti, size, (int) align, out));
        r.register("vmo_replace_as_executable", (c, h, vmex, out, a3, a4, a5, a6, a7) -> replaceAsExecutable(c, (int) h, (int) vmex, out));
    }

    static long create(SyscallContext c, long size, int options, long out) {
        c.process().enforcePolicy(JobPolicy.NEW_VMO, c.thread());
        Vmo vmo = Vmo.create(c.kernel(), size, options);
        c.installHandle(out, Handle.create(vmo, VMO_RIGHTS));
        return ZxStatus.OK;
    }

    /** Size and alignment, then the NEW_VMO policy, then the BTI handle (2020 order). */
    static long createContiguous(SyscallContext c, int bti, long size, int alignLog2, long out) {
        if (size == 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        if (alignLog2 != 0 && (alignLog2 < 12 || alignLog2 >= 64)) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        c.process().enforcePolicy(JobPolicy.NEW_VMO, c.thread());
        c.get(bti, Bti.class, Rights.MAP);
        Vmo vmo = Vmo.createContiguous(c.kernel(), size, alignLog2);
        c.installHandle(out, Handle.create(vmo, VMO_RIGHTS));
        return ZxStatus.OK;
    }

    private static void checkRange(Vmo vmo, long offset, long size) {
        long end = offset + size;
        if (Long.compareUnsigned(end, offset) < 0 || Long.compareUnsigned(end, vmo.size()) > 0) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE);
    }

    /** A physical VMO has no kernel read/write at all (2020), before any range or buffer check. */
    private static void requireKernelAccess(Vmo vmo) {
        if (vmo.isPhysical()) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED, "physical vmo");
    }

    static long read(SyscallContext c, int handle, long buffer, long offset, long size) {
        Vmo vmo = c.get(handle, Vmo.class, Rights.READ);
        requireKernelAccess(vmo);
        checkRange(vmo, offset, size);
        VmUser.requireAccessible(c, buffer, size, VmOptions.PERM_WRITE);
        byte[] tmp = new byte[(int) Math.min(size, VmUser.CHUNK)];
        for (long done = 0; done < size; ) {
            int n = (int) Math.min(size - done, VmUser.CHUNK);
            vmo.read(offset + done, tmp, 0, n, c.blocker());
            c.memory().write(buffer + done, tmp, 0, n);
            done += n;
        }
        return ZxStatus.OK;
    }

    static long write(SyscallContext c, int handle, long buffer, long offset, long size) {
        Vmo vmo = c.get(handle, Vmo.class, Rights.WRITE);
        requireKernelAccess(vmo);
        checkRange(vmo, offset, size);
        VmUser.requireAccessible(c, buffer, size, VmOptions.PERM_READ);
        byte[] tmp = new byte[(int) Math.min(size, VmUser.CHUNK)];
        for (long done = 0; done < size; ) {
            int n = (int) Math.min(size - done, VmUser.CHUNK);
            c.memory().read(buffer + done, tmp, 0, n);
            vmo.write(offset + done, tmp, 0, n, c.blocker());
            done += n;
        }
        return ZxStatus.OK;
    }

    /** No rights needed (2020). */
    static long getSize(SyscallContext c, int handle, long out) {
        Vmo vmo = c.get(handle, Vmo.class, Rights.NONE);
        c.memory().writeU64(out, vmo.size());
        return ZxStatus.OK;
    }

    static long setSize(SyscallContext c, int handle, long size) {
        c.get(handle, Vmo.class, Rights.WRITE).setSize(size);
        return ZxStatus.OK;
    }

    /** Rights depend on the op; the 2020 ops ignore buffer/buffer_size. */
    static long opRange(SyscallContext c, int handle, int op, long offset, long size) {
        Handle h = c.handles().handle(handle, Vmo.class, Rights.NONE);
        int needed = VmoOptions.rightsForOp(op);
        if (needed < 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "unknown op");
        if (!h.hasRights(needed)) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED);
        ((Vmo) h.object()).opRange(op, offset, size, c.blocker());
        return ZxStatus.OK;
    }

    static long createChild(SyscallContext c, int handle, int options, long offset, long size, long out) {
        Handle h = c.handles().handle(handle, Vmo.class, Rights.DUPLICATE | Rights.READ);
        Vmo child = ((Vmo) h.object()).createChild(options, offset, size, h.hasRights(Rights.GET_PROPERTY));
        c.installHandle(out, Handle.create(child, VmoOptions.childRights(h.rights(), options)));
        return ZxStatus.OK;
    }

    /** The policy value is checked before the handle (2020 code). */
    static long setCachePolicy(SyscallContext c, int handle, int policy) {
        if ((policy & ~VmoOptions.CACHE_POLICY_MASK) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        c.get(handle, Vmo.class, Rights.MAP).setCachePolicy(policy);
        return ZxStatus.OK;
    }

    /**
     * The VMO handle is consumed once found, even when the call then fails; a non-VMO handle
     * reports BAD_HANDLE (2020 code). {@code vmex} 0 is allowed (ambient policy, default allow).
     */
    static long replaceAsExecutable(SyscallContext c, int handle, int vmex, long out) {
        int vmexStatus = ZxStatus.OK;
        try {
            if (vmex != 0) {
                Resource r = c.get(vmex, Resource.class, Rights.NONE);
                if (!r.grants(ResourceKind.VMEX)) vmexStatus = ZxStatus.ERR_WRONG_TYPE;
            } else {
                // No VMEX resource: the job must allow marking VMOs executable ambiently.
                c.process().enforcePolicy(JobPolicy.AMBIENT_MARK_VMO_EXEC, c.thread());
            }
        } catch (ZxException e) {
            vmexStatus = e.status();
        }
        Handle source = c.handles().remove(handle);
        try {
            if (vmexStatus != ZxStatus.OK) throw new ZxException(vmexStatus);
            if (!(source.object() instanceof Vmo vmo)) throw new ZxException(ZxStatus.ERR_BAD_HANDLE);
            c.installHandle(out, Handle.create(vmo, source.rights() | Rights.EXECUTE));
            return ZxStatus.OK;
        } finally {
            source.destroy();
        }
    }
}
