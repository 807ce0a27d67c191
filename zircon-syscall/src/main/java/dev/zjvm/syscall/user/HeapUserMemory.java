package dev.zjvm.syscall.user;

import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import java.util.Map;
import java.util.TreeMap;

/**
 * User memory made of Java arrays at chosen guest addresses, for tests and for kernels that run
 * no guest code. Regions are readable, optionally writable; everything else is unmapped.
 * Thread-safe (accesses are serialized; this is not a fast path).
 */
public final class HeapUserMemory implements UserMemory {
    private record Region(long base, byte[] bytes, boolean writable) {
        long end() {
            return base + bytes.length;
        }
    }

    private final TreeMap<Long, Region> regions = new TreeMap<>();

    /** Maps {@code size} zeroed bytes at {@code vaddr}. @throws IllegalArgumentException on overlap or at 0 */
    public synchronized void map(long vaddr, int size, boolean writable) {
        if (vaddr <= 0 || size <= 0 || vaddr + size < vaddr) throw new IllegalArgumentException("bad region");
        Map.Entry<Long, Region> below = regions.floorEntry(vaddr + size - 1);
        if (below != null && below.getValue().end() > vaddr) throw new IllegalArgumentException("overlap");
        regions.put(vaddr, new Region(vaddr, new byte[size], writable));
    }

    /** Removes the region that starts at {@code vaddr}. */
    public synchronized void unmap(long vaddr) {
        regions.remove(vaddr);
    }

    @Override
    public synchronized void read(long vaddr, byte[] dst, int off, int len) {
        copy(vaddr, dst, off, len, false);
    }

    @Override
    public synchronized void write(long vaddr, byte[] src, int off, int len) {
        copy(vaddr, src, off, len, true);
    }

    private void copy(long vaddr, byte[] buf, int off, int len, boolean toGuest) {
        UserMemory.checkRange(vaddr, len);
        if (len == 0) return;
        // Check the whole range first so a failed copy changes nothing. Walk by offsets: the
        // end address may not be representable as a positive long.
        for (long done = 0; done < len; ) {
            Region r = regionAt(vaddr + done);
            if (r == null || (toGuest && !r.writable())) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
            done = r.end() - vaddr;
        }
        for (int done = 0; done < len; ) {
            long a = vaddr + done;
            Region r = regionAt(a);
            int n = (int) Math.min(len - done, r.end() - a);
            int ro = (int) (a - r.base());
            if (toGuest) System.arraycopy(buf, off + done, r.bytes(), ro, n);
            else System.arraycopy(r.bytes(), ro, buf, off + done, n);
            done += n;
        }
    }

    private Region regionAt(long a) {
        if (a <= 0) return null;
        Map.Entry<Long, Region> e = regions.floorEntry(a);
        if (e == null || e.getValue().end() <= a) return null;
        return e.getValue();
    }
}
