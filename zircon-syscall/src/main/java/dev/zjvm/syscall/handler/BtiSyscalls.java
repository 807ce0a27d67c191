package dev.zjvm.syscall.handler;

import dev.zjvm.object.ObjectType;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.dev.Bti;
import dev.zjvm.object.dev.DmaAddresses;
import dev.zjvm.object.dev.Iommu;
import dev.zjvm.object.dev.Pmt;
import dev.zjvm.object.dev.ResourceKind;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.task.JobPolicy;
import dev.zjvm.object.vm.Vmo;
import dev.zjvm.syscall.dispatch.Support;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;
import dev.zjvm.syscall.user.UserMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * DMA: iommu_create, bti_create, bti_pin, bti_release_quarantine, pmt_unpin, vmo_create_physical.
 * Bus addresses are physical addresses of the kernel's physical memory ({@link DmaAddresses});
 * vmo_create_contiguous lives with the VMO calls.
 */
public final class BtiSyscalls implements SyscallFamily {
    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("iommu_create", Support.partial("only the dummy IOMMU; other types answer NOT_SUPPORTED (no hardware)"),
                (c, res, type, desc, descSize, out, a5, a6, a7) -> iommuCreate(c, res, type, desc, descSize, out));
        r.register("bti_create", (c, iommu, options, id, out, a4, a5, a6, a7) -> btiCreate(c, iommu, options, id, out));
        r.register("bti_pin", (c, bti, options, vmo, offset, size, addrs, numAddrs, pmt) ->
                        pin(c, bti, options, vmo, offset, size, addrs, numAddrs, pmt));
        r.register("bti_release_quarantine", (c, bti, a1, a2, a3, a4, a5, a6, a7) -> releaseQuarantine(c, bti));
        r.register("pmt_unpin", (c, pmt, a1, a2, a3, a4, a5, a6, a7) -> unpin(c, pmt));
        r.register("vmo_create_physical", (c, res, paddr, size, out, a4, a5, a6, a7) -> createPhysical(c, res, paddr, size, out));
    }

    static long iommuCreate(SyscallContext c, long resource, long type, long desc, long descSize, long out) {
        ResourceChecks.require(c, resource, ResourceKind.ROOT);
        if (Long.compareUnsigned(descSize, Iommu.MAX_DESC_LEN) > 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        c.memory().readBytes(desc, descSize);
        c.installHandle(out, Handle.createDefault(Iommu.create(c.kernel(), (int) type, descSize)));
        return ZxStatus.OK;
    }

    static long btiCreate(SyscallContext c, long iommu, long options, long id, long out) {
        if ((int) options != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS); // before the handle, as in 2020
        Iommu i = c.get(iommu, Iommu.class, Rights.NONE);
        c.installHandle(out, Handle.createDefault(Bti.create(i, 0, id)));
        return ZxStatus.OK;
    }

    static long pin(SyscallContext c, long btiHandle, long options, long vmoHandle, long offset, long size, long addrs,
            long numAddrs, long pmtOut) {
        Bti bti = c.get(btiHandle, Bti.class, Rights.MAP);
        if (offset % Vmo.PAGE_SIZE != 0 || size % Vmo.PAGE_SIZE != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        Handle vh = c.handles().handle((int) vmoHandle, Vmo.class, Rights.MAP);
        Vmo vmo = (Vmo) vh.object();
        int opts = (int) options;
        int perms = opts & (Bti.PERM_READ | Bti.PERM_WRITE | Bti.PERM_EXECUTE);
        if ((opts & Bti.PERM_READ) != 0 && !vh.hasRights(Rights.READ)) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED);
        if ((opts & Bti.PERM_WRITE) != 0 && !vh.hasRights(Rights.WRITE)) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED);
        // The 2020 kernel checks READ (not EXECUTE) for PERM_EXECUTE.
        if ((opts & Bti.PERM_EXECUTE) != 0 && !vh.hasRights(Rights.READ)) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED);
        if (perms == 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        boolean compress = (opts & Bti.COMPRESS) != 0;
        boolean contiguous = (opts & Bti.CONTIGUOUS) != 0 && vmo.isContiguous();
        int rest = opts & ~(perms | Bti.COMPRESS | (contiguous ? Bti.CONTIGUOUS : 0));
        if (rest != 0 || (compress && contiguous)) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        // The 2020 kernel allocates the address array before pinning.
        if (Long.compareUnsigned(numAddrs, UserMemory.MAX_COPY / 8) > 0) throw new ZxException(ZxStatus.ERR_NO_MEMORY);
        Pmt pmt = bti.pin(vmo, offset, size, c.blocker());
        try {
            long[] addresses = DmaAddresses.encode(pmt, compress, contiguous, numAddrs, Bti.MINIMUM_CONTIGUITY);
            ByteBuffer b = ByteBuffer.allocate(addresses.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (long a : addresses) b.putLong(a);
            c.memory().writeBytes(addrs, b.array());
            c.installHandle(pmtOut, Handle.createDefault(pmt));
        } catch (ZxException e) {
            pmt.unpin();
            throw e;
        }
        return ZxStatus.OK;
    }

    static long releaseQuarantine(SyscallContext c, long bti) {
        c.get(bti, Bti.class, Rights.WRITE).releaseQuarantine();
        return ZxStatus.OK;
    }

    /** Consumes the handle whatever happens, as the 2020 kernel does. */
    static long unpin(SyscallContext c, long handle) {
        Handle h = c.handles().remove((int) handle);
        try {
            if (!(h.object() instanceof Pmt pmt)) throw new ZxException(ZxStatus.ERR_WRONG_TYPE);
            pmt.unpin();
        } finally {
            h.destroy();
        }
        return ZxStatus.OK;
    }

    /** Policy, then the MMIO resource over the range, then the range itself (2020 order). */
    static long createPhysical(SyscallContext c, long resource, long paddr, long size, long out) {
        c.process().enforcePolicy(JobPolicy.NEW_VMO, c.thread());
        ResourceChecks.require(c, resource, ResourceKind.MMIO, paddr, size);
        Vmo vmo = Vmo.createPhysical(c.kernel(), paddr, size);
        c.installHandle(out, Handle.create(vmo, ObjectType.VMO.defaultRights()));
        return ZxStatus.OK;
    }
}
