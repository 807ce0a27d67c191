package dev.zjvm.object.hypervisor;

import dev.zjvm.hal.kvm.KvmException;
import dev.zjvm.hal.kvm.KvmVcpu;
import dev.zjvm.hal.kvm.X86SpecialRegisters;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.dev.Interrupt;
import dev.zjvm.object.ipc.PortPacket;
import dev.zjvm.object.task.BlockingContext;
import dev.zjvm.object.task.Thread;
import dev.zjvm.object.task.ThreadState;
import dev.zjvm.object.task.Waiter;

/**
 * A VCPU ({@code zx_vcpu_create}) on KVM. Only the guest thread that created it may resume it or
 * touch its registers (BAD_STATE otherwise, as in Zircon); interrupts may come from anywhere.
 *
 * <p>{@code KVM_RUN} runs on a host thread of the VCPU's own (the runner), while the resuming guest
 * thread waits in an ordinary {@link Waiter}: so killing or suspending that thread ends its wait like
 * any blocking syscall, and the runner is then stopped with a {@link KvmVcpu#kick}. A packet the
 * runner produced after the wait ended is kept for the next resume (its instruction has completed).
 * Locking: this object's lock guards the request state and the pending interrupts.
 */
public final class Vcpu extends KernelObject implements Interrupt.VcpuTarget {
    /** {@code zx_vcpu_state_t}: 16 general registers and rflags, 136 bytes. */
    public static final int STATE_SIZE = 17 * 8;
    public static final int STATE_KIND = 0;
    public static final int IO_KIND = 1;
    /** {@code zx_vcpu_io_t}: access_size u8, 3 bytes padding, data[4]. */
    public static final int IO_SIZE = 8;
    /** RFLAGS bits the user controls (CF PF AF ZF SF TF DF OF NT AC ID) and the always-one bit. */
    static final long FLAGS_USER = 0x244dd5L, FLAGS_RESERVED_ONES = 0x2L;
    /** kvm_regs index of each zx_vcpu_state_t register (rax rcx rdx rbx rsp rbp rsi rdi r8-r15). */
    private static final int[] KVM_INDEX = {0, 2, 3, 1, 6, 7, 4, 5, 8, 9, 10, 11, 12, 13, 14, 15};
    private static final int KVM_RIP = 16, KVM_RFLAGS = 17;
    private static final int X86_INT_NMI = 2, X86_INT_VIRT = 20, X86_INT_PLATFORM_BASE = 32;

    /** What one resume produced: a packet, or an error status. */
    private record Outcome(PortPacket packet, int status) {}

    private final Guest guest;
    private final Hypervisor hypervisor;
    private final Thread owner;
    private final int id;
    private final KvmVcpu cpu;
    private final java.lang.Thread runner;
    /** Guarded by the lock. */
    private final PendingInterrupts pending = new PendingInterrupts();
    private final TrapPackets packets;
    private boolean runRequested;
    private boolean busy;
    private boolean stopRequested;
    private boolean closing;
    private Waiter resumer;
    private Outcome outcome;
    private PortPacket kept;
    private long entries;
    private long exits;

    private Vcpu(Guest guest, Hypervisor hypervisor, Thread owner, int id, KvmVcpu cpu) {
        super(guest.kernel());
        this.guest = guest;
        this.hypervisor = hypervisor;
        this.owner = owner;
        this.id = id;
        this.cpu = cpu;
        this.packets = new TrapPackets(cpu, guest.physical());
        this.runner = java.lang.Thread.ofPlatform().daemon().name("vcpu-" + guest.koid() + "-" + id).unstarted(this::runnerLoop);
    }

    static Vcpu create(Guest guest, Hypervisor hypervisor, Thread owner, int id, long entry) {
        KvmVcpu cpu;
        try {
            cpu = guest.vm().createVcpu(guest.allocateKvmId());
        } catch (KvmException e) {
            throw new ZxException(ZxStatus.ERR_NO_MEMORY, e.getMessage());
        }
        try {
            X86SpecialRegisters s = cpu.getSregs();
            long[] regs = new long[18];
            regs[KVM_RFLAGS] = FLAGS_RESERVED_ONES;
            if (id == 0) {
                s.setLongModeEntry();
                regs[KVM_RIP] = entry;
            } else {
                s.setRealModeEntry(entry);
            }
            cpu.setSregs(s);
            cpu.setRegs(regs);
        } catch (KvmException e) {
            cpu.close();
            throw new ZxException(ZxStatus.ERR_BAD_STATE, e.getMessage());
        }
        Vcpu v = new Vcpu(guest, hypervisor, owner, id, cpu);
        if (!hypervisor.bindThread(owner, v)) {
            cpu.close();
            throw new ZxException(ZxStatus.ERR_BAD_STATE, "the thread already has a VCPU");
        }
        v.runner.start();
        return v;
    }

    @Override
    public ObjectType type() {
        return ObjectType.VCPU;
    }

    @Override
    public Guest guest() {
        return guest;
    }

    /** VM entries and exits so far. */
    public long[] stats() {
        synchronized (lock) {
            return new long[] {entries, exits};
        }
    }

    private void checkOwner(Thread caller) {
        if (caller != owner) throw new ZxException(ZxStatus.ERR_BAD_STATE, "not the VCPU's thread");
    }

    // ---- resume ----

    /**
     * {@code zx_vcpu_resume}: runs the guest until a synchronous trap or an error.
     *
     * @throws ZxException BAD_STATE (wrong thread, closed), NOT_FOUND (access to nothing), NOT_SUPPORTED
     *     (an exit Zircon does not handle either), INTERNAL, or the caller's interruption status
     */
    public PortPacket resume(Thread caller, BlockingContext who) {
        checkOwner(caller);
        Waiter w = new Waiter();
        synchronized (lock) {
            if (closing) throw new ZxException(ZxStatus.ERR_BAD_STATE);
            if (kept != null) {
                PortPacket p = kept;
                kept = null;
                return p;
            }
            resumer = w;
            outcome = null;
            stopRequested = false;
            runRequested = true;
            lock.notifyAll();
        }
        // RUNNING: a thread in vcpu_resume runs guest code; the waiter only makes it killable.
        int status = w.await(who, ThreadState.RUNNING, kernel().clock(), Waiter.INFINITE);
        Outcome o;
        synchronized (lock) {
            if (status != ZxStatus.OK) {
                stopRequested = true;
                lock.notifyAll();
                cpu.kick();
                while (runRequested || busy) awaitLock();
                if (outcome != null && outcome.packet() != null) kept = outcome.packet();
                resumer = null;
                throw new ZxException(status);
            }
            o = outcome;
            resumer = null;
        }
        if (o.packet() == null) throw new ZxException(o.status());
        return o.packet();
    }

    private void awaitLock() {
        try {
            lock.wait();
        } catch (InterruptedException e) {
            java.lang.Thread.currentThread().interrupt();
            throw new ZxException(ZxStatus.ERR_INTERNAL_INTR_KILLED);
        }
    }

    private void runnerLoop() {
        cpu.bindRunnerThread();
        while (true) {
            synchronized (lock) {
                while (!runRequested && !closing) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closing) {
                    runRequested = false;
                    lock.notifyAll();
                    return;
                }
                runRequested = false;
                busy = true;
            }
            Outcome o;
            try {
                o = runUntilExit();
            } catch (KvmException | IllegalArgumentException e) {
                o = new Outcome(null, ZxStatus.ERR_INTERNAL);
            }
            Waiter w;
            synchronized (lock) {
                outcome = o;
                busy = false;
                w = resumer;
                lock.notifyAll();
            }
            if (w != null) w.wake(ZxStatus.OK);
        }
    }

    private boolean stopping() {
        synchronized (lock) {
            return stopRequested || closing;
        }
    }

    private Outcome runUntilExit() {
        while (true) {
            cpu.clearKick();
            if (stopping()) return new Outcome(null, ZxStatus.ERR_CANCELED);
            int injected = injectPending();
            if (injected != ZxStatus.OK) return new Outcome(null, injected);
            synchronized (lock) {
                entries++;
            }
            int reason = cpu.run();
            synchronized (lock) {
                exits++;
            }
            count(reason);
            switch (reason) {
                case KvmVcpu.RUN_KICKED, KvmVcpu.EXIT_IRQ_WINDOW_OPEN, KvmVcpu.EXIT_INTR -> { }
                case KvmVcpu.RUN_MEMORY_FAULT -> { return new Outcome(null, ZxStatus.ERR_NOT_FOUND); }
                case KvmVcpu.EXIT_IO -> { return onIo(); }
                case KvmVcpu.EXIT_MMIO -> {
                    Outcome o = onMmio();
                    if (o != null) return o;
                }
                case KvmVcpu.EXIT_HLT -> awaitInterrupt();
                case KvmVcpu.EXIT_FAIL_ENTRY, KvmVcpu.EXIT_INTERNAL_ERROR -> { return new Outcome(null, ZxStatus.ERR_INTERNAL); }
                default -> { return new Outcome(null, ZxStatus.ERR_NOT_SUPPORTED); }
            }
        }
    }

    /** Per-CPU statistics: an entry and, unless the entry never happened (a kick before it), an exit. */
    private void count(int reason) {
        GuestStats st = hypervisor.stats();
        int host = KvmVcpu.hostCpu();
        st.add(host, GuestStats.VM_ENTRIES);
        st.add(host, GuestStats.VM_EXITS);
        switch (reason) {
            case KvmVcpu.EXIT_INTR, KvmVcpu.RUN_KICKED -> st.add(host, GuestStats.INTERRUPTS);
            case KvmVcpu.EXIT_IRQ_WINDOW_OPEN -> st.add(host, GuestStats.INTERRUPT_WINDOWS);
            case KvmVcpu.EXIT_HLT -> st.add(host, GuestStats.HLT);
            case KvmVcpu.EXIT_IO -> st.add(host, GuestStats.IO);
            case KvmVcpu.EXIT_MMIO, KvmVcpu.RUN_MEMORY_FAULT -> st.add(host, GuestStats.EPT_VIOLATIONS);
            default -> { }
        }
    }

    /** HLT: the VCPU sleeps until an interrupt is pending (or the resume ends). */
    private void awaitInterrupt() {
        synchronized (lock) {
            while (!pending.any() && !stopRequested && !closing) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    java.lang.Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private Outcome onIo() {
        if (cpu.ioCount() != 1) return new Outcome(null, ZxStatus.ERR_NOT_SUPPORTED); // string IO: not in Zircon either
        Trap trap = guest.traps().findIo(cpu.ioPort());
        if (trap == null) return new Outcome(null, ZxStatus.ERR_NOT_FOUND);
        return new Outcome(packets.io(trap), ZxStatus.OK);
    }

    /** A BELL is queued and the VCPU continues (null); a MEM trap ends the resume with its packet. */
    private Outcome onMmio() {
        long addr = cpu.mmioAddress();
        Trap trap = guest.traps().findMemory(addr);
        if (trap == null) return new Outcome(null, ZxStatus.ERR_NOT_FOUND);
        if (trap.kind() == Trap.BELL) {
            trap.port().queueKernel(PortPacket.guestBell(trap.key(), addr));
            return null; // the access completes on the next entry
        }
        return new Outcome(packets.mem(trap, addr), ZxStatus.OK);
    }

    // ---- interrupts ----

    /**
     * {@code zx_vcpu_interrupt}: marks {@code vector} pending and gets a running VCPU to take it.
     *
     * @throws ZxException OUT_OF_RANGE for a vector above 255
     */
    @Override
    public void interrupt(long vector) {
        if (vector < 0 || vector > 255) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE);
        synchronized (lock) {
            if (closing) return; // nobody will run this VCPU again
            pending.add((int) vector);
            lock.notifyAll();
            cpu.kick(); // under the lock: never after close() released the run area
        }
    }

    /** Zircon's order: NMI, then the highest vector; external interrupts wait for an open window. */
    private int injectPending() {
        synchronized (lock) {
            int v = pending.has(X86_INT_NMI) ? X86_INT_NMI : pending.highest();
            if (v < 0) {
                cpu.requestInterruptWindow(false);
                return ZxStatus.OK;
            }
            if (v > X86_INT_VIRT && v < X86_INT_PLATFORM_BASE) {
                pending.remove(v);
                return ZxStatus.ERR_NOT_SUPPORTED;
            }
            if (v == X86_INT_NMI) {
                pending.remove(v);
                cpu.injectNmi();
                return ZxStatus.OK;
            }
            if (v < X86_INT_PLATFORM_BASE) {
                pending.remove(v);
                cpu.injectException(v);
                return ZxStatus.OK;
            }
            if (!cpu.canTakeInterrupt()) {
                cpu.requestInterruptWindow(true);
                return ZxStatus.OK;
            }
            try {
                cpu.injectInterrupt(v);
                pending.remove(v);
            } catch (KvmException e) {
                // one is still queued in KVM: try again at the next window
            }
            cpu.requestInterruptWindow(pending.any());
            return ZxStatus.OK;
        }
    }

    // ---- state ----

    /** {@code zx_vcpu_read_state(ZX_VCPU_STATE)}: 16 registers and the user bits of rflags. */
    public long[] readState(Thread caller) {
        checkOwner(caller);
        long[] k = regs();
        long[] out = new long[17];
        for (int i = 0; i < 16; i++) out[i] = k[KVM_INDEX[i]];
        out[16] = k[KVM_RFLAGS] & FLAGS_USER;
        return out;
    }

    /** {@code zx_vcpu_write_state(ZX_VCPU_STATE)}; rflags only if its always-one bit is set, user bits only. */
    public void writeState(Thread caller, long[] state) {
        checkOwner(caller);
        if (state.length != 17) throw new IllegalArgumentException("zx_vcpu_state_t has 17 fields");
        synchronized (lock) {
            requireIdleLocked();
            long[] k = cpu.getRegs();
            for (int i = 0; i < 16; i++) k[KVM_INDEX[i]] = state[i];
            if ((state[16] & FLAGS_RESERVED_ONES) != 0) k[KVM_RFLAGS] = (k[KVM_RFLAGS] & ~FLAGS_USER) | (state[16] & FLAGS_USER);
            cpu.setRegs(k);
        }
    }

    /**
     * {@code zx_vcpu_write_state(ZX_VCPU_IO)}: the low {@code accessSize} bytes of rax (an IN's result).
     *
     * @throws ZxException INVALID_ARGS unless the size is 1, 2 or 4
     */
    public void writeIo(Thread caller, int accessSize, int data) {
        checkOwner(caller);
        if (accessSize != 1 && accessSize != 2 && accessSize != 4) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        long mask = accessSize == 4 ? 0xffffffffL : (1L << (8 * accessSize)) - 1;
        synchronized (lock) {
            requireIdleLocked();
            long[] k = cpu.getRegs();
            k[0] = (k[0] & ~mask) | (data & mask);
            cpu.setRegs(k);
        }
    }

    private long[] regs() {
        synchronized (lock) {
            requireIdleLocked();
            return cpu.getRegs();
        }
    }

    private void requireIdleLocked() {
        if (closing || busy || runRequested) throw new ZxException(ZxStatus.ERR_BAD_STATE);
    }

    // ---- lifetime ----

    @Override
    protected void onZeroHandles() {
        close();
    }

    /** Stops the runner and releases the KVM VCPU. Idempotent. */
    void close() {
        synchronized (lock) {
            if (closing) return;
            closing = true;
            lock.notifyAll();
        }
        cpu.kick();
        boolean interrupted = false;
        while (runner.isAlive()) {
            try {
                runner.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) java.lang.Thread.currentThread().interrupt();
        synchronized (lock) {
            cpu.close();
        }
        hypervisor.unbindThread(owner, this);
        guest.vcpuGone(id, this);
    }
}
