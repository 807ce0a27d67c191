package dev.zjvm.object.hypervisor;

import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import java.util.Map;
import java.util.TreeMap;

/**
 * A guest's traps: one table for guest-physical ranges (BELL and MEM share it, as in Zircon) and one
 * for IO ports. Thread-safe.
 */
final class TrapTable {
    private final TreeMap<Long, Trap> memory = new TreeMap<>();
    private final TreeMap<Long, Trap> io = new TreeMap<>();

    private TreeMap<Long, Trap> tableOf(int kind) {
        return kind == Trap.IO ? io : memory;
    }

    /**
     * @throws ZxException ALREADY_EXISTS if the range overlaps a trap of the same table (Zircon only
     *     catches an equal start; any overlap is refused here, since a lookup could not tell them apart)
     */
    synchronized void insert(Trap trap) {
        if (overlapsLocked(trap.kind(), trap.start(), trap.end())) throw new ZxException(ZxStatus.ERR_ALREADY_EXISTS);
        tableOf(trap.kind()).put(trap.start(), trap);
    }

    synchronized boolean overlaps(int kind, long start, long end) {
        return overlapsLocked(kind, start, end);
    }

    private boolean overlapsLocked(int kind, long start, long end) {
        TreeMap<Long, Trap> t = tableOf(kind);
        Map.Entry<Long, Trap> before = t.lowerEntry(end);
        return before != null && before.getValue().end() > start;
    }

    synchronized void remove(Trap trap) {
        tableOf(trap.kind()).remove(trap.start(), trap);
    }

    /** The trap of a guest-physical address (BELL or MEM), or null. */
    synchronized Trap findMemory(long gpa) {
        return find(memory, gpa);
    }

    synchronized Trap findIo(int port) {
        return find(io, port);
    }

    private static Trap find(TreeMap<Long, Trap> t, long at) {
        Map.Entry<Long, Trap> e = t.floorEntry(at);
        return e != null && e.getValue().contains(at) ? e.getValue() : null;
    }
}
