package dev.zjvm.object.handle;

import dev.zjvm.object.KernelObject;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One process's handles, keyed by 32-bit handle values.
 *
 * <p>Value encoding, like Zircon's: {@code ((generation << 18 | slot) << 2 | 0x3) ^ mask}. The two
 * low bits are always set ({@code ZX_HANDLE_FIXED_BITS_MASK}) so no value is 0; the per-table
 * random mask (low bits clear) makes values differ between processes; the generation, bumped when
 * a slot is freed, keeps a closed value from naming a new handle until the slot has been reused
 * 4096 times.
 *
 * <p>Look-up order is Zircon's: BAD_HANDLE (not in this table), WRONG_TYPE, ACCESS_DENIED.
 *
 * <p>Thread-safe. Handles are destroyed outside the table lock, because destroying a handle can
 * run arbitrary object code (peer-closed notifications, process teardown).
 */
public final class HandleTable {
    /** Slots per table ({@code kMaxHandleCount} is per-kernel in Zircon; here it bounds one process). */
    public static final int MAX_HANDLES = 1 << 18;
    private static final int SLOT_BITS = 18;
    private static final int SLOT_MASK = MAX_HANDLES - 1;
    private static final int GEN_MASK = (1 << (30 - SLOT_BITS)) - 1;

    private final int mask;
    private Handle[] slots = new Handle[16];
    private int[] generations = new int[16];
    private int[] free = new int[16];
    private int freeCount;
    private int used; // slots ever handed out (high-water mark)
    private int count;
    private boolean closed;

    /** @param randomMask random bits mixed into every value (e.g. {@code kernel.randomLong()}) */
    public HandleTable(long randomMask) {
        this.mask = (int) randomMask & ~0x3;
    }

    /** Number of handles in the table. */
    public synchronized int count() {
        return count;
    }

    /**
     * Installs a handle and returns its value.
     *
     * @throws ZxException NO_RESOURCES if the table is full, BAD_STATE once {@link #closeAll} ran
     *     (the handle is then destroyed, as nothing can own it any more)
     */
    public int add(Handle handle) {
        int error;
        synchronized (this) {
            if (!closed && count < MAX_HANDLES) return insert(handle);
            error = closed ? ZxStatus.ERR_BAD_STATE : ZxStatus.ERR_NO_RESOURCES;
        }
        handle.destroy();
        throw new ZxException(error);
    }

    private int insert(Handle handle) {
        int slot;
        if (freeCount > 0) {
            slot = free[--freeCount];
        } else {
            slot = used++;
            if (slot == slots.length) {
                int n = Math.min(slots.length * 2, MAX_HANDLES);
                slots = Arrays.copyOf(slots, n);
                generations = Arrays.copyOf(generations, n);
            }
        }
        slots[slot] = handle;
        count++;
        return encode(slot, generations[slot]);
    }

    private int encode(int slot, int generation) {
        return (((generation << SLOT_BITS) | slot) << 2 | 0x3) ^ mask;
    }

    /** Slot index of a live value, or -1. Caller holds the lock. */
    private int slotOf(int value) {
        int v = value ^ mask;
        if ((v & 0x3) != 0x3) return -1;
        int base = v >>> 2;
        int slot = base & SLOT_MASK;
        if (slot >= used || slots[slot] == null || generations[slot] != (base >>> SLOT_BITS)) return -1;
        return slot;
    }

    private Handle take(int slot) {
        Handle h = slots[slot];
        slots[slot] = null;
        generations[slot] = (generations[slot] + 1) & GEN_MASK;
        if (freeCount == free.length) free = Arrays.copyOf(free, free.length * 2);
        free[freeCount++] = slot;
        count--;
        return h;
    }

    /** The handle with this value. @throws ZxException BAD_HANDLE */
    public synchronized Handle handle(int value) {
        int slot = slotOf(value);
        if (slot < 0) throw new ZxException(ZxStatus.ERR_BAD_HANDLE);
        return slots[slot];
    }

    /** True when {@code value} names a handle in this table. */
    public synchronized boolean isValid(int value) {
        return slotOf(value) >= 0;
    }

    /**
     * The handle with this value, checked in Zircon's order.
     *
     * @param type           required object class ({@code KernelObject.class} accepts any)
     * @param requiredRights rights the handle must carry
     * @throws ZxException BAD_HANDLE, then WRONG_TYPE, then ACCESS_DENIED
     */
    public Handle handle(int value, Class<? extends KernelObject> type, int requiredRights) {
        Handle h = handle(value);
        if (!type.isInstance(h.object())) throw new ZxException(ZxStatus.ERR_WRONG_TYPE);
        if (!h.hasRights(requiredRights)) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED);
        return h;
    }

    /** The object behind a handle, checked like {@link #handle(int, Class, int)}. */
    public <T extends KernelObject> T get(int value, Class<T> type, int requiredRights) {
        return type.cast(handle(value, type, requiredRights).object());
    }

    /**
     * Removes a handle without destroying it (it moves into a message or another table).
     *
     * @throws ZxException BAD_HANDLE
     */
    public synchronized Handle remove(int value) {
        int slot = slotOf(value);
        if (slot < 0) throw new ZxException(ZxStatus.ERR_BAD_HANDLE);
        return take(slot);
    }

    /** {@code zx_handle_close}: 0 is a no-op. @throws ZxException BAD_HANDLE */
    public void close(int value) {
        if (value == 0) return;
        remove(value).destroy();
    }

    /**
     * {@code zx_handle_close_many}: closes every valid entry, skipping 0s.
     *
     * @return OK, or BAD_HANDLE if any non-zero entry was not a handle (the valid ones are closed anyway)
     */
    public int closeMany(int[] values) {
        List<Handle> victims = new ArrayList<>(values.length);
        boolean bad = false;
        synchronized (this) {
            for (int v : values) {
                if (v == 0) continue;
                int slot = slotOf(v);
                if (slot < 0) bad = true;
                else victims.add(take(slot));
            }
        }
        for (Handle h : victims) h.destroy();
        return bad ? ZxStatus.ERR_BAD_HANDLE : ZxStatus.OK;
    }

    /**
     * {@code zx_handle_duplicate}: a new handle to the same object.
     *
     * @param rights {@link Rights#SAME_RIGHTS} or a subset of the source's rights
     * @throws ZxException BAD_HANDLE, ACCESS_DENIED (no DUPLICATE), INVALID_ARGS (not a subset)
     */
    public int duplicate(int value, int rights) {
        Handle src = handle(value);
        if (!src.hasRights(Rights.DUPLICATE)) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED);
        return add(Handle.create(src.object(), derivedRights(src, rights)));
    }

    /**
     * {@code zx_handle_replace}: the source is consumed once found, even when the rights are bad.
     *
     * @throws ZxException BAD_HANDLE, INVALID_ARGS (rights not a subset; source destroyed)
     */
    public int replace(int value, int rights) {
        Handle src = remove(value);
        try {
            // Create the new handle before destroying the old one so the object never sees zero handles.
            Handle dst = Handle.create(src.object(), derivedRights(src, rights));
            return add(dst);
        } finally {
            src.destroy();
        }
    }

    private static int derivedRights(Handle src, int rights) {
        if (rights == Rights.SAME_RIGHTS) return src.rights();
        if (!Rights.has(src.rights(), rights)) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        return rights;
    }

    /** Closes every handle and refuses new ones (process death). Idempotent. */
    public void closeAll() {
        List<Handle> victims = new ArrayList<>();
        synchronized (this) {
            closed = true;
            for (int slot = 0; slot < used; slot++) if (slots[slot] != null) victims.add(take(slot));
        }
        for (Handle h : victims) h.destroy();
    }

    /** Snapshot of the handles (for {@code ZX_INFO_PROCESS_HANDLE_STATS} and debugging). */
    public synchronized List<Handle> handles() {
        List<Handle> out = new ArrayList<>(count);
        for (int slot = 0; slot < used; slot++) if (slots[slot] != null) out.add(slots[slot]);
        return out;
    }

    /** A handle and its value in this table. */
    public record Entry(int value, Handle handle) {}

    /** Every handle with its value (ZX_INFO_HANDLE_TABLE), in slot order. */
    public synchronized List<Entry> entries() {
        List<Entry> out = new java.util.ArrayList<>();
        for (int slot = 0; slot < used; slot++) {
            if (slots[slot] != null) out.add(new Entry(encode(slot, generations[slot]), slots[slot]));
        }
        return out;
    }

    /** The value of the first handle to {@code object} in this table, or 0 (for tests and get_child). */
    public synchronized int valueOf(KernelObject object) {
        for (int slot = 0; slot < used; slot++) {
            if (slots[slot] != null && slots[slot].object() == object) return encode(slot, generations[slot]);
        }
        return 0;
    }
}
