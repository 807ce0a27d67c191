package dev.zjvm.object.vm;

import dev.zjvm.hal.mem.MemoryExtent;
import dev.zjvm.hal.mem.MemoryLimitException;
import dev.zjvm.object.Kernel;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.signal.Signals;
import dev.zjvm.object.task.BlockingContext;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;

/**
 * A virtual memory object: a resizable run of zero-initialised pages, committed lazily.
 *
 * <p>Kinds: plain paged VMOs own their pages; slices share a window of their parent's pages;
 * copy-on-write clones get a private copy (made eagerly, or lazily page by page when the parent
 * is pager-backed); pager-backed VMOs get their pages from a {@link Pager}; contiguous VMOs own an
 * aligned run of physical memory, committed for their lifetime; physical VMOs own nothing and
 * reach a range of physical memory through a window (docs/vm.md, "Physical memory").
 *
 * <p>Pins ({@link #pin}, for BTIs) keep their pages committed and at their physical address:
 * decommitting them or shrinking over them is BAD_STATE until they are unpinned.
 *
 * <p>Lifetime: a VMO is alive while it has handles or kernel references (mappings, streams,
 * lazy clones, {@link #retain()}). When both are gone its parent sees the child leave
 * (ZX_VMO_ZERO_CHILDREN) and its memory is freed once no slice shares it.
 *
 * <p>Locking: {@link #lock} guards this object's fields and is taken before the pages' lock. It is
 * never held while waiting for a pager.
 */
public final class Vmo extends KernelObject {
    public static final int PAGE_SIZE = VmoPages.PAGE;
    /** Largest VMO the kernel accepts (bigger sizes are OUT_OF_RANGE). */
    public static final long MAX_SIZE = 1L << 46;
    /** Room a resizable VMO gets to grow without moving its pages. */
    static final long RESIZABLE_RESERVE = 16L << 20;

    enum Kind { PAGED, SLICE, COW_CLONE, CONTIGUOUS, PHYSICAL }

    private final Kind kind;
    private final VmoPages pages;
    /** Shared page-set reference count (owner plus slices); guarded by pages.lock. */
    private final PagesRef pagesRef;
    private final long pagesBase;
    private final boolean resizable;
    private final Vmo parent;
    /** Pages that must stay committed (contiguous and physical VMOs and their slices). */
    private final boolean fixedPages;
    /** A physical VMO or a slice of one: no kernel reads/writes, commits or clones (2020 VmObjectPhysical). */
    private final boolean physical;
    /** Physically contiguous with a fixed address (contiguous, physical, and their slices). */
    private final boolean contiguous;

    // Guarded by lock.
    private long size;
    private long contentSize;
    private int cachePolicy = VmoOptions.CACHE_POLICY_CACHED;
    private int children;
    private final ArrayList<VmMapping> mappings = new ArrayList<>();
    private int kernelRefs;
    private boolean hadHandles;
    private boolean dead;
    /** {offset, length} of the vDSO code segment when this is the vDSO image, else null. */
    private volatile long[] vdsoCode;

    private static final class PagesRef {
        int users = 1;
    }

    private Vmo(Kernel kernel, Kind kind, VmoPages pages, PagesRef ref, long pagesBase, long size, boolean resizable, Vmo parent) {
        super(kernel);
        this.kind = kind;
        this.pages = pages;
        this.pagesRef = ref;
        this.pagesBase = pagesBase;
        this.size = size;
        this.contentSize = size;
        this.resizable = resizable;
        this.parent = parent;
        this.fixedPages = kind == Kind.CONTIGUOUS || kind == Kind.PHYSICAL || (kind == Kind.SLICE && parent.fixedPages);
        this.physical = kind == Kind.PHYSICAL || (kind == Kind.SLICE && parent.physical);
        this.contiguous = kind == Kind.CONTIGUOUS || kind == Kind.PHYSICAL || (kind == Kind.SLICE && parent.contiguous);
        updateSignals(0, Signals.VMO_ZERO_CHILDREN);
    }

    // ---- creation ----

    /**
     * {@code zx_vmo_create}: a zero-filled VMO of {@code size} bytes rounded up to pages.
     *
     * @param options 0 or {@link VmoOptions#RESIZABLE}
     * @throws ZxException INVALID_ARGS for other options, OUT_OF_RANGE if too large, NO_MEMORY
     */
    public static Vmo create(Kernel kernel, long size, int options) {
        if ((options & ~VmoOptions.RESIZABLE) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "vmo options");
        return createPaged(kernel, size, (options & VmoOptions.RESIZABLE) != 0, null);
    }

    static Vmo createPaged(Kernel kernel, long size, boolean resizable, PageProvider provider) {
        long rounded = roundSize(size);
        VmoPages pages = new VmoPages(kernel.memory(), capacityFor(rounded, resizable), rounded, provider);
        Vmo vmo = new Vmo(kernel, Kind.PAGED, pages, new PagesRef(), 0, rounded, resizable, null);
        vmo.contentSize = size;
        return vmo;
    }

    /**
     * {@code zx_vmo_create_contiguous} (after the BTI check): a non-resizable VMO over one run of
     * physical memory aligned to {@code 2^alignLog2}, all committed up front and never decommitted.
     *
     * @param alignLog2 0 (page) or 12..63
     * @throws ZxException INVALID_ARGS for size 0 or a bad alignment, OUT_OF_RANGE if too large,
     *     NO_MEMORY when no free run of that size and alignment exists
     */
    public static Vmo createContiguous(Kernel kernel, long size, int alignLog2) {
        if (size == 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "size 0");
        if (alignLog2 != 0 && (alignLog2 < 12 || alignLog2 >= 64)) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "alignment");
        long rounded = roundSize(size);
        long alignment = alignLog2 == 0 ? PAGE_SIZE : 1L << alignLog2;
        if (alignment <= 0) throw new ZxException(ZxStatus.ERR_NO_MEMORY, "no physical run aligned to 2^" + alignLog2);
        MemoryExtent run;
        try {
            run = kernel.memory().allocateContiguous(rounded, alignment);
        } catch (MemoryLimitException e) {
            throw new ZxException(ZxStatus.ERR_NO_MEMORY, e.getMessage());
        }
        VmoPages pages = new VmoPages(kernel.memory(), run, rounded, null);
        try {
            pages.commit(0, rounded);
        } catch (ZxException e) {
            pages.close();
            throw e;
        }
        Vmo vmo = new Vmo(kernel, Kind.CONTIGUOUS, pages, new PagesRef(), 0, rounded, false, null);
        vmo.contentSize = size;
        return vmo;
    }

    /**
     * {@code zx_vmo_create_physical} (after the resource check): a VMO over the physical pages
     * {@code [paddr, paddr + size)} of the kernel's physical memory, shared with whoever owns them.
     * Valid addresses are {@code [0, memory().physicalSize())}. The VMO starts UNCACHED, as in Zircon.
     *
     * @throws ZxException INVALID_ARGS for an unaligned or empty range, one that overflows, or
     *     one outside the physical memory
     */
    public static Vmo createPhysical(Kernel kernel, long paddr, long size) {
        if (paddr % PAGE_SIZE != 0 || size % PAGE_SIZE != 0 || size == 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        if (Long.compareUnsigned(paddr + size - 1, paddr) < 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "range overflows");
        long space = kernel.memory().physicalSize();
        if (paddr < 0 || size < 0 || Long.compareUnsigned(size, space) > 0 || Long.compareUnsigned(paddr, space - size) > 0) {
            throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "no physical memory at 0x" + Long.toHexString(paddr));
        }
        VmoPages pages = new VmoPages(kernel.memory(), kernel.memory().window(paddr, size), size, null);
        Vmo vmo = new Vmo(kernel, Kind.PHYSICAL, pages, new PagesRef(), 0, size, false, null);
        vmo.cachePolicy = VmoOptions.CACHE_POLICY_UNCACHED;
        return vmo;
    }

    /** True for physically contiguous VMOs: contiguous and physical ones and their slices. */
    public boolean isContiguous() {
        return contiguous;
    }

    /** True for physical VMOs and their slices. */
    public boolean isPhysical() {
        return physical;
    }

    private static long capacityFor(long rounded, boolean resizable) {
        return resizable ? Math.min(MAX_SIZE, Math.max(rounded, RESIZABLE_RESERVE)) : rounded;
    }

    /** Largest VMO whose pages are tracked one by one (pager-backed VMOs and their lazy clones). */
    static final long MAX_TRACKED_SIZE = (long) Integer.MAX_VALUE * PAGE_SIZE;

    /** Rounds up to pages; OUT_OF_RANGE when that overflows or exceeds {@link #MAX_SIZE}. */
    static long roundSize(long size) {
        if (Long.compareUnsigned(size, MAX_SIZE) > 0) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE, "vmo size too large");
        return (size + PAGE_SIZE - 1) & -PAGE_SIZE;
    }

    @Override
    public ObjectType type() {
        return ObjectType.VMO;
    }

    @Override
    public long relatedKoid() {
        return 0;
    }

    // ---- simple properties ----

    /** Size in bytes (a page multiple). */
    public long size() {
        synchronized (lock) {
            return size;
        }
    }

    /** {@code ZX_PROP_VMO_CONTENT_SIZE}: the size as last requested, not rounded. */
    public long contentSize() {
        synchronized (lock) {
            return contentSize;
        }
    }

    public boolean isResizable() {
        return resizable;
    }

    public boolean isSlice() {
        return kind == Kind.SLICE;
    }

    public boolean isCowClone() {
        return kind == Kind.COW_CLONE;
    }

    /** True when pages come from a pager (directly, through a slice, or through a lazy clone). */
    public boolean isPagerBacked() {
        return pages.provider() != null;
    }

    /** The pager that created this VMO (not its clones or slices), or null. */
    Pager pager() {
        PageProvider p = pages.provider();
        return kind == Kind.PAGED && p instanceof PagerSource ps ? ps.pager() : null;
    }

    public Vmo parent() {
        return parent;
    }

    public int cachePolicy() {
        synchronized (lock) {
            return cachePolicy;
        }
    }

    public int childCount() {
        synchronized (lock) {
            return children;
        }
    }

    public int mappingCount() {
        synchronized (lock) {
            return mappings.size();
        }
    }

    /** Bytes of memory committed for this VMO (slices and physical VMOs report 0: the pages are not theirs). */
    public long committedBytes() {
        return kind == Kind.SLICE || kind == Kind.PHYSICAL ? 0 : pages.committedBytes();
    }

    VmoPages pages() {
        return pages;
    }

    // ---- read / write ----

    /** Checks a kernel copy; {@code mapped} copies act for a user mapping, which any VMO kind and cache policy allow. */
    private void checkAccess(long offset, long length, boolean mapped) {
        if (dead) throw new ZxException(ZxStatus.ERR_BAD_STATE, "vmo destroyed");
        if (!mapped && physical) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED, "physical vmo");
        if (!mapped && cachePolicy != VmoOptions.CACHE_POLICY_CACHED) throw new ZxException(ZxStatus.ERR_BAD_STATE, "uncached vmo");
        long end = offset + length;
        if (offset < 0 || length < 0 || end < offset || end > size) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE);
    }

    /**
     * Copies {@code length} bytes at {@code offset} into {@code dst}. Blocks while a pager supplies
     * missing pages.
     *
     * @throws ZxException OUT_OF_RANGE beyond the size, BAD_STATE if uncached or the pager failed,
     *     NOT_SUPPORTED for a physical VMO (reachable only through mappings, as in Zircon)
     */
    public void read(long offset, MemorySegment dst, long dstOffset, long length) {
        read(offset, dst, dstOffset, length, BlockingContext.NONE);
    }

    /** As {@link #read(long, MemorySegment, long, long)}, waiting for a pager as {@code who} (a kill ends the wait). */
    public void read(long offset, MemorySegment dst, long dstOffset, long length, BlockingContext who) {
        read(offset, dst, dstOffset, length, who, false);
    }

    /** A read for a user mapping of this VMO (kernel copies from user memory). */
    void readMapped(long offset, MemorySegment dst, long dstOffset, long length, BlockingContext who) {
        read(offset, dst, dstOffset, length, who, true);
    }

    private void read(long offset, MemorySegment dst, long dstOffset, long length, BlockingContext who, boolean mapped) {
        synchronized (lock) {
            checkAccess(offset, length, mapped);
        }
        pages.ensurePresent(pagesBase + offset, length, who);
        synchronized (lock) {
            checkAccess(offset, length, mapped);
            pages.read(pagesBase + offset, dst, dstOffset, length);
        }
    }

    public void read(long offset, byte[] dst, int dstOffset, int length) {
        read(offset, dst, dstOffset, length, BlockingContext.NONE);
    }

    public void read(long offset, byte[] dst, int dstOffset, int length, BlockingContext who) {
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        read(offset, MemorySegment.ofArray(dst), dstOffset, length, who);
    }

    public byte[] read(long offset, int length) {
        byte[] out = new byte[length];
        read(offset, out, 0, length);
        return out;
    }

    /** Copies {@code length} bytes from {@code src} to {@code offset}; the VMO does not grow. */
    public void write(long offset, MemorySegment src, long srcOffset, long length) {
        write(offset, src, srcOffset, length, BlockingContext.NONE);
    }

    /** As {@link #write(long, MemorySegment, long, long)}, waiting for a pager as {@code who}. */
    public void write(long offset, MemorySegment src, long srcOffset, long length, BlockingContext who) {
        write(offset, src, srcOffset, length, who, false);
    }

    /** A write for a user mapping of this VMO. */
    void writeMapped(long offset, MemorySegment src, long srcOffset, long length, BlockingContext who) {
        write(offset, src, srcOffset, length, who, true);
    }

    private void write(long offset, MemorySegment src, long srcOffset, long length, BlockingContext who, boolean mapped) {
        synchronized (lock) {
            checkAccess(offset, length, mapped);
        }
        pages.ensurePresent(pagesBase + offset, length, who);
        synchronized (lock) {
            checkAccess(offset, length, mapped);
            pages.write(pagesBase + offset, src, srcOffset, length);
        }
    }

    public void write(long offset, byte[] src, int srcOffset, int length) {
        write(offset, src, srcOffset, length, BlockingContext.NONE);
    }

    public void write(long offset, byte[] src, int srcOffset, int length, BlockingContext who) {
        Objects.checkFromIndexSize(srcOffset, length, src.length);
        write(offset, MemorySegment.ofArray(src), srcOffset, length, who);
    }

    public void write(long offset, byte[] src) {
        write(offset, src, 0, src.length);
    }

    /** True when no page of the range still has to come from a pager. */
    boolean present(long offset, long length) {
        if (length <= 0) return true;
        synchronized (pages.lock) {
            long first = (pagesBase + offset) / PAGE_SIZE;
            long end = (pagesBase + offset + length + PAGE_SIZE - 1) / PAGE_SIZE;
            return pages.firstMissing(first, end) < 0;
        }
    }

    /** Fetches pager-backed pages of the range (blocking) without touching the data. */
    void prefetch(long offset, long length, BlockingContext who) {
        long n;
        synchronized (lock) {
            if (dead || offset < 0 || offset >= size) return;
            n = Math.min(length, size - offset);
        }
        pages.ensurePresent(pagesBase + offset, n, who);
    }

    // ---- size ----

    /**
     * {@code zx_vmo_set_size}. Shrinking frees the pages past the new end.
     *
     * @throws ZxException UNAVAILABLE if not resizable (NOT_SUPPORTED for a physical VMO), OUT_OF_RANGE
     *     if too large, BAD_STATE when shrinking over pinned pages, NO_MEMORY
     */
    public void setSize(long newSize) {
        if (physical) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED, "physical vmo");
        if (!resizable) throw new ZxException(ZxStatus.ERR_UNAVAILABLE, "vmo not resizable");
        long rounded = roundSize(newSize);
        if (isPagerBacked() && rounded > MAX_TRACKED_SIZE) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE);
        synchronized (lock) {
            if (dead) throw new ZxException(ZxStatus.ERR_BAD_STATE);
            synchronized (pages.lock) {
                if (rounded < size && pages.pinnedLocked(pagesBase + rounded, pagesBase + size)) {
                    throw new ZxException(ZxStatus.ERR_BAD_STATE, "shrinking over pinned pages");
                }
                if (rounded > pages.extent().capacity() && (!mappings.isEmpty() || pages.anyPinnedLocked())) {
                    // Host mappings and pins point into the current extent; it cannot move under them.
                    throw new ZxException(ZxStatus.ERR_NO_MEMORY, "mapped or pinned resizable vmo cannot grow past its reservation");
                }
            }
            pages.resize(rounded, capacityFor(rounded, true));
            if (newSize < rounded) pages.zero(newSize, rounded - newSize);
            size = rounded;
            contentSize = newSize;
        }
    }

    /**
     * Grows the content size to {@code requested} if needed (streams), resizing the VMO when it
     * is too small and resizable; otherwise content stops at the VMO size. Bytes between the old
     * content end and {@code zeroUntil} are zeroed. Returns the resulting content size.
     */
    long expandContentIfNeeded(long requested, long zeroUntil) {
        synchronized (lock) {
            if (Long.compareUnsigned(requested, contentSize) <= 0) return contentSize;
            long previous = contentSize;
            long required = (requested + PAGE_SIZE - 1) & -PAGE_SIZE;
            if (Long.compareUnsigned(required, requested) >= 0 && Long.compareUnsigned(required, size) <= 0) {
                contentSize = requested;
            } else {
                try {
                    if (Long.compareUnsigned(required, requested) < 0) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE);
                    setSize(required);
                    contentSize = requested;
                } catch (ZxException e) {
                    contentSize = size;
                }
            }
            long zeroEnd = Long.compareUnsigned(zeroUntil, contentSize) < 0 ? zeroUntil : contentSize;
            if (Long.compareUnsigned(zeroEnd, previous) > 0) pages.zero(pagesBase + previous, zeroEnd - previous);
            return contentSize;
        }
    }

    // ---- range ops ----

    /**
     * {@code zx_vmo_op_range} without the rights check (the caller checks
     * {@link VmoOptions#rightsForOp}).
     */
    public void opRange(int op, long offset, long length) {
        opRange(op, offset, length, BlockingContext.NONE);
    }

    public void opRange(int op, long offset, long length, BlockingContext who) {
        switch (op) {
            case VmoOptions.OP_COMMIT -> commit(offset, length, who);
            case VmoOptions.OP_DECOMMIT -> decommit(offset, length);
            case VmoOptions.OP_ZERO -> zero(offset, length, who);
            case VmoOptions.OP_LOCK, VmoOptions.OP_UNLOCK -> throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
            case VmoOptions.OP_CACHE_SYNC, VmoOptions.OP_CACHE_INVALIDATE, VmoOptions.OP_CACHE_CLEAN,
                    VmoOptions.OP_CACHE_CLEAN_INVALIDATE -> cacheOp(offset, length);
            default -> throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "unknown vmo op " + op);
        }
    }

    /** Trims {@code [offset, offset+length)} to the size; OUT_OF_RANGE if offset is past the end (2020 TrimRange). */
    private long trim(long offset, long length) {
        if (offset < 0 || offset > size) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE);
        return Long.compareUnsigned(length, size - offset) > 0 ? size - offset : length;
    }

    /** Commits the pages of the range (trimmed to the size); pager-backed pages are requested. */
    public void commit(long offset, long length) {
        commit(offset, length, BlockingContext.NONE);
    }

    public void commit(long offset, long length, BlockingContext who) {
        long start;
        long end;
        synchronized (lock) {
            if (dead) throw new ZxException(ZxStatus.ERR_BAD_STATE);
            if (physical) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED, "physical vmo");
            long n = trim(offset, length);
            if (n == 0) return;
            start = offset / PAGE_SIZE * PAGE_SIZE;
            end = (offset + n + PAGE_SIZE - 1) / PAGE_SIZE * PAGE_SIZE;
        }
        pages.ensurePresent(pagesBase + start, end - start, who);
        synchronized (lock) {
            long n = trim(start, end - start);
            if (n > 0) pages.commit(pagesBase + start, n);
        }
    }

    /** Frees the pages of a page-aligned range; they read as zero afterwards. BAD_STATE if a page is pinned. */
    public void decommit(long offset, long length) {
        synchronized (lock) {
            if (dead) throw new ZxException(ZxStatus.ERR_BAD_STATE);
            if (kind == Kind.COW_CLONE || fixedPages || isPagerBacked()) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
            if (offset % PAGE_SIZE != 0 || length % PAGE_SIZE != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
            long n = trim(offset, length);
            if (n == 0) return;
            synchronized (pages.lock) {
                if (pages.pinnedLocked(pagesBase + offset, pagesBase + offset + n)) {
                    throw new ZxException(ZxStatus.ERR_BAD_STATE, "decommit of pinned pages");
                }
                pages.decommit(pagesBase + offset, n);
            }
        }
    }

    /** Zeroes a range (trimmed to the size), freeing whole pages. */
    public void zero(long offset, long length) {
        zero(offset, length, BlockingContext.NONE);
    }

    public void zero(long offset, long length, BlockingContext who) {
        if (isPagerBacked()) {
            // Partial pages keep the rest of their content, so fetch them first (without the lock).
            long n;
            synchronized (lock) {
                checkZero();
                n = trim(offset, length);
            }
            if (n == 0) return;
            if (offset % PAGE_SIZE != 0) pages.ensurePresent(pagesBase + offset, 1, who);
            if ((offset + n) % PAGE_SIZE != 0) pages.ensurePresent(pagesBase + offset + n - 1, 1, who);
        }
        synchronized (lock) {
            checkZero();
            long n = trim(offset, length);
            if (n == 0) return;
            boolean pinned;
            synchronized (pages.lock) {
                pinned = pages.pinnedLocked(pagesBase + offset, pagesBase + offset + n);
            }
            if (!fixedPages && !pinned) {
                pages.zero(pagesBase + offset, n);
                return;
            }
            // Fixed and pinned pages are overwritten, never freed.
            byte[] zeros = new byte[(int) Math.min(n, 1 << 16)];
            for (long done = 0; done < n; done += zeros.length) {
                int k = (int) Math.min(n - done, zeros.length);
                pages.write(pagesBase + offset + done, MemorySegment.ofArray(zeros), 0, k);
            }
        }
    }

    private void checkZero() {
        if (dead) throw new ZxException(ZxStatus.ERR_BAD_STATE);
        if (physical) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED, "physical vmo");
        if (cachePolicy != VmoOptions.CACHE_POLICY_CACHED) throw new ZxException(ZxStatus.ERR_BAD_STATE);
    }

    /** Cache maintenance has no effect on this host; only the range is validated. */
    private void cacheOp(long offset, long length) {
        synchronized (lock) {
            if (length == 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
            long end = offset + length;
            if (offset < 0 || end < offset || end > size) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE);
        }
    }

    // ---- cache policy ----

    /**
     * {@code zx_vmo_set_cache_policy}. Only the policy value is kept: host memory is always cached,
     * but uncached VMOs refuse kernel reads and writes as Zircon does. Setting the current policy
     * again always succeeds (2020 code); otherwise a mapped VMO, a parent or a child is BAD_STATE.
     */
    public void setCachePolicy(int policy) {
        if ((policy & ~VmoOptions.CACHE_POLICY_MASK) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        synchronized (lock) {
            if (dead) throw new ZxException(ZxStatus.ERR_BAD_STATE);
            if (policy == cachePolicy) return;
            if (!physical && pages.committedBytes() != 0 && cachePolicy != VmoOptions.CACHE_POLICY_CACHED) throw new ZxException(ZxStatus.ERR_BAD_STATE);
            if (!mappings.isEmpty() || children != 0 || parent != null) throw new ZxException(ZxStatus.ERR_BAD_STATE);
            cachePolicy = policy;
        }
    }

    // ---- pins ----

    /**
     * Pins {@code [offset, offset + length)} (page aligned, checked by the caller) for a device:
     * commits the pages (fetching pager-backed ones as {@code who}) and counts a pin on them, so
     * they keep their contents and physical address until {@link #unpin}. Physical VMOs are
     * always pinned, as in Zircon: their pins are only counted.
     *
     * @return physical address of {@code offset}; the range is physically contiguous from there
     * @throws ZxException OUT_OF_RANGE beyond the size, BAD_STATE if destroyed, NO_MEMORY
     */
    public long pin(long offset, long length, BlockingContext who) {
        synchronized (lock) {
            if (dead) throw new ZxException(ZxStatus.ERR_BAD_STATE);
            checkPinRange(offset, length);
        }
        pages.ensurePresent(pagesBase + offset, length, who);
        synchronized (lock) {
            if (dead) throw new ZxException(ZxStatus.ERR_BAD_STATE);
            checkPinRange(offset, length);
            synchronized (pages.lock) {
                if (!physical) pages.commit(pagesBase + offset, length);
                pages.pinLocked(pagesBase + offset, pagesBase + offset + length);
                return pages.extent().physicalAddress() + pagesBase + offset;
            }
        }
    }

    private void checkPinRange(long offset, long length) {
        long end = offset + length;
        if (offset < 0 || length <= 0 || end < offset || end > size) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE);
    }

    /** Ends one {@link #pin} of exactly {@code [offset, offset + length)}. */
    public void unpin(long offset, long length) {
        synchronized (pages.lock) {
            pages.unpinLocked(pagesBase + offset, pagesBase + offset + length);
        }
    }

    /** True if a page of {@code [offset, offset + length)} is pinned. */
    public boolean isPinned(long offset, long length) {
        synchronized (pages.lock) {
            return pages.pinnedLocked(pagesBase + offset, pagesBase + offset + length);
        }
    }

    /** Physical address of byte {@code offset} (stable while the VMO is pinned, contiguous or physical). */
    public long physicalAddress(long offset) {
        return pages.physicalAddress(pagesBase + offset);
    }

    // ---- vDSO ----

    /**
     * Marks this VMO as the vDSO image: a process may then map {@code [codeOffset, +codeLength)}
     * executable exactly once and never unmap, protect or overwrite that mapping.
     */
    public void markAsVdso(long codeOffset, long codeLength) {
        vdsoCode = new long[] {codeOffset, codeLength};
    }

    boolean isVdso() {
        return vdsoCode != null;
    }

    boolean isValidVdsoCodeMapping(long offset, long length) {
        long[] c = vdsoCode;
        return c != null && c[0] == offset && c[1] == length;
    }

    // ---- children ----

    /**
     * {@code zx_vmo_create_child} (rights are the caller's business, see {@link VmoOptions#childRights}).
     * {@link VmoOptions#CHILD_NO_WRITE} only affects the handle and is ignored here.
     *
     * @throws ZxException INVALID_ARGS for bad option combinations or an unaligned offset (and a
     *     slice outside the parent, as the 2020 code does), OUT_OF_RANGE for a too-large size,
     *     NOT_SUPPORTED for a slice of a resizable VMO or a SNAPSHOT of a pager-backed one,
     *     BAD_STATE for an uncached parent
     */
    public Vmo createChild(int options, long offset, long childSize, boolean copyName) {
        options &= ~VmoOptions.CHILD_NO_WRITE;
        if ((options & VmoOptions.CHILD_SLICE) != 0) {
            if ((options & ~VmoOptions.CHILD_SLICE) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "slice takes no other flags");
            return createSlice(offset, childSize, copyName);
        }
        boolean atLeastOnWrite;
        if ((options & VmoOptions.CHILD_SNAPSHOT) != 0) {
            options &= ~VmoOptions.CHILD_SNAPSHOT;
            atLeastOnWrite = false;
        } else if ((options & VmoOptions.CHILD_SNAPSHOT_AT_LEAST_ON_WRITE) != 0) {
            options &= ~VmoOptions.CHILD_SNAPSHOT_AT_LEAST_ON_WRITE;
            atLeastOnWrite = true;
        } else {
            throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "child type missing");
        }
        boolean childResizable = (options & VmoOptions.CHILD_RESIZABLE) != 0;
        options &= ~VmoOptions.CHILD_RESIZABLE;
        if (options != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "unknown child options");
        return createClone(atLeastOnWrite, childResizable, offset, childSize, copyName);
    }

    private Vmo createSlice(long offset, long childSize, boolean copyName) {
        if (offset % PAGE_SIZE != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "unaligned offset");
        long rounded = roundSize(childSize);
        synchronized (lock) {
            if (dead) throw new ZxException(ZxStatus.ERR_BAD_STATE);
            if (offset < 0 || offset > size || rounded > size - offset) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "slice outside parent");
            if (resizable) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED, "slice of a resizable vmo");
            // Physical slices inherit the policy (2020 VmObjectPhysical); paged ones need a cached parent.
            if (!physical && cachePolicy != VmoOptions.CACHE_POLICY_CACHED) throw new ZxException(ZxStatus.ERR_BAD_STATE);
            synchronized (pages.lock) {
                pagesRef.users++;
            }
            Vmo child = new Vmo(kernel(), Kind.SLICE, pages, pagesRef, pagesBase + offset, rounded, false, this);
            child.contentSize = childSize;
            child.cachePolicy = cachePolicy;
            adoptChildLocked(child, copyName);
            return child;
        }
    }

    private Vmo createClone(boolean atLeastOnWrite, boolean childResizable, long offset, long childSize, boolean copyName) {
        if (physical) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED, "clone of a physical vmo");
        if (offset % PAGE_SIZE != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "unaligned offset");
        long rounded = roundSize(childSize);
        if (Long.compareUnsigned(offset, MAX_SIZE) > 0) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE);
        boolean lazy = isPagerBacked();
        if (lazy && !atLeastOnWrite) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED, "snapshot of a pager-backed vmo");
        if (lazy && rounded > MAX_TRACKED_SIZE) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE);
        synchronized (lock) {
            if (dead) throw new ZxException(ZxStatus.ERR_BAD_STATE);
            if (cachePolicy != VmoOptions.CACHE_POLICY_CACHED) throw new ZxException(ZxStatus.ERR_BAD_STATE);
            VmoPages childPages;
            if (lazy) {
                kernelRefs++;
                childPages = new VmoPages(kernel().memory(), capacityFor(rounded, childResizable), rounded, new ParentCopyProvider(this, offset));
            } else {
                childPages = new VmoPages(kernel().memory(), capacityFor(rounded, childResizable), rounded, null);
                // Eager copy: the child sees the parent as of now, neither sees the other's later writes.
                long n = offset >= size ? 0 : Math.min(rounded, size - offset);
                if (n > 0) {
                    synchronized (pages.lock) {
                        try {
                            pages.extent().copyTo(pagesBase + offset, childPages.extent(), 0, n);
                        } catch (MemoryLimitException e) {
                            childPages.close();
                            throw new ZxException(ZxStatus.ERR_NO_MEMORY, e.getMessage());
                        }
                    }
                }
            }
            Vmo child = new Vmo(kernel(), Kind.COW_CLONE, childPages, new PagesRef(), 0, rounded, childResizable, this);
            child.contentSize = childSize;
            adoptChildLocked(child, copyName);
            return child;
        }
    }

    private void adoptChildLocked(Vmo child, boolean copyName) {
        if (copyName) child.setName(nameBytes());
        if (children++ == 0) updateSignals(Signals.VMO_ZERO_CHILDREN, 0);
    }

    private void childGone() {
        synchronized (lock) {
            if (--children == 0) updateSignals(0, Signals.VMO_ZERO_CHILDREN);
        }
    }

    // ---- lifetime ----

    /** Keeps the VMO alive without a handle (kernel users that hold it beyond its handles). */
    public void retain() {
        synchronized (lock) {
            if (dead) throw new ZxException(ZxStatus.ERR_BAD_STATE, "vmo destroyed");
            kernelRefs++;
        }
    }

    /** Drops a {@link #retain()}; the VMO dies when no handle and no kernel reference remain. */
    public void release() {
        boolean gone;
        synchronized (lock) {
            if (kernelRefs <= 0) throw new IllegalStateException("unbalanced release of " + this);
            gone = --kernelRefs == 0 && handleCount() == 0 && !dead;
            if (gone) dead = true;
        }
        if (gone) destroy();
    }

    @Override
    protected void onZeroHandles() {
        boolean gone;
        synchronized (lock) {
            hadHandles = true;
            gone = kernelRefs == 0 && !dead;
            if (gone) dead = true;
        }
        if (gone) destroy();
    }

    /** True once the last handle and kernel reference went away. */
    public boolean isDead() {
        synchronized (lock) {
            return dead;
        }
    }

    private void destroy() {
        if (parent != null) parent.childGone();
        if (pages.provider() instanceof ParentCopyProvider p) p.parent().release();
        if (kind == Kind.PAGED && pages.provider() instanceof PagerSource ps) ps.vmoDestroyed();
        boolean free;
        synchronized (pages.lock) {
            free = --pagesRef.users == 0;
        }
        if (free) pages.close();
    }

    // ---- mappings ----

    /** Registers a mapping (it keeps the VMO alive). */
    void addMapping(VmMapping m) {
        synchronized (lock) {
            if (dead) throw new ZxException(ZxStatus.ERR_BAD_STATE, "vmo destroyed");
            mappings.add(m);
            kernelRefs++;
        }
    }

    void removeMapping(VmMapping m) {
        synchronized (lock) {
            if (!mappings.remove(m)) return;
        }
        release();
    }

    /** Extent and offset a host mapping of {@code [vmoOffset, +length)} uses; length clipped to the extent. */
    HostRange hostRange(long vmoOffset, long length) {
        synchronized (pages.lock) {
            MemoryExtent e = pages.extent();
            long at = pagesBase + vmoOffset;
            long n = at >= e.capacity() ? 0 : Math.min(length, e.capacity() - at);
            return new HostRange(e, at, n);
        }
    }

    record HostRange(MemoryExtent extent, long offset, long length) {}

    // ---- info ----

    /** {@code zx_info_vmo_t} for this VMO, seen through a handle with {@code handleRights} or through a mapping. */
    public VmoInfo info(boolean viaHandle, int handleRights) {
        synchronized (lock) {
            int flags = (physical ? VmoOptions.INFO_TYPE_PHYSICAL : VmoOptions.INFO_TYPE_PAGED)
                    | (resizable ? VmoOptions.INFO_RESIZABLE : 0)
                    | (isPagerBacked() ? VmoOptions.INFO_PAGER_BACKED : 0)
                    | (kind == Kind.COW_CLONE ? VmoOptions.INFO_IS_COW_CLONE : 0)
                    | (contiguous ? VmoOptions.INFO_CONTIGUOUS : 0)
                    | (viaHandle ? VmoOptions.INFO_VIA_HANDLE : VmoOptions.INFO_VIA_MAPPING);
            return new VmoInfo(koid(), nameBytes(), size, parent == null ? 0 : parent.koid(), children,
                    mappings.size(), shareCountLocked(), flags, committedBytes(), viaHandle ? handleRights : 0, cachePolicy);
        }
    }

    /** Number of address spaces mapping this VMO (1 when mapped at most once, as Zircon reports). */
    public long shareCount() {
        synchronized (lock) {
            return shareCountLocked();
        }
    }

    private long shareCountLocked() {
        if (mappings.size() < 2) return 1;
        IdentityHashMap<VmAddressSpace, Boolean> seen = new IdentityHashMap<>();
        for (VmMapping m : mappings) seen.put(m.addressSpace(), Boolean.TRUE);
        return seen.size();
    }

    /** Snapshot of the current mappings (for diagnostics). */
    List<VmMapping> mappings() {
        synchronized (lock) {
            return List.copyOf(mappings);
        }
    }
}
