package dev.zjvm.object.vm;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.ipc.Port;
import dev.zjvm.object.ipc.PortPacket;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A user pager: creates VMOs whose pages it supplies on demand. An access to a missing page sends
 * a READ request to the VMO's {@link PageRequestSink} and blocks until the pager calls
 * {@link #supplyPages}, fails the range, or detaches the VMO.
 */
public final class Pager extends KernelObject {
    /** {@code ZX_PAGER_OP_FAIL}. */
    public static final int OP_FAIL = 1;

    private final ArrayList<PagerSource> sources = new ArrayList<>();

    private Pager(Kernel kernel) {
        super(kernel);
    }

    /** {@code zx_pager_create}. */
    public static Pager create(Kernel kernel, int options) {
        if (options != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "pager options");
        return new Pager(kernel);
    }

    @Override
    public ObjectType type() {
        return ObjectType.PAGER;
    }

    /**
     * {@code zx_pager_create_vmo}: a VMO of {@code size} bytes whose pages this pager supplies.
     *
     * @param sink receives the page requests (the port), tagged with {@code key}
     */
    public Vmo createVmo(int options, PageRequestSink sink, long key, long size) {
        if ((options & ~VmoOptions.RESIZABLE) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "pager vmo options");
        if (Long.compareUnsigned(Vmo.roundSize(size), Vmo.MAX_TRACKED_SIZE) > 0) {
            throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE, "pager vmo too large");
        }
        PagerSource source = new PagerSource(this, sink, key);
        Vmo vmo = Vmo.createPaged(kernel(), size, (options & VmoOptions.RESIZABLE) != 0, source);
        source.bind(vmo.pages());
        synchronized (lock) {
            sources.add(source);
        }
        return vmo;
    }

    /** {@code zx_pager_create_vmo} with requests queued on {@code port} as ZX_PKT_TYPE_PAGE_REQUEST packets. */
    public Vmo createVmo(int options, Port port, long key, long size) {
        return createVmo(options, (k, command, offset, length) -> port.queueKernel(PortPacket.pageRequest(k, command, 0, offset, length)), key, size);
    }

    private PagerSource sourceOf(Vmo vmo) {
        if (vmo.pager() != this) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "vmo not created by this pager");
        return (PagerSource) vmo.pages().provider();
    }

    /** {@code zx_pager_detach_vmo}. */
    public void detach(Vmo vmo) {
        sourceOf(vmo).detach();
    }

    /**
     * {@code zx_pager_supply_pages}: moves {@code length} bytes of pages from {@code aux} at
     * {@code auxOffset} into {@code vmo} at {@code offset}. Pages already present are left alone.
     */
    public void supplyPages(Vmo vmo, long offset, long length, Vmo aux, long auxOffset) {
        PagerSource source = sourceOf(vmo);
        if ((offset | length | auxOffset) % VmoPages.PAGE != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "unaligned range");
        if (aux.isPagerBacked() || aux.parent() != null || aux.mappingCount() != 0 || aux.childCount() != 0) {
            throw new ZxException(ZxStatus.ERR_BAD_STATE, "aux vmo pages cannot be moved");
        }
        checkRange(aux, auxOffset, length);
        checkRange(vmo, offset, length);
        if (length == 0) return;
        VmoPages pages = vmo.pages();
        byte[] buf = new byte[VmoPages.PAGE];
        MemorySegment seg = MemorySegment.ofArray(buf);
        for (long done = 0; done < length; done += VmoPages.PAGE) {
            long page = (offset + done) / VmoPages.PAGE;
            synchronized (pages.lock) {
                if (pages.isPresent(page)) continue;
            }
            aux.read(auxOffset + done, seg, 0, VmoPages.PAGE);
            synchronized (pages.lock) {
                if (page * VmoPages.PAGE >= pages.validLength() || pages.isPresent(page)) continue;
                pages.write(page * VmoPages.PAGE, seg, 0, VmoPages.PAGE);
                pages.markPresent(page, page + 1);
            }
        }
        synchronized (pages.lock) {
            source.suppliedLocked();
        }
        // The pages left the aux VMO.
        aux.pages().decommit(auxOffset, length);
    }

    /** {@code zx_pager_op_range}. */
    public void opRange(int op, Vmo vmo, long offset, long length, long data) {
        PagerSource source = sourceOf(vmo);
        if (op != OP_FAIL) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED, "pager op " + op);
        if ((offset | length) % VmoPages.PAGE != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "unaligned range");
        if (data != ZxStatus.ERR_IO && data != ZxStatus.ERR_IO_DATA_INTEGRITY && data != ZxStatus.ERR_BAD_STATE) {
            throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "bad failure status");
        }
        checkRange(vmo, offset, length);
        source.fail(offset, length, (int) data);
    }

    private static void checkRange(Vmo vmo, long offset, long length) {
        long end = offset + length;
        if (offset < 0 || length < 0 || end < offset || end > vmo.size()) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE);
    }

    void forget(PagerSource source) {
        synchronized (lock) {
            sources.remove(source);
        }
    }

    /** Closing the pager detaches every VMO it still serves. */
    @Override
    protected void onZeroHandles() {
        List<PagerSource> copy;
        synchronized (lock) {
            copy = List.copyOf(sources);
        }
        copy.forEach(PagerSource::detach);
    }
}
