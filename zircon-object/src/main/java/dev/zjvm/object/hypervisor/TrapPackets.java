package dev.zjvm.object.hypervisor;

import dev.zjvm.hal.kvm.GuestPhysicalSpace;
import dev.zjvm.hal.kvm.KvmVcpu;
import dev.zjvm.hal.kvm.X86Instruction;
import dev.zjvm.hal.kvm.X86SpecialRegisters;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.ipc.PortPacket;
import java.util.Arrays;

/**
 * The packets of synchronous trap exits ({@code zx_packet_guest_io_t}, x86 {@code zx_packet_guest_mem_t})
 * built from a VCPU's KVM exit. Each completes the trapped instruction first (RIP moves past it), as
 * Zircon's exit handlers do before returning the packet. Used by the VCPU's runner thread only.
 */
final class TrapPackets {
    private static final int KVM_RIP = 16;
    private static final int MAX_INST_LEN = X86Instruction.MAX_LENGTH;

    private final KvmVcpu cpu;
    private final GuestPhysicalSpace memory;

    TrapPackets(KvmVcpu cpu, GuestPhysicalSpace memory) {
        this.cpu = cpu;
        this.memory = memory;
    }

    /** The IO exit's packet: port u16, access_size u8, input u8, data[4]. */
    PortPacket io(Trap trap) {
        int port = cpu.ioPort();
        boolean in = cpu.ioIsIn();
        int size = cpu.ioSize();
        int data = 0;
        if (in) {
            // Until zx_vcpu_write_state(ZX_VCPU_IO) says otherwise, the IN leaves rax as it was.
            cpu.setIoData((int) cpu.getRegs()[0]);
        } else {
            data = cpu.ioData();
        }
        cpu.completePendingAccess();
        long w0 = (port & 0xffffL) | ((long) size << 16) | ((in ? 1L : 0L) << 24) | ((data & 0xffffffffL) << 32);
        return new PortPacket(trap.key(), PortPacket.TYPE_GUEST_IO, ZxStatus.OK, w0, 0, 0, 0);
    }

    /** The MMIO exit's packet: addr, inst_len, inst_buf[15], default_operand_size. */
    PortPacket mem(Trap trap, long addr) {
        long[] regs = cpu.getRegs();
        X86SpecialRegisters s = cpu.getSregs();
        boolean mode64 = s.codeIs64Bit();
        // KVM has already moved RIP past a write (not past a read) when it reports the access.
        byte[] inst = cpu.mmioIsWrite() ? instructionBefore(regs, s, addr) : instructionAt(regs[KVM_RIP]);
        cpu.completePendingAccess();
        X86Instruction d = X86Instruction.decode(inst, MAX_INST_LEN, mode64);
        int instLen = d != null ? d.length() : 0;
        int operandSize = mode64 || s.codeIs32Bit() ? 4 : 2;
        long w1 = instLen & 0xffL, w2 = 0;
        for (int i = 0; i < 7; i++) w1 |= (inst[i] & 0xffL) << (8 * (i + 1));
        for (int i = 7; i < MAX_INST_LEN; i++) w2 |= (inst[i] & 0xffL) << (8 * (i - 7));
        return new PortPacket(trap.key(), PortPacket.TYPE_GUEST_MEM, ZxStatus.OK, addr, w1, w2, operandSize & 0xffL);
    }

    /** Up to 15 bytes at guest-linear {@code rip}; bytes the guest cannot read stay zero. */
    private byte[] instructionAt(long rip) {
        byte[] out = new byte[MAX_INST_LEN];
        readLinear(rip, out, 0, MAX_INST_LEN);
        return out;
    }

    /**
     * The instruction that ends at {@code rip}: the longest byte run before it that decodes to exactly
     * its own length with a memory operand at {@code gpa} (or, failing that check, any memory operand).
     */
    private byte[] instructionBefore(long[] regs, X86SpecialRegisters s, long gpa) {
        long rip = regs[KVM_RIP];
        byte[] window = new byte[MAX_INST_LEN];
        int readable = readLinear(rip - MAX_INST_LEN, window, 0, MAX_INST_LEN, true);
        boolean mode64 = s.codeIs64Bit();
        byte[] fallback = null;
        for (int k = Math.min(MAX_INST_LEN, readable); k >= 1; k--) {
            byte[] cand = Arrays.copyOfRange(window, MAX_INST_LEN - k, MAX_INST_LEN);
            X86Instruction d = X86Instruction.decode(cand, k, mode64);
            if (d == null || d.length() != k || !d.memory()) continue;
            byte[] padded = Arrays.copyOf(cand, MAX_INST_LEN);
            Long ea = d.effectiveAddress(regs, rip, s.segmentBase(X86SpecialRegisters.FS), s.segmentBase(X86SpecialRegisters.GS));
            if (ea != null && cpu.translate(ea) == gpa) return padded;
            if (fallback == null) fallback = padded;
        }
        return fallback != null ? fallback : new byte[MAX_INST_LEN];
    }

    private int readLinear(long linear, byte[] dst, int off, int len) {
        return readLinear(linear, dst, off, len, false);
    }

    /**
     * Copies guest-linear memory through the guest's paging; stops at the first unreadable page.
     * Returns the bytes read, counted from the start, or with {@code fromEnd} the readable run that
     * ends the range (for looking backwards from RIP).
     */
    private int readLinear(long linear, byte[] dst, int off, int len, boolean fromEnd) {
        int done = 0, run = 0;
        while (done < len) {
            long at = linear + done;
            int n = (int) Math.min(len - done, 4096 - (at & 4095));
            long gpa = cpu.translate(at);
            byte[] part = new byte[n];
            if (gpa >= 0 && memory.read(gpa, part)) {
                System.arraycopy(part, 0, dst, off + done, n);
                run += n;
            } else {
                if (!fromEnd) return done;
                run = 0;
            }
            done += n;
        }
        return fromEnd ? run : done;
    }
}
