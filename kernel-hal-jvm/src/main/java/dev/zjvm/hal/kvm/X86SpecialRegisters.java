package dev.zjvm.hal.kvm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A copy of {@code struct kvm_sregs}: segments, descriptor tables, control registers, EFER. Mutable,
 * owned by one caller; write it back with {@link KvmVcpu#setSregs}.
 */
public final class X86SpecialRegisters {
    public static final int CS = 0, DS = 1, ES = 2, FS = 3, GS = 4, SS = 5, TR = 6, LDT = 7;
    public static final long CR0_PE = 1, CR0_NE = 1 << 5, CR0_PG = 1L << 31, CR4_PAE = 1 << 5;
    public static final long EFER_SCE = 1, EFER_LME = 1 << 8, EFER_LMA = 1 << 10, EFER_NXE = 1 << 11;
    private static final int SEGMENT_SIZE = 24, GDT = 192, IDT = 208, CR0 = 224, CR3 = 240, CR4 = 248, EFER = 264;
    /** Segment types: read/execute code (accessed), read/write data (accessed), busy 64-bit TSS, LDT. */
    private static final int TYPE_CODE = 0xb, TYPE_DATA = 0x3, TYPE_TSS_BUSY = 0xb, TYPE_LDT = 0x2;

    private final ByteBuffer b;

    X86SpecialRegisters(byte[] raw) {
        if (raw.length != KvmVcpu.SREGS_SIZE) throw new IllegalArgumentException("kvm_sregs is 312 bytes");
        this.b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    }

    byte[] bytes() {
        return b.array();
    }

    public long cr0() { return b.getLong(CR0); }
    public long cr3() { return b.getLong(CR3); }
    public long cr4() { return b.getLong(CR4); }
    public long efer() { return b.getLong(EFER); }
    public long segmentBase(int seg) { return b.getLong(seg * SEGMENT_SIZE); }
    public int segmentSelector(int seg) { return b.getShort(seg * SEGMENT_SIZE + 12) & 0xffff; }
    /** CS.L: 64-bit code. */
    public boolean codeIs64Bit() { return b.get(CS * SEGMENT_SIZE + 19) != 0; }
    /** CS.D: 32-bit default operand size outside 64-bit code. */
    public boolean codeIs32Bit() { return b.get(CS * SEGMENT_SIZE + 17) != 0; }

    /** Sets one segment register's hidden state (base, limit, selector, type, S, P, D, L; DPL 0, G 0). */
    public void setSegment(int seg, long base, int limit, int selector, int type, boolean system, boolean db, boolean longMode) {
        int o = seg * SEGMENT_SIZE;
        b.putLong(o, base);
        b.putInt(o + 8, limit);
        b.putShort(o + 12, (short) selector);
        b.put(o + 14, (byte) type);
        b.put(o + 15, (byte) 1);                 // present
        b.put(o + 16, (byte) 0);                 // dpl
        b.put(o + 17, (byte) (db ? 1 : 0));
        b.put(o + 18, (byte) (system ? 0 : 1));  // s: code/data descriptor
        b.put(o + 19, (byte) (longMode ? 1 : 0));
        b.put(o + 20, (byte) 0);                 // g
        b.put(o + 21, (byte) 0);                 // avl
        b.put(o + 22, (byte) 0);                 // unusable
    }

    public void setDescriptorTables(long gdtBase, int gdtLimit, long idtBase, int idtLimit) {
        b.putLong(GDT, gdtBase);
        b.putShort(GDT + 8, (short) gdtLimit);
        b.putLong(IDT, idtBase);
        b.putShort(IDT + 8, (short) idtLimit);
    }

    public void setControl(long cr0, long cr3, long cr4, long efer) {
        b.putLong(CR0, cr0);
        b.putLong(CR3, cr3);
        b.putLong(CR4, cr4);
        b.putLong(EFER, efer);
    }

    /**
     * The state Zircon gives its first VCPU: 64-bit long mode with paging on and CR3 = 0 (the guest's
     * page tables start at guest-physical 0), flat 64 KiB segments with selector 0, GDT and IDT at 0.
     */
    public void setLongModeEntry() {
        setSegment(CS, 0, 0xffff, 0, TYPE_CODE, false, false, true);
        for (int s : new int[] {DS, ES, FS, GS, SS}) setSegment(s, 0, 0xffff, 0, TYPE_DATA, false, false, false);
        setSegment(TR, 0, 0xffff, 0, TYPE_TSS_BUSY, true, false, false);
        setSegment(LDT, 0, 0xffff, 0, TYPE_LDT, true, false, false);
        setDescriptorTables(0, 0xffff, 0, 0xffff);
        setControl(CR0_PE | CR0_PG | CR0_NE, 0, CR4_PAE, EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE);
    }

    /**
     * The state Zircon gives later VCPUs: real mode, the entry point as the code segment
     * (base = entry, selector = entry >> 4) and IP 0.
     */
    public void setRealModeEntry(long entry) {
        setSegment(CS, entry, 0xffff, (int) (entry >>> 4) & 0xffff, TYPE_CODE, false, false, false);
        for (int s : new int[] {DS, ES, FS, GS, SS}) setSegment(s, 0, 0xffff, 0, TYPE_DATA, false, false, false);
        setSegment(TR, 0, 0xffff, 0, TYPE_TSS_BUSY, true, false, false);
        setSegment(LDT, 0, 0xffff, 0, TYPE_LDT, true, false, false);
        setDescriptorTables(0, 0xffff, 0, 0xffff);
        setControl(CR0_NE, 0, 0, EFER_SCE | EFER_NXE);
    }
}
