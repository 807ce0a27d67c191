package dev.zjvm.syscall.handler;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.zjvm.hal.kvm.Kvm;
import dev.zjvm.hal.mem.DetachedAddressSpace;
import dev.zjvm.hal.mem.MemfdPhysicalMemory;
import dev.zjvm.hal.time.NanoTimeClock;
import dev.zjvm.object.Kernel;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.dev.Interrupt;
import dev.zjvm.object.dev.Resource;
import dev.zjvm.object.dev.ResourceKind;
import dev.zjvm.object.hypervisor.Vcpu;
import dev.zjvm.object.ipc.Port;
import dev.zjvm.object.ipc.PortPacket;
import dev.zjvm.object.vm.VmOptions;
import dev.zjvm.syscall.dispatch.SyscallRegistry;
import dev.zjvm.syscall.testing.ErrorChecks;
import dev.zjvm.syscall.testing.SyscallHarness;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hypervisor syscalls on real KVM: small x86-64 programs run in a guest whose memory is a VMO
 * mapped into the guest-physical VMAR. Guest layout: identity page tables at 0 (Zircon starts the
 * first VCPU in long mode with CR3 = 0), an IDT at 0x3000, code at 0x4000, stack below 0x8000;
 * the VMO covers the first MiB, traps live above it.
 */
class HypervisorSyscallsTest {
    static final long ENTRY = 0x4000, VMO_SIZE = 1 << 20, MEM_TRAP = 0x10_0000, BELL_TRAP = 0x10_1000;
    static final int IO_PORT = 0x10;

    private SyscallHarness h;

    @BeforeAll
    static void needKvm() {
        assumeTrue(Kvm.available(), "needs a usable /dev/kvm (hardware virtualization) to run guests");
    }

    @AfterEach
    void closeKernel() {
        if (h != null) h.kernel.close();
    }

    private SyscallHarness harness() {
        long[] next = {0x0000_0200_0000_0000L};
        Kernel k = new Kernel(MemfdPhysicalMemory.create(), new NanoTimeClock(), size -> {
            synchronized (next) {
                long base = next[0];
                next[0] += (size + 0xffff_ffffL) & ~0xffff_ffffL;
                return new DetachedAddressSpace(base, size);
            }
        }, 11);
        h = new SyscallHarness(k, SyscallRegistry.standard());
        return h;
    }

    private int hypervisorResource() {
        return h.install(Resource.root(h.kernel).createChild(ResourceKind.HYPERVISOR.value(), 0, 0, "hyp"));
    }

    /** {guest, vmar} handles of a new guest. */
    private int[] guest() {
        long out = h.alloc(8);
        assertEquals(ZxStatus.OK, h.status("guest_create", hypervisorResource(), 0, out, out + 4));
        return new int[] {h.u32(out), h.u32(out + 4)};
    }

    /** A guest whose first MiB holds page tables and {@code code} at ENTRY; returns {guest, vmar}. */
    private int[] guestRunning(byte[] code, byte[]... extra) {
        int[] g = guest();
        byte[] image = new byte[0x9000];
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0x0000, 0x1000 | 3);   // PML4[0] -> PDPT
        b.putLong(0x1000, 0x2000 | 3);   // PDPT[0] -> PD
        b.putLong(0x2000, 0x83);         // PD[0]: 2 MiB page at 0, present + writable
        System.arraycopy(code, 0, image, (int) ENTRY, code.length);
        for (int i = 0; i + 1 < extra.length; i += 2) {
            int at = ByteBuffer.wrap(extra[i]).order(ByteOrder.LITTLE_ENDIAN).getInt();
            System.arraycopy(extra[i + 1], 0, image, at, extra[i + 1].length);
        }
        long out = h.alloc(8);
        assertEquals(ZxStatus.OK, h.status("vmo_create", VMO_SIZE, 0, out));
        int vmo = h.u32(out);
        long buf = h.alloc(image.length);
        h.memory.write(buf, image, 0, image.length);
        assertEquals(ZxStatus.OK, h.status("vmo_write", vmo, buf, 0, image.length));
        int opts = VmOptions.PERM_READ | VmOptions.PERM_WRITE | VmOptions.SPECIFIC; // KVM slots do not separate execute
        assertEquals(ZxStatus.OK, h.status("vmar_map", g[1], opts, 0, vmo, 0, VMO_SIZE, out));
        assertEquals(0, h.u64(out));
        return g;
    }

    private static byte[] at(int address) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(address).array();
    }

    private static byte[] bytes(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (byte) v[i];
        return out;
    }

    /** A second handle to the same object with the same rights (ErrorChecks closes the ones it gets). */
    private int dup(int handle) {
        return h.install(h.object(handle, dev.zjvm.object.KernelObject.class), h.rights(handle));
    }

    private int vcpu(int guest) {
        long out = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("vcpu_create", guest, 0, ENTRY, out));
        return h.u32(out);
    }

    private int ioTrap(int guest) {
        assertEquals(ZxStatus.OK, h.status("guest_set_trap", guest, 2, IO_PORT, 4, 0, 5));
        return guest;
    }

    private PortPacket resume(int vcpu) {
        long out = h.alloc(PortPacket.SIZE);
        assertEquals(ZxStatus.OK, h.status("vcpu_resume", vcpu, out));
        return PortPacket.decode(h.memory.readBytes(out, PortPacket.SIZE));
    }

    private static void assertIo(PortPacket p, int port, int size, boolean in, long data) {
        assertEquals(PortPacket.TYPE_GUEST_IO, p.type());
        assertEquals(5, p.key());
        assertEquals(port, p.w0() & 0xffff, "port");
        assertEquals(size, (p.w0() >>> 16) & 0xff, "access size");
        assertEquals(in ? 1 : 0, (p.w0() >>> 24) & 0xff, "input");
        if (!in) assertEquals(data, p.w0() >>> 32, "data");
    }

    private long[] readState(int vcpu) {
        long buf = h.alloc(Vcpu.STATE_SIZE);
        assertEquals(ZxStatus.OK, h.status("vcpu_read_state", vcpu, 0, buf, Vcpu.STATE_SIZE));
        ByteBuffer b = ByteBuffer.wrap(h.memory.readBytes(buf, Vcpu.STATE_SIZE)).order(ByteOrder.LITTLE_ENDIAN);
        long[] s = new long[17];
        for (int i = 0; i < 17; i++) s[i] = b.getLong();
        return s;
    }

    private int writeState(int vcpu, long[] s) {
        ByteBuffer b = ByteBuffer.allocate(Vcpu.STATE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : s) b.putLong(v);
        long buf = h.alloc(Vcpu.STATE_SIZE);
        h.memory.write(buf, b.array(), 0, Vcpu.STATE_SIZE);
        return h.status("vcpu_write_state", vcpu, 0, buf, Vcpu.STATE_SIZE);
    }

    private int writeIo(int vcpu, int size, int data) {
        long buf = h.alloc(8);
        h.memory.write(buf, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).put(0, (byte) size).putInt(4, data).array(), 0, 8);
        return h.status("vcpu_write_state", vcpu, 1, buf, 8);
    }

    // ---- IO ----

    @Test
    void outAndInTrapsComeBackFromResume() {
        harness();
        int[] g = guestRunning(bytes(
                0xb0, 0x42,             // mov al, 0x42
                0xe6, 0x10,             // out 0x10, al
                0x66, 0xe5, 0x12,       // in ax, 0x12
                0x66, 0xe7, 0x13,       // out 0x13, ax
                0xf4));                 // hlt
        ioTrap(g[0]);
        int v = vcpu(g[0]);
        assertIo(resume(v), 0x10, 1, false, 0x42);
        assertIo(resume(v), 0x12, 2, true, 0);
        assertEquals(ZxStatus.OK, writeIo(v, 2, 0xbeef));
        assertIo(resume(v), 0x13, 2, false, 0xbeef);
        assertEquals(0xbeef, readState(v)[0], "ZX_VCPU_IO set the low 2 bytes of rax, the IN itself changed nothing");
        assertEquals(ZxStatus.ERR_INVALID_ARGS, writeIo(v, 3, 1));
    }

    @Test
    void portWithoutTrapEndsResumeWithNotFound() {
        harness();
        int[] g = guestRunning(bytes(0xe6, 0x70, 0xf4)); // out 0x70, al
        int v = vcpu(g[0]);
        assertEquals(ZxStatus.ERR_NOT_FOUND, h.status("vcpu_resume", v, h.alloc(PortPacket.SIZE)));
    }

    // ---- registers ----

    @Test
    void registersRoundTripAndReachTheGuest() {
        harness();
        int[] g = guestRunning(bytes(0x48, 0x01, 0xd8, 0xe6, 0x10, 0xf4)); // add rax, rbx; out 0x10, al; hlt
        ioTrap(g[0]);
        int v = vcpu(g[0]);
        long[] s = new long[17];
        for (int i = 0; i < 16; i++) s[i] = 0x1111_0000_0000_0000L * (i + 1) + i;
        s[16] = 0x2 | 0x1; // always-one bit (so rflags is written) and CF
        assertEquals(ZxStatus.OK, writeState(v, s));
        long[] back = readState(v);
        for (int i = 0; i < 16; i++) assertEquals(s[i], back[i], "register " + i);
        assertEquals(0x1, back[16], "only the user bits of rflags are reported");
        long sum = s[0] + s[3]; // rax + rbx (zx order: rax rcx rdx rbx)
        assertIo(resume(v), 0x10, 1, false, sum & 0xff);
        assertEquals(sum, readState(v)[0]);
    }

    @Test
    void stateCallsBelongToTheCreatingThread() throws Exception {
        harness();
        int[] g = guestRunning(bytes(0xf4));
        int v = vcpu(g[0]);
        long out = h.alloc(PortPacket.SIZE);
        long buf = h.alloc(Vcpu.STATE_SIZE);
        int[] st = h.runAsGuest("other", c -> new int[] {
                (int) h.callAs(c, "vcpu_resume", v, out),
                (int) h.callAs(c, "vcpu_read_state", v, 0, buf, Vcpu.STATE_SIZE),
                (int) h.callAs(c, "vcpu_write_state", v, 0, buf, Vcpu.STATE_SIZE),
                (int) h.callAs(c, "vcpu_interrupt", v, 0x30)}).get(30, TimeUnit.SECONDS);
        assertArrayEquals(new int[] {ZxStatus.ERR_BAD_STATE, ZxStatus.ERR_BAD_STATE, ZxStatus.ERR_BAD_STATE, ZxStatus.OK}, st);
        // one VCPU per thread
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("vcpu_create", g[0], 0, ENTRY, h.alloc(4)));
    }

    // ---- memory traps ----

    @Test
    void memTrapReturnsTheInstructionFromResume() {
        harness();
        byte[] store = bytes(0xc7, 0x04, 0x25, 0x10, 0x00, 0x10, 0x00, 0x78, 0x56, 0x34, 0x12); // mov dword [0x100010], 0x12345678
        byte[] code = new byte[store.length + 1];
        System.arraycopy(store, 0, code, 0, store.length);
        code[store.length] = (byte) 0xf4;
        int[] g = guestRunning(code);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("guest_set_trap", g[0], 1, MEM_TRAP, 4096,
                h.install(Port.create(h.kernel, 0)), 9), "MEM traps are synchronous");
        assertEquals(ZxStatus.OK, h.status("guest_set_trap", g[0], 1, MEM_TRAP, 4096, 0, 9));
        int v = vcpu(g[0]);
        PortPacket p = resume(v);
        assertEquals(PortPacket.TYPE_GUEST_MEM, p.type());
        assertEquals(9, p.key());
        assertEquals(MEM_TRAP + 0x10, p.w0(), "guest-physical address");
        byte[] payload = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putLong(p.w1()).putLong(p.w2()).putLong(p.w3()).array();
        assertEquals(store.length, payload[0], "instruction length");
        for (int i = 0; i < store.length; i++) assertEquals(store[i], payload[1 + i], "instruction byte " + i);
        assertEquals(4, payload[16], "default operand size");
    }

    @Test
    void memTrapReadIsCompletedByTheVmmThroughWriteState() {
        harness();
        int[] g = guestRunning(bytes(0x8b, 0x04, 0x25, 0x20, 0x00, 0x10, 0x00, // mov eax, [0x100020]
                0xe6, 0x10, 0xf4));                                              // out 0x10, al; hlt
        assertEquals(ZxStatus.OK, h.status("guest_set_trap", g[0], 1, MEM_TRAP, 4096, 0, 9));
        ioTrap(g[0]);
        int v = vcpu(g[0]);
        PortPacket p = resume(v);
        assertEquals(PortPacket.TYPE_GUEST_MEM, p.type());
        assertEquals(MEM_TRAP + 0x20, p.w0());
        assertEquals(7, p.w1() & 0xff, "instruction length");
        assertEquals(0x8b, (p.w1() >>> 8) & 0xff, "first instruction byte");
        long[] s = readState(v);
        s[0] = 0x77; // the VMM emulates the load
        s[16] = 0;   // leave rflags alone
        assertEquals(ZxStatus.OK, writeState(v, s));
        assertIo(resume(v), 0x10, 1, false, 0x77);
    }

    @Test
    void laterVcpusStartInRealModeAtTheEntrySegment() throws Exception {
        harness();
        int[] g = guestRunning(bytes(0xf4), at(0x5000), bytes(0xb8, 0x34, 0x12, 0xe6, 0x10, 0xf4)); // mov ax, 0x1234 (16-bit); out
        ioTrap(g[0]);
        vcpu(g[0]); // the first VCPU (long mode), on this thread
        long out = h.alloc(4), packet = h.alloc(PortPacket.SIZE);
        long st = h.runAsGuest("ap", c -> {
            long r = h.callAs(c, "vcpu_create", g[0], 0, 0x5000, out);
            return r != ZxStatus.OK ? r : h.callAs(c, "vcpu_resume", h.u32(out), packet);
        }).get(30, TimeUnit.SECONDS);
        assertEquals(ZxStatus.OK, (int) st);
        // In 64-bit code B8 would take a 4-byte immediate and the OUT would not come next.
        assertIo(PortPacket.decode(h.memory.readBytes(packet, PortPacket.SIZE)), 0x10, 1, false, 0x34);
    }

    @Test
    void bellTrapIsQueuedToThePortAndTheVcpuGoesOn() {
        harness();
        int[] g = guestRunning(bytes(0xc7, 0x04, 0x25, 0x08, 0x10, 0x10, 0x00, 0x01, 0x00, 0x00, 0x00, // mov dword [0x101008], 1
                0xe6, 0x10, 0xf4));                                                                     // out 0x10, al; hlt
        int port = h.install(Port.create(h.kernel, 0));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("guest_set_trap", g[0], 0, BELL_TRAP, 4096, 0, 7), "BELL needs a port");
        assertEquals(ZxStatus.OK, h.status("guest_set_trap", g[0], 0, BELL_TRAP, 4096, port, 7));
        ioTrap(g[0]);
        int v = vcpu(g[0]);
        assertIo(resume(v), 0x10, 1, false, 0);
        long out = h.alloc(PortPacket.SIZE);
        assertEquals(ZxStatus.OK, h.status("port_wait", port, 0, out));
        PortPacket p = PortPacket.decode(h.memory.readBytes(out, PortPacket.SIZE));
        assertEquals(PortPacket.TYPE_GUEST_BELL, p.type());
        assertEquals(7, p.key());
        assertEquals(BELL_TRAP + 8, p.w0());
    }

    @Test
    void trapArgumentErrors() {
        harness();
        int[] g = guest();
        int port = h.install(Port.create(h.kernel, 0));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("guest_set_trap", g[0], 3, 0, 4096, 0, 0), "kind");
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("guest_set_trap", g[0], 1, 0x1000, 0, 0, 0), "empty");
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("guest_set_trap", g[0], 1, 0x1800, 4096, 0, 0), "unaligned address");
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("guest_set_trap", g[0], 0, 0x1000, 100, port, 0), "unaligned size");
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("guest_set_trap", g[0], 2, 0x60, 1, port, 0), "IO traps are synchronous");
        assertEquals(ZxStatus.ERR_OUT_OF_RANGE, h.status("guest_set_trap", g[0], 2, 0xfff0, 0x20, 0, 0), "past port 0xffff");
        assertEquals(ZxStatus.ERR_OUT_OF_RANGE, h.status("guest_set_trap", g[0], 1, -4096L, 8192, 0, 0), "wraps");
        assertEquals(ZxStatus.ERR_OUT_OF_RANGE, h.status("guest_set_trap", g[0], 1, 1L << 40, 4096, 0, 0), "outside the guest");
        assertEquals(ZxStatus.OK, h.status("guest_set_trap", g[0], 1, 0x20000, 0x2000, 0, 0));
        assertEquals(ZxStatus.ERR_ALREADY_EXISTS, h.status("guest_set_trap", g[0], 0, 0x20000, 0x1000, port, 0), "same start, BELL and MEM share a table");
        assertEquals(ZxStatus.ERR_ALREADY_EXISTS, h.status("guest_set_trap", g[0], 1, 0x21000, 0x2000, 0, 0), "overlap");
        assertEquals(ZxStatus.OK, h.status("guest_set_trap", g[0], 2, 0x20000 & 0xffff, 4, 0, 0), "IO ports are a table of their own");
        assertEquals(ZxStatus.OK, h.status("guest_set_trap", g[0], 1, 0x22000, 0x1000, 0, 0), "adjacent");
        assertEquals(ZxStatus.OK, h.status("guest_set_trap", g[0], 0, 0x40000, 4096, port, 1));
        ErrorChecks.of(h, "guest_set_trap").args(0, 0, 0x40000, 4096, 0, 1)
                .handle(0, () -> dup(g[0]), Rights.WRITE).handle(4, () -> dup(port), Rights.WRITE)
                .validStatus(ZxStatus.ERR_ALREADY_EXISTS).run();
    }

    // ---- interrupts ----

    /** Loads a GDT and an IDT whose vector 0x40 handler reports itself on port 0x11, enables interrupts, spins. */
    private int[] guestWithIdt() {
        byte[] code = bytes(
                0x0f, 0x01, 0x14, 0x25, 0x00, 0x41, 0x00, 0x00,   // lgdt [0x4100]
                0x0f, 0x01, 0x1c, 0x25, 0x10, 0x41, 0x00, 0x00,   // lidt [0x4110]
                0x48, 0xc7, 0xc4, 0x00, 0x80, 0x00, 0x00,         // mov rsp, 0x8000
                0xfb,                                             // sti
                0xeb, 0xfe);                                      // jmp $
        byte[] gdtr = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 15).putLong(0x4120).array();
        byte[] idtr = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0xfff).putLong(0x3000).array();
        byte[] gdt = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(0).putLong(0x0020_9a00_0000_0000L).array();
        byte[] gate = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) 0x4200).putShort((short) 0x08).put((byte) 0).put((byte) 0x8e).putShort((short) 0).putLong(0).array();
        byte[] handler = bytes(0xb8, 0x40, 0x00, 0x00, 0x00, 0xe7, 0x11, 0xf4, 0xeb, 0xfd); // mov eax, 0x40; out 0x11, eax; hlt; jmp hlt
        int[] g = guestRunning(code, at(0x4100), gdtr, at(0x4110), idtr, at(0x4120), gdt, at(0x3000 + 0x40 * 16), gate,
                at(0x4200), handler);
        ioTrap(g[0]);
        return g;
    }

    @Test
    void vcpuInterruptRunsTheGuestsHandler() throws Exception {
        harness();
        int[] g = guestWithIdt();
        int v = vcpu(g[0]);
        // Fired from another thread at any moment: before the guest enables interrupts it stays pending.
        CompletableFuture<Long> fire = h.runAsGuest("irq", c -> h.callAs(c, "vcpu_interrupt", v, 0x40));
        assertIo(resume(v), 0x11, 4, false, 0x40);
        assertEquals(ZxStatus.OK, fire.get(30, TimeUnit.SECONDS).intValue());
        assertEquals(ZxStatus.ERR_OUT_OF_RANGE, h.status("vcpu_interrupt", v, 256));
        ErrorChecks.of(h, "vcpu_interrupt").args(0, 0x40).handle(0, () -> dup(v), Rights.SIGNAL).run();
    }

    @Test
    void reservedVectorsEndResumeWithNotSupported() {
        harness();
        int[] g = guestWithIdt();
        int v = vcpu(g[0]);
        assertEquals(ZxStatus.OK, h.status("vcpu_interrupt", v, 25));
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, h.status("vcpu_resume", v, h.alloc(PortPacket.SIZE)));
    }

    private int virtualInterrupt(long vector) {
        long out = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("interrupt_create", 0, vector, Interrupt.OPT_VIRTUAL, out));
        return h.u32(out);
    }

    @Test
    void interruptBoundToAVcpuRaisesItsVector() throws Exception {
        harness();
        int[] g = guestWithIdt();
        int v = vcpu(g[0]);
        int irq = virtualInterrupt(0x40);
        assertEquals(ZxStatus.OK, h.status("interrupt_bind_vcpu", irq, v, 0));
        assertEquals(ZxStatus.ERR_ALREADY_BOUND, h.status("interrupt_bind_vcpu", irq, v, 0));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("interrupt_bind_vcpu", irq, v, 1), "options");
        assertEquals(ZxStatus.ERR_ALREADY_BOUND, h.status("interrupt_bind", irq, h.install(Port.create(h.kernel, Port.BIND_TO_INTERRUPT)), 0, 0));
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("interrupt_wait", irq, 0));
        assertEquals(ZxStatus.OK, h.status("interrupt_trigger", irq, 0, 0));
        assertIo(resume(v), 0x11, 4, false, 0x40);

        // A VCPU of another guest cannot join, nor can a VCPU be bound to an interrupt in use elsewhere.
        int[] other = guestWithIdt();
        long out = h.alloc(4);
        assertEquals(ZxStatus.OK, h.runAsGuest("other", c -> h.callAs(c, "vcpu_create", other[0], 0, ENTRY, out)).get(30, TimeUnit.SECONDS).intValue());
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("interrupt_bind_vcpu", irq, h.u32(out), 0));
        int onPort = virtualInterrupt(0x41);
        assertEquals(ZxStatus.OK, h.status("interrupt_bind", onPort, h.install(Port.create(h.kernel, Port.BIND_TO_INTERRUPT)), 0, 0));
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("interrupt_bind_vcpu", onPort, v, 0));
        int destroyed = virtualInterrupt(0x42);
        assertEquals(ZxStatus.OK, h.status("interrupt_destroy", destroyed));
        assertEquals(ZxStatus.ERR_CANCELED, h.status("interrupt_bind_vcpu", destroyed, v, 0));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("interrupt_bind_vcpu", virtualInterrupt(256), v, 0), "vector");
        ErrorChecks.of(h, "interrupt_bind_vcpu").args(0, 0, 0).handle(0, () -> dup(irq), Rights.READ)
                .handle(1, () -> dup(v), Rights.WRITE).validStatus(ZxStatus.ERR_ALREADY_BOUND).run();
    }

    // ---- lifetime ----

    @Test
    void killingTheProcessEndsAResumeSpinningInTheGuest() throws Exception {
        killDuringResume(bytes(0xeb, 0xfe), 0); // jmp $: only a signal gets KVM_RUN back
    }

    @Test
    void killingTheProcessEndsAResumeHaltedInTheGuest() throws Exception {
        killDuringResume(bytes(0xf4), 1); // hlt with interrupts off: waits for an interrupt that never comes
    }

    /** Runs {@code code} on a new guest thread's VCPU until {@code stat} moved, then kills the process. */
    private void killDuringResume(byte[] code, int stat) throws Exception {
        harness();
        int[] g = guestRunning(code);
        AtomicInteger handle = new AtomicInteger();
        long out = h.alloc(4);
        long packet = h.alloc(PortPacket.SIZE);
        CompletableFuture<Long> f = h.runAsGuest("spinner", c -> {
            long st = h.callAs(c, "vcpu_create", g[0], 0, ENTRY, out);
            if (st != ZxStatus.OK) return st;
            handle.set(h.u32(out));
            return h.callAs(c, "vcpu_resume", h.u32(out), packet);
        });
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (handle.get() == 0 || h.object(handle.get(), Vcpu.class).stats()[stat] == 0) {
            assertFalse(f.isDone(), () -> "resume ended early: " + f.join());
            assertTrue(System.nanoTime() < end, "the guest never ran");
            Thread.onSpinWait();
        }
        h.process.kill();
        long st = f.get(30, TimeUnit.SECONDS);
        assertNotEquals(ZxStatus.OK, (int) st);
    }

    @Test
    void guestStatsCountEntriesAndExitsPerCpu() {
        harness();
        int[] g = guestRunning(bytes(0xe6, 0x10, 0xf4));
        ioTrap(g[0]);
        assertIo(resume(vcpu(g[0])), 0x10, 1, false, 0);
        int root = h.install(Resource.root(h.kernel));
        int cpus = Math.min(Runtime.getRuntime().availableProcessors(), 512);
        long buf = h.alloc(120 * cpus), actual = h.alloc(8), avail = h.alloc(8);
        assertEquals(ZxStatus.OK, h.status("object_get_info", root, 29, buf, 120L * cpus, actual, avail));
        assertEquals(cpus, h.u64(actual));
        assertEquals(cpus, h.u64(avail));
        ByteBuffer b = ByteBuffer.wrap(h.memory.readBytes(buf, 120 * cpus)).order(ByteOrder.LITTLE_ENDIAN);
        long entries = 0, exits = 0, io = 0;
        for (int cpu = 0; cpu < cpus; cpu++) {
            assertEquals(cpu, b.getInt(cpu * 120));
            entries += b.getLong(cpu * 120 + 8);
            exits += b.getLong(cpu * 120 + 16);
            io += b.getLong(cpu * 120 + 64);
        }
        assertTrue(entries >= 1 && exits == entries, entries + " entries, " + exits + " exits");
        assertEquals(1, io, "one OUT reached us");
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status("object_get_info", hypervisorResource(), 29, buf, 120L * cpus, actual, avail));
    }

    @Test
    void guestEndsWithItsLastHandleAndVcpu() {
        harness();
        int[] g = guestRunning(bytes(0xf4));
        dev.zjvm.object.hypervisor.Guest guest = h.object(g[0], dev.zjvm.object.hypervisor.Guest.class);
        int v = vcpu(g[0]);
        h.process.handleTable().close(g[0]);
        assertFalse(guest.isShutDown(), "its VCPU keeps the guest");
        assertEquals(ZxStatus.OK, writeState(v, readState(v)));
        h.process.handleTable().close(v);
        assertTrue(guest.isShutDown());
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("vmar_allocate", g[1], VmOptions.CAN_MAP_READ, 0, 4096, h.alloc(4), h.alloc(8)),
                "the guest-physical VMAR went with the guest");
        // The thread may own a VCPU of a new guest now.
        vcpu(guestRunning(bytes(0xf4))[0]);
    }

    @Test
    void closingTheVcpuCancelsAResumeInProgress() throws Exception {
        harness();
        int[] g = guestRunning(bytes(0xeb, 0xfe));
        AtomicInteger handle = new AtomicInteger();
        long out = h.alloc(4), packet = h.alloc(PortPacket.SIZE);
        CompletableFuture<Long> f = h.runAsGuest("spinner", c -> {
            long st = h.callAs(c, "vcpu_create", g[0], 0, ENTRY, out);
            if (st != ZxStatus.OK) return st;
            handle.set(h.u32(out));
            return h.callAs(c, "vcpu_resume", h.u32(out), packet);
        });
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (handle.get() == 0 || h.object(handle.get(), Vcpu.class).stats()[0] == 0) {
            assertTrue(System.nanoTime() < end, "the guest never ran");
            Thread.onSpinWait();
        }
        h.process.handleTable().close(handle.get());
        assertEquals(ZxStatus.ERR_CANCELED, f.get(30, TimeUnit.SECONDS).intValue());
    }

    // ---- generic errors ----

    @Test
    void guestCreateErrors() {
        harness();
        long out = h.alloc(8);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("guest_create", hypervisorResource(), 1, out, out + 4));
        int mmio = h.install(Resource.root(h.kernel).createChild(ResourceKind.MMIO.value(), 0, 4096, "mmio"));
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status("guest_create", mmio, 0, out, out + 4));
        ErrorChecks.of(h, "guest_create").args(0, 0, 0, 0).handle(0, this::hypervisorResource, 0).out(2).out(3).run();
    }

    @Test
    void vcpuCallErrors() throws Exception {
        harness();
        int[] g = guestRunning(bytes(0xe6, 0x10, 0xeb, 0xfc)); // out 0x10, al; jmp back
        ioTrap(g[0]);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("vcpu_create", g[0], 1, ENTRY, h.alloc(4)), "options");
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("vcpu_create", g[0], 0, Long.MAX_VALUE, h.alloc(4)), "entry");
        // A bad out pointer drops the new VCPU, so the thread may create another.
        long[] st = h.runAsGuest("creator", c -> new long[] {
                h.callAs(c, "vcpu_create", g[0], 0, ENTRY, SyscallHarness.UNMAPPED),
                h.callAs(c, "vcpu_create", g[0], 0, ENTRY, h.alloc(4))}).get(30, TimeUnit.SECONDS);
        assertArrayEquals(new long[] {ZxStatus.ERR_INVALID_ARGS, ZxStatus.OK}, st);
        int v = vcpu(g[0]);
        ErrorChecks.of(h, "vcpu_create").args(0, 0, ENTRY, h.alloc(4)).handle(0, () -> dup(g[0]), Rights.MANAGE_PROCESS)
                .validStatus(ZxStatus.ERR_BAD_STATE).run();
        ErrorChecks.of(h, "vcpu_resume").args(0, 0).handle(0, () -> dup(v), Rights.EXECUTE).out(1).run();
        long buf = h.alloc(Vcpu.STATE_SIZE);
        ErrorChecks.of(h, "vcpu_read_state").args(0, 0, buf, Vcpu.STATE_SIZE).handle(0, () -> dup(v), Rights.READ).out(2).run();
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("vcpu_read_state", v, 1, buf, Vcpu.STATE_SIZE), "kind");
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("vcpu_read_state", v, 0, buf, Vcpu.STATE_SIZE - 8), "size");
        ErrorChecks.of(h, "vcpu_write_state").args(0, 0, buf, Vcpu.STATE_SIZE).handle(0, () -> dup(v), Rights.WRITE).in(2).run();
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("vcpu_write_state", v, 2, buf, Vcpu.STATE_SIZE), "kind");
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("vcpu_write_state", v, 1, buf, Vcpu.STATE_SIZE), "IO size");
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("vcpu_write_state", v, 0, buf, 8), "state size");
    }
}
