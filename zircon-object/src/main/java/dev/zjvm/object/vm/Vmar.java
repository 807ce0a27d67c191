package dev.zjvm.object.vm;

import static dev.zjvm.object.vm.VmOptions.*;

import dev.zjvm.hal.mem.MemoryLimitException;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A virtual memory address region: a range of a process's address space holding sub-regions and
 * mappings, which never overlap. All state is guarded by the address space's lock; every mapping
 * change is carried out on the {@link dev.zjvm.hal.mem.GuestAddressSpace} as well.
 *
 * <p>Addresses are unsigned 64-bit values held in {@code long}s; all range arithmetic on guest
 * input is unsigned and overflow-checked.
 */
public final class Vmar extends KernelObject implements VmNode {
    private static final long PAGE = VmoPages.PAGE;
    /** Address entropy (2020 defaults): placements are chosen among the 2^bits lowest candidates. */
    private static final int ASLR_ENTROPY_BITS = 30;
    private static final int ASLR_COMPACT_ENTROPY_BITS = 8;

    private final VmAddressSpace aspace;
    private Vmar parent;
    private final long base;
    private final long size;
    /** CAN_MAP_* and COMPACT bits. */
    private final int flags;
    private final String regionName;
    private final TreeMap<Long, VmNode> children = new TreeMap<>();
    private boolean dead;

    Vmar(VmAddressSpace aspace, Vmar parent, long base, long size, int flags, String name) {
        super(aspace.kernel());
        this.aspace = aspace;
        this.parent = parent;
        this.base = base;
        this.size = size;
        this.flags = flags;
        this.regionName = name;
    }

    @Override
    public ObjectType type() {
        return ObjectType.VMAR;
    }

    @Override
    public long base() {
        return base;
    }

    @Override
    public long size() {
        return size;
    }

    /** CAN_MAP_* / COMPACT flags this region was created with. */
    public int flags() {
        return flags;
    }

    /**
     * Rights of a handle to this region: the VMAR defaults plus READ/WRITE/EXECUTE for each
     * CAN_MAP_* flag (2020 {@code VmAddressRegionDispatcher::Create}).
     */
    public int handleRights() {
        int r = ObjectType.VMAR.defaultRights();
        if ((flags & CAN_MAP_READ) != 0) r |= Rights.READ;
        if ((flags & CAN_MAP_WRITE) != 0) r |= Rights.WRITE;
        if ((flags & CAN_MAP_EXECUTE) != 0) r |= Rights.EXECUTE;
        return r;
    }

    public VmAddressSpace addressSpace() {
        return aspace;
    }

    public boolean isRoot() {
        return aspace.root() == this;
    }

    public boolean isDestroyed() {
        aspace.readLock();
        try {
            return dead;
        } finally {
            aspace.readUnlock();
        }
    }

    /** {@code zx_info_vmar_t} (ZX_INFO_VMAR): base and length, 16 bytes little-endian. */
    public byte[] infoBytes() {
        return java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(base).putLong(size).array();
    }

    String regionName() {
        return regionName;
    }

    // ---- range helpers (unsigned) ----

    private boolean inRange(long addr, long len) {
        long off = addr - base;
        return Long.compareUnsigned(addr, base) >= 0 && Long.compareUnsigned(off, size) < 0 && Long.compareUnsigned(len, size - off) <= 0;
    }

    private static long roundUpPage(long len) {
        return (len + PAGE - 1) & -PAGE;
    }

    private static boolean pageAligned(long v) {
        return (v & (PAGE - 1)) == 0;
    }

    private void checkAliveLocked() {
        if (dead) throw new ZxException(ZxStatus.ERR_BAD_STATE, "vmar destroyed");
    }

    /** Direct children overlapping {@code [addr, addr+len)} in address order. Caller holds the lock. */
    private List<VmNode> overlapping(long addr, long len) {
        List<VmNode> out = new ArrayList<>();
        long end = addr + len;
        Long from = children.floorKey(addr);
        for (VmNode n : (from == null ? children : children.tailMap(from, true)).values()) {
            if (Long.compareUnsigned(n.base(), end) >= 0) break;
            if (Long.compareUnsigned(n.end(), addr) > 0) out.add(n);
        }
        return out;
    }

    private boolean rangeFree(long addr, long len) {
        return overlapping(addr, len).isEmpty();
    }

    // ---- allocate ----

    /**
     * {@code zx_vmar_allocate} (the caller checks handle rights against CAN_MAP_*).
     *
     * @param offset relative to this region's base; only with {@link VmOptions#SPECIFIC}
     */
    public Vmar allocate(int options, long offset, long allocSize) {
        int align = alignLog2(options);
        if ((options & PERM_MASK) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "perm bits on allocate");
        int vmarFlags = options & KNOWN_FLAGS & ~PERM_MASK;
        if (!pageAligned(allocSize)) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "size not page aligned");
        if ((vmarFlags & ~(SPECIFIC | CAN_MAP_SPECIFIC | COMPACT | CAN_MAP_RWX)) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "bad allocate flags");
        aspace.writeLock();
        try {
            long childBase = placeLocked(offset, allocSize, align, vmarFlags);
            Vmar child = new Vmar(aspace, this, childBase, allocSize, vmarFlags & (CAN_MAP_RWX | CAN_MAP_SPECIFIC | COMPACT), "useralloc");
            children.put(childBase, child);
            return child;
        } finally {
            aspace.writeUnlock();
        }
    }

    /**
     * The shared checks and placement of CreateSubVmarInternal. With SPECIFIC_OVERWRITE the
     * returned range may be occupied; the caller clears it.
     */
    private long placeLocked(long offset, long len, int align, int vmarFlags) {
        checkAliveLocked();
        if (len == 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "size 0");
        if ((vmarFlags & ~flags & CAN_MAP_RWX) != 0) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED, "region lacks CAN_MAP permission");
        boolean overwrite = (vmarFlags & SPECIFIC_OVERWRITE) != 0;
        boolean specific = (vmarFlags & SPECIFIC) != 0 || overwrite;
        if (!specific && offset != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "offset without SPECIFIC");
        if (specific && (flags & CAN_MAP_SPECIFIC) == 0) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED, "region lacks CAN_MAP_SPECIFIC");
        if (Long.compareUnsigned(offset, size) >= 0 || Long.compareUnsigned(len, size - offset) > 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "range outside region");
        if (!specific) return allocSpotLocked(len, align);
        long at = base + offset;
        if (!pageAligned(at)) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "unaligned base");
        if (align > 0 && (at & ((1L << align) - 1)) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "base violates alignment");
        if (!rangeFree(at, len)) {
            if (overwrite) return at; // the caller replaces what is there
            throw new ZxException(ZxStatus.ERR_NO_MEMORY, "range in use");
        }
        return at;
    }

    /**
     * Picks a random spot among the lowest 2^entropy aligned candidates of all gaps (Zircon's
     * allocator), from the kernel's seedable random source.
     */
    private long allocSpotLocked(long len, int alignLog2) {
        int shift = Math.max(alignLog2, 12);
        long align = 1L << shift;
        long cap = 1L << ((flags & COMPACT) != 0 ? ASLR_COMPACT_ENTROPY_BITS : ASLR_ENTROPY_BITS);
        List<long[]> spans = new ArrayList<>();
        long total = 0;
        long gapStart = base;
        List<VmNode> nodes = new ArrayList<>(children.values());
        for (int i = 0; i <= nodes.size() && total < cap; i++) {
            long gapEnd = i < nodes.size() ? nodes.get(i).base() : base + size;
            long first = (gapStart + align - 1) & -align;
            if (Long.compareUnsigned(first, gapStart) >= 0 && Long.compareUnsigned(first, gapEnd) < 0
                    && Long.compareUnsigned(len, gapEnd - first) <= 0) {
                long n = Math.min(((gapEnd - first - len) >>> shift) + 1, cap - total);
                spans.add(new long[] {first, n});
                total += n;
            }
            if (i < nodes.size()) gapStart = nodes.get(i).end();
        }
        if (total == 0) throw new ZxException(ZxStatus.ERR_NO_MEMORY, "no room in vmar");
        long pick = Long.remainderUnsigned(aspace.kernel().randomLong(), total);
        for (long[] s : spans) {
            if (pick < s[1]) return s[0] + (pick << shift);
            pick -= s[1];
        }
        throw new IllegalStateException("allocation spot lost");
    }

    // ---- map ----

    /**
     * Maps {@code len} bytes (rounded up to pages) of {@code vmo} from {@code vmoOffset}.
     *
     * <p>{@code options} holds PERM_*, SPECIFIC, SPECIFIC_OVERWRITE, MAP_RANGE, the ALIGN field,
     * REQUIRE_NON_RESIZABLE, ALLOW_FAULTS and optionally CAN_MAP_READ/WRITE/EXECUTE: the
     * permissions {@link #protect} may later grant (the syscall layer adds those the handles
     * allow; requested permissions are always included).
     *
     * @param vmarOffset relative to this region's base; only with SPECIFIC(_OVERWRITE)
     * @return the new mapping ({@link VmMapping#base()} is the address)
     */
    public VmMapping map(int options, long vmarOffset, Vmo vmo, long vmoOffset, long len) {
        if (!validProtection(options)) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "WRITE/EXECUTE without READ");
        int align = alignLog2(options);
        if ((options & MAP_RANGE) != 0 && (options & SPECIFIC_OVERWRITE) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "MAP_RANGE with SPECIFIC_OVERWRITE");
        int perms = options & PERM_MASK;
        int vmarFlags = options & KNOWN_FLAGS & ~(PERM_MASK | MAP_RANGE | ALLOW_FAULTS);
        if ((vmarFlags & REQUIRE_NON_RESIZABLE) != 0) {
            vmarFlags &= ~REQUIRE_NON_RESIZABLE;
            if (vmo.isResizable()) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED, "resizable vmo");
        }
        if ((vmarFlags & ~(SPECIFIC | SPECIFIC_OVERWRITE | CAN_MAP_RWX)) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "bad map flags");
        long mapSize = roundUpPage(len);
        if (!pageAligned(vmoOffset) || Long.compareUnsigned(vmoOffset + mapSize, vmoOffset) < 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "bad vmo offset");
        vmarFlags |= canMapFor(perms);
        aspace.writeLock();
        try {
            long at = placeLocked(vmarOffset, mapSize, align, vmarFlags);
            boolean overwrite = (vmarFlags & SPECIFIC_OVERWRITE) != 0 && !rangeFree(at, mapSize);
            boolean vdso = vmo.isVdso() && (perms & PERM_EXECUTE) != 0;
            if (vdso && (aspace.vdsoCode() != null || !vmo.isValidVdsoCodeMapping(vmoOffset, mapSize))) {
                throw new ZxException(ZxStatus.ERR_ACCESS_DENIED, "bad vDSO code mapping");
            }
            // Held across the overwrite: replacing this VMO's own last mapping must not end it.
            vmo.retain();
            try {
                if (overwrite) unmapLocked(at, mapSize, false);
                VmMapping m = new VmMapping(this, at, mapSize, vmo, vmoOffset, perms, vmarFlags & CAN_MAP_RWX);
                vmo.addMapping(m);
                try {
                    hostMap(m);
                } catch (RuntimeException e) {
                    vmo.removeMapping(m);
                    throw e instanceof MemoryLimitException ? new ZxException(ZxStatus.ERR_NO_MEMORY, e.getMessage()) : e;
                }
                children.put(at, m);
                if (vdso) aspace.setVdsoCode(m);
                return m;
            } finally {
                vmo.release();
            }
        } finally {
            aspace.writeUnlock();
        }
    }

    private void hostMap(VmMapping m) {
        Vmo.HostRange r = m.vmo().hostRange(m.vmoOffset(), m.size());
        if (r.length() > 0) aspace.guest().map(m.base(), r.extent(), r.offset(), r.length(), m.perms());
    }

    private void hostProtect(VmMapping piece, int perms) {
        long n = piece.vmo().hostRange(piece.vmoOffset(), piece.size()).length();
        try {
            if (n > 0) aspace.guest().protect(piece.base(), n, perms);
        } catch (MemoryLimitException e) {
            throw new ZxException(ZxStatus.ERR_NO_MEMORY, e.getMessage());
        }
    }

    // ---- unmap ----

    /** {@code zx_vmar_unmap}: splits partly covered mappings, destroys wholly covered sub-regions. */
    public void unmap(long addr, long len) {
        long n = roundUpPage(len);
        if (n == 0 || !pageAligned(addr)) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        aspace.writeLock();
        try {
            checkAliveLocked();
            unmapLocked(addr, n, true);
        } finally {
            aspace.writeUnlock();
        }
    }

    private void unmapLocked(long addr, long len, boolean canDestroyRegions) {
        if (!inRange(addr, len)) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "range outside vmar");
        if (children.isEmpty()) return;
        touchesVdso(addr, len);
        long end = addr + len;
        List<VmNode> hits = overlapping(addr, len);
        for (VmNode n : hits) {
            if (n instanceof Vmar && (!canDestroyRegions || Long.compareUnsigned(n.base(), addr) < 0 || Long.compareUnsigned(n.end(), end) > 0)) {
                throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "range partly covers a sub-vmar");
            }
        }
        for (VmNode n : hits) {
            if (n instanceof Vmar v) {
                v.destroyLocked();
                continue;
            }
            VmMapping m = (VmMapping) n;
            long from = Math.max(m.base(), addr);
            long to = Math.min(m.end(), end);
            List<VmMapping> keep = new ArrayList<>(2);
            if (m.base() < from) keep.add(m.piece(m.base(), from - m.base(), m.perms()));
            if (to < m.end()) keep.add(m.piece(to, m.end() - to, m.perms()));
            replace(m, keep);
            aspace.guest().unmap(from, to - from);
        }
    }

    /** Replaces a mapping by pieces of it; pieces are registered first so the VMO never looks unmapped. */
    private void replace(VmMapping old, List<VmMapping> pieces) {
        for (VmMapping p : pieces) p.vmo().addMapping(p);
        children.remove(old.base());
        for (VmMapping p : pieces) children.put(p.base(), p);
        if (aspace.vdsoCode() == old) aspace.setVdsoCode(null);
        old.vmo().removeMapping(old);
    }

    private void touchesVdso(long addr, long len) {
        VmMapping v = aspace.vdsoCode();
        if (v != null && Long.compareUnsigned(addr, v.end()) < 0 && Long.compareUnsigned(v.base(), addr + len) < 0) {
            throw new ZxException(ZxStatus.ERR_ACCESS_DENIED, "vDSO code mapping");
        }
    }

    // ---- protect ----

    /** {@code zx_vmar_protect}: options may hold only PERM_* bits. */
    public void protect(int options, long addr, long len) {
        if (!pageAligned(addr)) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        if (!validProtection(options)) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        if (alignLog2(options) != 0 || (options & ~PERM_MASK) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        int perms = options & PERM_MASK;
        long n = roundUpPage(len);
        if (n == 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        aspace.writeLock();
        try {
            checkAliveLocked();
            if (!inRange(addr, n)) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
            if (children.isEmpty()) throw new ZxException(ZxStatus.ERR_NOT_FOUND);
            long end = addr + n;
            List<VmNode> hits = overlapping(addr, n);
            if (hits.isEmpty() || Long.compareUnsigned(hits.get(0).base(), addr) > 0) throw new ZxException(ZxStatus.ERR_NOT_FOUND);
            long covered = hits.get(0).base();
            for (VmNode h : hits) {
                if (!(h instanceof VmMapping m)) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "range overlaps a sub-vmar");
                if (h.base() != covered) throw new ZxException(ZxStatus.ERR_NOT_FOUND, "hole in range");
                if (!m.allows(perms)) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED, "beyond the mapping's allowed permissions");
                if (m == aspace.vdsoCode()) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED, "vDSO code mapping");
                covered = h.end();
            }
            if (Long.compareUnsigned(covered, end) < 0) throw new ZxException(ZxStatus.ERR_NOT_FOUND, "range not fully mapped");
            for (VmNode h : hits) {
                VmMapping m = (VmMapping) h;
                long from = Math.max(m.base(), addr);
                long to = Math.min(m.end(), end);
                // The host change comes first: if the host refuses, this mapping stays as it was.
                if (from == m.base() && to == m.end()) {
                    hostProtect(m, perms);
                    m.setPerms(perms);
                    continue;
                }
                List<VmMapping> pieces = new ArrayList<>(3);
                if (m.base() < from) pieces.add(m.piece(m.base(), from - m.base(), m.perms()));
                VmMapping middle = m.piece(from, to - from, perms);
                pieces.add(middle);
                if (to < m.end()) pieces.add(m.piece(to, m.end() - to, m.perms()));
                hostProtect(middle, perms);
                replace(m, pieces);
            }
        } finally {
            aspace.writeUnlock();
        }
    }

    // ---- destroy ----

    /**
     * {@code zx_vmar_destroy}: unmaps everything inside and kills this region and its sub-regions;
     * later operations on them fail with BAD_STATE.
     *
     * @throws ZxException NOT_SUPPORTED for a root VMAR, BAD_STATE if already destroyed
     */
    public void destroy() {
        if (isRoot()) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED, "root vmar");
        aspace.writeLock();
        try {
            checkAliveLocked();
            destroyLocked();
        } finally {
            aspace.writeUnlock();
        }
    }

    void destroyLocked() {
        for (VmNode n : List.copyOf(children.values())) {
            if (n instanceof Vmar v) {
                v.destroyLocked();
            } else {
                VmMapping m = (VmMapping) n;
                children.remove(m.base());
                aspace.guest().unmap(m.base(), m.size());
                if (aspace.vdsoCode() == m) aspace.setVdsoCode(null);
                m.vmo().removeMapping(m);
            }
        }
        if (parent != null) parent.children.remove(base);
        parent = null;
        dead = true;
    }

    // ---- op_range ----

    /** {@code zx_vmar_op_range}: only DECOMMIT in 2020, over a range fully covered by mappings. */
    public void opRange(int op, long addr, long len) {
        long n = roundUpPage(len);
        if (n == 0 || !pageAligned(addr)) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        aspace.writeLock();
        try {
            checkAliveLocked();
            if (!inRange(addr, n)) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE);
            if (children.isEmpty()) throw new ZxException(ZxStatus.ERR_BAD_STATE);
            touchesVdso(addr, n);
            long end = addr + n;
            long at = addr;
            for (VmNode h : overlapping(addr, n)) {
                if (!(h instanceof VmMapping m)) throw new ZxException(ZxStatus.ERR_BAD_STATE, "range includes a sub-vmar");
                if (Long.compareUnsigned(at, h.base()) < 0) throw new ZxException(ZxStatus.ERR_BAD_STATE, "unmapped pages in range");
                long to = Math.min(h.end(), end);
                if (op != VmoOptions.OP_DECOMMIT) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
                if ((m.maxFlags() & CAN_MAP_WRITE) == 0) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED);
                m.vmo().decommit(m.vmoOffset() + (at - m.base()), to - at);
                at = to;
            }
            if (at != end) throw new ZxException(ZxStatus.ERR_BAD_STATE, "unmapped pages at end of range");
        } finally {
            aspace.writeUnlock();
        }
    }

    // ---- lookup and enumeration (caller holds the lock) ----

    /** The mapping containing {@code addr} in this region or below, or null. */
    VmMapping findMappingLocked(long addr) {
        Vmar cur = this;
        while (true) {
            Map.Entry<Long, VmNode> e = cur.children.floorEntry(addr);
            if (e == null || Long.compareUnsigned(addr - e.getKey(), e.getValue().size()) >= 0) return null;
            if (e.getValue() instanceof VmMapping m) return m;
            cur = (Vmar) e.getValue();
        }
    }

    void collectLocked(List<MapsEntry> out, long depth) {
        out.add(new MapsEntry(regionName.getBytes(java.nio.charset.StandardCharsets.UTF_8), base, size, depth, MapsEntry.TYPE_VMAR, 0, 0, 0, 0));
        for (VmNode n : children.values()) {
            if (n instanceof Vmar v) {
                v.collectLocked(out, depth + 1);
            } else {
                VmMapping m = (VmMapping) n;
                long committed = Math.min(m.vmo().committedBytes(), m.size()) / PAGE;
                out.add(new MapsEntry(m.vmo().nameBytes(), m.base(), m.size(), depth + 1, MapsEntry.TYPE_MAPPING, m.perms(), m.vmo().koid(), m.vmoOffset(), committed));
            }
        }
    }

    void mappingsLocked(List<VmMapping> out) {
        for (VmNode n : children.values()) {
            if (n instanceof Vmar v) {
                v.mappingsLocked(out);
            } else {
                out.add((VmMapping) n);
            }
        }
    }

    /** The mappings directly or indirectly inside this region, in address order. */
    public List<VmMapping> mappings() {
        aspace.readLock();
        try {
            List<VmMapping> out = new ArrayList<>();
            mappingsLocked(out);
            return out;
        } finally {
            aspace.readUnlock();
        }
    }
}
