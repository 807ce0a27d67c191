package dev.zjvm.object.vm;

import dev.zjvm.hal.mem.GuestAddressSpace;
import dev.zjvm.object.Kernel;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.task.BlockingContext;
import dev.zjvm.object.task.ProcessAddressSpace;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One process's address space: the root VMAR over a {@link GuestAddressSpace} and the lock that
 * guards the whole VMAR tree. Structural changes (map, unmap, protect, allocate, destroy) take it
 * exclusively; kernel copies to and from user memory take it shared, so no guest thread can unmap
 * a range while the kernel copies through it.
 *
 * <p>User memory is always reached through the mapped VMOs, never through host addresses: the
 * copy works the same for native and detached spaces and cannot fault.
 */
public final class VmAddressSpace implements ProcessAddressSpace, AutoCloseable {
    /** Default size of a process address space. */
    public static final long DEFAULT_SIZE = 1L << 36;

    private final Kernel kernel;
    private final GuestAddressSpace guest;
    private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
    private final Vmar root;
    private VmMapping vdsoCode;
    private boolean closed;

    private VmAddressSpace(Kernel kernel, GuestAddressSpace guest) {
        this.kernel = kernel;
        this.guest = guest;
        this.root = new Vmar(this, null, guest.base(), guest.size(),
                VmOptions.CAN_MAP_RWX | VmOptions.CAN_MAP_SPECIFIC, "root");
    }

    /** A new address space of {@code size} bytes from {@link Kernel#newAddressSpace}. */
    public static VmAddressSpace create(Kernel kernel, long size) {
        return new VmAddressSpace(kernel, kernel.newAddressSpace(size));
    }

    /** An address space over an existing guest range (tests, the loader). */
    public static VmAddressSpace over(Kernel kernel, GuestAddressSpace guest) {
        return new VmAddressSpace(kernel, Objects.requireNonNull(guest));
    }

    /**
     * Makes every new process of {@code kernel} get a {@link VmAddressSpace} of {@code size} bytes
     * (installs the {@link ProcessAddressSpace.Factory} service).
     */
    public static void installFactory(Kernel kernel, long size) {
        kernel.installService(ProcessAddressSpace.Factory.class, process -> create(kernel, size));
    }

    /** The address space of {@code process}, or null when it has none (no factory installed). */
    public static VmAddressSpace of(dev.zjvm.object.task.Process process) {
        return process.addressSpace() instanceof VmAddressSpace as ? as : null;
    }

    public Kernel kernel() {
        return kernel;
    }

    @Override
    public Vmar rootVmar() {
        return root;
    }

    @Override
    public void destroy() {
        close();
    }

    public Vmar root() {
        return root;
    }

    public GuestAddressSpace guest() {
        return guest;
    }

    // ---- lock ----

    void readLock() {
        rw.readLock().lock();
    }

    void readUnlock() {
        rw.readLock().unlock();
    }

    void writeLock() {
        rw.writeLock().lock();
    }

    void writeUnlock() {
        rw.writeLock().unlock();
    }

    VmMapping vdsoCode() {
        return vdsoCode;
    }

    void setVdsoCode(VmMapping m) {
        vdsoCode = m;
    }

    /** Base address of the executable vDSO mapping minus its VMO offset (the vDSO's load address), or 0. */
    public long vdsoBase() {
        readLock();
        try {
            return vdsoCode == null ? 0 : vdsoCode.base() - vdsoCode.vmoOffset();
        } finally {
            readUnlock();
        }
    }

    // ---- user memory ----

    /** What a copy does with one piece of a VMO. */
    @FunctionalInterface
    private interface PieceCopy {
        void copy(Vmo vmo, long vmoOffset, long done, long length);
    }

    /**
     * Copies {@code length} bytes of user memory at {@code vaddr} into {@code dst} (copy-in).
     *
     * @throws ZxException INVALID_ARGS unless the whole range is mapped readable by the user
     */
    public void read(long vaddr, MemorySegment dst, long dstOffset, long length) {
        read(vaddr, dst, dstOffset, length, BlockingContext.NONE);
    }

    /** As {@link #read(long, MemorySegment, long, long)}; pager waits happen as {@code who}. */
    public void read(long vaddr, MemorySegment dst, long dstOffset, long length, BlockingContext who) {
        copy(vaddr, length, VmOptions.PERM_READ, who, (vmo, off, done, n) -> vmo.readMapped(off, dst, dstOffset + done, n, BlockingContext.NONE));
    }

    public void read(long vaddr, byte[] dst, int dstOffset, int length) {
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        read(vaddr, MemorySegment.ofArray(dst), dstOffset, length);
    }

    /**
     * Copies {@code length} bytes from {@code src} to user memory at {@code vaddr} (copy-out).
     *
     * @throws ZxException INVALID_ARGS unless the whole range is mapped writable by the user
     */
    public void write(long vaddr, MemorySegment src, long srcOffset, long length) {
        write(vaddr, src, srcOffset, length, BlockingContext.NONE);
    }

    /** As {@link #write(long, MemorySegment, long, long)}; pager waits happen as {@code who}. */
    public void write(long vaddr, MemorySegment src, long srcOffset, long length, BlockingContext who) {
        copy(vaddr, length, VmOptions.PERM_WRITE, who, (vmo, off, done, n) -> vmo.writeMapped(off, src, srcOffset + done, n, BlockingContext.NONE));
    }

    public void write(long vaddr, byte[] src, int srcOffset, int length) {
        Objects.checkFromIndexSize(srcOffset, length, src.length);
        write(vaddr, MemorySegment.ofArray(src), srcOffset, length);
    }

    /** True when {@code [vaddr, +length)} is entirely mapped with {@code perms} (PERM_* bits) right now. */
    public boolean isAccessible(long vaddr, long length, int perms) {
        readLock();
        try {
            return length == 0 || (length > 0 && Long.compareUnsigned(vaddr + length, vaddr) >= 0 && pieces(vaddr, length, perms) != null);
        } finally {
            readUnlock();
        }
    }

    /**
     * Why a user access to {@code [vaddr, +length)} with {@code perm} would fault, as Zircon's soft
     * fault reports it: {@code ZX_OK}, {@code ZX_ERR_NOT_FOUND} (a page is not mapped, or lies past
     * the end of its VMO) or {@code ZX_ERR_ACCESS_DENIED} (mapped without the permission).
     * For the calls that report faults in user buffers this way (vmo_read/write, stream I/O).
     */
    public int probe(long vaddr, long length, int perm) {
        if (length == 0) return ZxStatus.OK;
        if (length < 0 || Long.compareUnsigned(vaddr + length, vaddr) < 0) return ZxStatus.ERR_NOT_FOUND;
        readLock();
        try {
            long at = vaddr;
            long end = vaddr + length;
            while (Long.compareUnsigned(at, end) < 0) {
                VmMapping m = root.findMappingLocked(at);
                if (m == null) return ZxStatus.ERR_NOT_FOUND;
                if ((m.perms() & perm) != perm) return ZxStatus.ERR_ACCESS_DENIED;
                long n = Math.min(m.end(), end) - at;
                if (m.vmoOffset() + (at - m.base()) + n > m.vmo().size()) return ZxStatus.ERR_NOT_FOUND;
                at += n;
            }
            return ZxStatus.OK;
        } finally {
            readUnlock();
        }
    }

    private void copy(long vaddr, long length, int perm, BlockingContext who, PieceCopy op) {
        if (length == 0) return;
        if (length < 0 || Long.compareUnsigned(vaddr + length, vaddr) < 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "bad user range");
        while (true) {
            Object[] missing;
            readLock();
            try {
                List<VmMapping> pieces = pieces(vaddr, length, perm);
                if (pieces == null) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "user memory not accessible");
                missing = firstMissing(vaddr, length, pieces);
                if (missing == null) {
                    copyPieces(vaddr, length, pieces, op);
                    return;
                }
            } catch (ZxException e) {
                if (e.status() == ZxStatus.ERR_OUT_OF_RANGE) throw new ZxException(ZxStatus.ERR_INVALID_ARGS, "user range beyond the vmo");
                throw e;
            } finally {
                readUnlock();
            }
            // Waiting for a pager must not hold the lock (the pager's own vmar calls need it):
            // fetch the pages, then check the mappings again.
            ((Vmo) missing[0]).prefetch((Long) missing[1], (Long) missing[2], who);
        }
    }

    /** The mappings covering the range in order, or null unless all of it is mapped with {@code perm}. Lock held. */
    private List<VmMapping> pieces(long vaddr, long length, int perm) {
        List<VmMapping> pieces = new ArrayList<>(2);
        long at = vaddr;
        long end = vaddr + length;
        while (Long.compareUnsigned(at, end) < 0) {
            VmMapping m = root.findMappingLocked(at);
            if (m == null || (m.perms() & perm) != perm) return null;
            long n = Math.min(m.end(), end) - at;
            if (m.vmoOffset() + (at - m.base()) + n > m.vmo().size()) return null;
            pieces.add(m);
            at += n;
        }
        return pieces;
    }

    /** {vmo, offset, length} of the first pager-backed piece with missing pages, or null. Lock held. */
    private static Object[] firstMissing(long vaddr, long length, List<VmMapping> pieces) {
        long at = vaddr;
        long end = vaddr + length;
        for (VmMapping m : pieces) {
            long n = Math.min(m.end(), end) - at;
            long off = m.vmoOffset() + (at - m.base());
            if (m.vmo().isPagerBacked() && !m.vmo().present(off, n)) return new Object[] {m.vmo(), off, n};
            at += n;
        }
        return null;
    }

    private static void copyPieces(long vaddr, long length, List<VmMapping> pieces, PieceCopy op) {
        long at = vaddr;
        long end = vaddr + length;
        for (VmMapping m : pieces) {
            long n = Math.min(m.end(), end) - at;
            op.copy(m.vmo(), m.vmoOffset() + (at - m.base()), at - vaddr, n);
            at += n;
        }
    }

    // ---- debugger access (zx_process_read_memory / write_memory) ----

    /**
     * Reads up to {@code length} bytes at {@code vaddr} regardless of the mapping's permissions,
     * stopping at the end of the mapping. Returns the byte count.
     *
     * @throws ZxException NO_MEMORY if nothing is mapped at {@code vaddr}
     */
    public int readMemory(long vaddr, byte[] dst, int dstOffset, int length) {
        return debugAccess(vaddr, length, false, (vmo, off, done, n) -> vmo.read(off, dst, dstOffset + (int) done, (int) n));
    }

    /**
     * Writes up to {@code length} bytes at {@code vaddr} through the mapped VMO, stopping at the
     * end of the mapping. Returns the byte count.
     *
     * @throws ZxException NO_MEMORY if nothing is mapped there, ACCESS_DENIED for the vDSO code
     */
    public int writeMemory(long vaddr, byte[] src, int srcOffset, int length) {
        return debugAccess(vaddr, length, true, (vmo, off, done, n) -> vmo.write(off, src, srcOffset + (int) done, (int) n));
    }

    private int debugAccess(long vaddr, int length, boolean write, PieceCopy op) {
        VmMapping m;
        long off;
        long n;
        readLock();
        try {
            m = root.findMappingLocked(vaddr);
            if (m == null) throw new ZxException(ZxStatus.ERR_NO_MEMORY, "nothing mapped");
            if (write && m == vdsoCode) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED, "vDSO code");
            off = m.vmoOffset() + (vaddr - m.base());
            n = Math.min(Math.min(length, m.end() - vaddr), m.vmo().size() - off);
            if (n <= 0) throw new ZxException(ZxStatus.ERR_NO_MEMORY, "mapping beyond the vmo");
        } finally {
            readUnlock();
        }
        // Copy outside the lock: the VMO keeps the data valid even if the range is unmapped meanwhile.
        op.copy(m.vmo(), off, 0, n);
        return (int) n;
    }

    // ---- info ----

    /** ZX_INFO_PROCESS_MAPS: the address space, then every region and mapping depth-first. */
    public List<MapsEntry> maps() {
        readLock();
        try {
            List<MapsEntry> out = new ArrayList<>();
            out.add(new MapsEntry("aspace".getBytes(StandardCharsets.UTF_8), guest.base(), guest.size(), 0, MapsEntry.TYPE_ASPACE, 0, 0, 0, 0));
            if (!closed) root.collectLocked(out, 1);
            return out;
        } finally {
            readUnlock();
        }
    }

    /** ZX_INFO_PROCESS_VMOS (mapping part): one record per mapping, as Zircon lists them. */
    public List<VmoInfo> mappedVmos() {
        List<VmoInfo> out = new ArrayList<>();
        for (VmMapping m : root.mappings()) out.add(m.vmo().info(false, 0));
        return out;
    }

    /**
     * ZX_INFO_PROCESS_VMOS: the VMOs {@code process} holds handles to (VIA_HANDLE, with the
     * handle's rights), then those its address space maps (VIA_MAPPING), as Zircon lists them.
     */
    public static List<VmoInfo> processVmos(dev.zjvm.object.task.Process process) {
        List<VmoInfo> out = new ArrayList<>();
        for (dev.zjvm.object.handle.Handle h : process.handleTable().handles()) {
            if (h.object() instanceof Vmo v) out.add(v.info(true, h.rights()));
        }
        VmAddressSpace as = of(process);
        if (as != null) out.addAll(as.mappedVmos());
        return out;
    }

    /** Memory fields of ZX_INFO_TASK_STATS. */
    public MemoryStats memoryStats() {
        long mapped = 0;
        IdentityHashMap<Vmo, Boolean> vmos = new IdentityHashMap<>();
        for (VmMapping m : root.mappings()) {
            mapped += m.size();
            vmos.put(m.vmo(), Boolean.TRUE);
        }
        long priv = 0;
        long shared = 0;
        long scaled = 0;
        for (Vmo v : vmos.keySet()) {
            long committed = v.committedBytes();
            long share = v.shareCount();
            if (share <= 1) {
                priv += committed;
            } else {
                shared += committed;
                scaled += committed / share;
            }
        }
        return new MemoryStats(mapped, priv, shared, scaled);
    }

    // ---- teardown ----

    /** Unmaps everything (process death) and releases the guest range. Idempotent. */
    @Override
    public void close() {
        writeLock();
        try {
            if (closed) return;
            closed = true;
            vdsoCode = null;
            root.destroyLocked();
        } finally {
            writeUnlock();
        }
        guest.close();
    }

    public boolean isClosed() {
        readLock();
        try {
            return closed;
        } finally {
            readUnlock();
        }
    }
}
