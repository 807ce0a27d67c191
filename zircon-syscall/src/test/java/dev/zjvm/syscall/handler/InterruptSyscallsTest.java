package dev.zjvm.syscall.handler;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.ObjectType;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.dev.Interrupt;
import dev.zjvm.object.dev.Resource;
import dev.zjvm.object.dev.ResourceKind;
import dev.zjvm.object.ipc.Port;
import dev.zjvm.object.ipc.PortPacket;
import dev.zjvm.object.task.BlockingContext;
import dev.zjvm.object.task.ThreadState;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.testing.ErrorChecks;
import dev.zjvm.syscall.testing.LeakCheck;
import dev.zjvm.syscall.testing.SyscallHarness;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InterruptSyscallsTest {
    private final SyscallHarness h = new SyscallHarness();

    private int virt() {
        long out = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("interrupt_create", 0, 0, Interrupt.OPT_VIRTUAL, out));
        return h.u32(out);
    }

    private int triggered() {
        int i = virt();
        assertEquals(ZxStatus.OK, h.status("interrupt_trigger", i, 0, 99));
        return i;
    }

    private int port() {
        return h.install(Port.create(h.kernel, Port.BIND_TO_INTERRUPT));
    }

    private int bound() {
        int i = virt();
        assertEquals(ZxStatus.OK, h.status("interrupt_bind", i, port(), 1, Interrupt.BIND));
        return i;
    }

    private PortPacket take(int port) {
        return h.object(port, Port.class).await(h.deadlineIn(30_000), BlockingContext.NONE);
    }

    /** Waits on a new guest thread; returns its context once it is blocked in interrupt_wait. */
    private CompletableFuture<Long> waitOnGuest(int irq, long out, SyscallContext[] who) {
        CompletableFuture<Long> f = h.runAsGuest("waiter", c -> {
            who[0] = c;
            return h.callAs(c, "interrupt_wait", irq, out);
        });
        while (who[0] == null) Thread.onSpinWait();
        SyscallHarness.awaitThreadState(who[0].thread(), ThreadState.BLOCKED_INTERRUPT);
        return f;
    }

    @Test
    void createVirtualAndPhysical() {
        int v = virt();
        assertEquals(ObjectType.INTERRUPT.defaultRights(), h.rights(v));
        long out = h.alloc(4);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("interrupt_create", 0, 0, Interrupt.OPT_VIRTUAL | 1, out));
        Resource irqs = Resource.root(h.kernel).createChild(ResourceKind.IRQ.value(), 32, 8, "irqs");
        int res = h.install(irqs);
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, h.status("interrupt_create", res, 33, 0, out));
        assertEquals(ZxStatus.ERR_ACCESS_DENIED, h.status("interrupt_create", res, 40, 0, out), "outside the range");
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("interrupt_create", res, 33, 0x20, out), "unknown option");
        Resource mmio = Resource.root(h.kernel).createChild(ResourceKind.MMIO.value(), 0, 4096, "mmio");
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status("interrupt_create", h.install(mmio), 0, 0, out));
        ErrorChecks.of(h, "interrupt_create").args(0, 0, Interrupt.OPT_VIRTUAL, 0).out(3).run();
        ErrorChecks.of(h, "interrupt_create").args(0, 34, Interrupt.OPT_REMAP_IRQ, out)
                .handle(0, () -> h.install(irqs), 0).validStatus(ZxStatus.ERR_NOT_SUPPORTED).run();
    }

    @Test
    void triggerThenWaitReturnsTheFirstTimestamp() {
        int i = virt();
        assertEquals(ZxStatus.OK, h.status("interrupt_trigger", i, 0, 1234));
        assertEquals(ZxStatus.OK, h.status("interrupt_trigger", i, 0, 5678));
        long out = h.alloc(8);
        assertEquals(ZxStatus.OK, h.status("interrupt_wait", i, out));
        assertEquals(1234, h.u64(out));
        assertEquals(ZxStatus.OK, h.status("interrupt_trigger", i, 0, 0));
        assertEquals(ZxStatus.OK, h.status("interrupt_wait", i, 0), "NULL timestamp is not wanted");
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("interrupt_trigger", i, 1, 0));
    }

    @Test
    void triggerWakesABlockedWaiter() throws Exception {
        int i = virt();
        long out = h.alloc(8);
        SyscallContext[] who = new SyscallContext[1];
        CompletableFuture<Long> f = waitOnGuest(i, out, who);
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("interrupt_wait", i, h.alloc(8)), "one waiter at a time");
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("interrupt_bind", i, port(), 0, Interrupt.BIND), "bind while waiting");
        assertEquals(ZxStatus.OK, h.status("interrupt_trigger", i, 0, 555));
        assertEquals(ZxStatus.OK, f.get(30, TimeUnit.SECONDS).intValue());
        assertEquals(555, h.u64(out));
    }

    @Test
    void destroyCancelsTheWaiterAndLaterCalls() throws Exception {
        int i = virt();
        SyscallContext[] who = new SyscallContext[1];
        CompletableFuture<Long> f = waitOnGuest(i, h.alloc(8), who);
        assertEquals(ZxStatus.OK, h.status("interrupt_destroy", i));
        assertEquals(ZxStatus.ERR_CANCELED, f.get(30, TimeUnit.SECONDS).intValue());
        assertEquals(ZxStatus.ERR_CANCELED, h.status("interrupt_trigger", i, 0, 1));
        assertEquals(ZxStatus.ERR_CANCELED, h.status("interrupt_wait", i, h.alloc(8)));
        assertEquals(ZxStatus.ERR_CANCELED, h.status("interrupt_bind", i, port(), 0, Interrupt.BIND));
    }

    @Test
    void closingTheLastHandleCancelsTheWaiter() throws Exception {
        int i = virt();
        SyscallContext[] who = new SyscallContext[1];
        CompletableFuture<Long> f = waitOnGuest(i, h.alloc(8), who);
        h.process.handleTable().close(i);
        assertEquals(ZxStatus.ERR_CANCELED, f.get(30, TimeUnit.SECONDS).intValue());
    }

    @Test
    void killWakesTheWaiter() throws Exception {
        int i = virt();
        SyscallContext[] who = new SyscallContext[1];
        CompletableFuture<Long> f = waitOnGuest(i, h.alloc(8), who);
        who[0].thread().kill();
        assertEquals(ZxStatus.ERR_INTERNAL_INTR_KILLED, f.get(30, TimeUnit.SECONDS).intValue());
        // The interrupt is usable again.
        assertEquals(ZxStatus.OK, h.status("interrupt_trigger", i, 0, 3));
        assertEquals(ZxStatus.OK, h.status("interrupt_wait", i, 0));
    }

    @Test
    void suspendedWaiterRetriesAndStillGetsTheTrigger() throws Exception {
        int i = virt();
        long out = h.alloc(8);
        CompletableFuture<dev.zjvm.object.task.Thread> self = new CompletableFuture<>();
        CompletableFuture<Long> first = new CompletableFuture<>();
        CompletableFuture<Long> second = h.runAsGuest("waiter", c -> {
            self.complete(c.thread());
            first.complete(h.callAs(c, "interrupt_wait", i, out));
            return h.callAs(c, "interrupt_wait", i, out); // the vDSO repeats a call that got INTR_RETRY
        });
        dev.zjvm.object.task.Thread t = self.get(30, TimeUnit.SECONDS);
        SyscallHarness.awaitThreadState(t, ThreadState.BLOCKED_INTERRUPT);
        long tok = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("task_suspend", h.install(t), tok));
        SyscallHarness.awaitThreadState(t, ThreadState.SUSPENDED);
        h.call("handle_close", h.u32(tok));
        assertEquals(ZxStatus.ERR_INTERNAL_INTR_RETRY, first.get(30, TimeUnit.SECONDS).intValue());
        SyscallHarness.awaitThreadState(t, ThreadState.BLOCKED_INTERRUPT);
        assertEquals(ZxStatus.OK, h.status("interrupt_trigger", i, 0, 4242));
        assertEquals(ZxStatus.OK, second.get(30, TimeUnit.SECONDS).intValue());
        assertEquals(4242, h.u64(out));
    }

    @Test
    void packetsReachTheBoundPortOneAtATime() {
        int i = virt();
        int p = port();
        Port port = h.object(p, Port.class);
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("interrupt_ack", i), "not bound");
        assertEquals(ZxStatus.OK, h.status("interrupt_bind", i, p, 0xabc, Interrupt.BIND));
        assertEquals(ZxStatus.ERR_ALREADY_BOUND, h.status("interrupt_bind", i, port(), 1, Interrupt.BIND));
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("interrupt_wait", i, h.alloc(8)), "bound to a port");
        assertEquals(ZxStatus.OK, h.status("interrupt_trigger", i, 0, 7));
        PortPacket pkt = take(p);
        assertEquals(PortPacket.TYPE_INTERRUPT, pkt.type());
        assertEquals(0xabc, pkt.key());
        assertEquals(ZxStatus.OK, pkt.status());
        assertEquals(7, pkt.w0());
        assertEquals(ZxStatus.OK, h.status("interrupt_trigger", i, 0, 8));
        assertEquals(ZxStatus.OK, h.status("interrupt_trigger", i, 0, 9));
        assertEquals(0, port.queuedPackets(), "no second packet before the ack");
        assertEquals(ZxStatus.OK, h.status("interrupt_ack", i));
        assertEquals(8, take(p).w0(), "the trigger that came meanwhile is sent on ack");
        assertEquals(ZxStatus.OK, h.status("interrupt_ack", i));
        assertEquals(0, port.queuedPackets());
        assertEquals(ZxStatus.OK, h.status("interrupt_trigger", i, 0, 10));
        assertEquals(1, port.queuedPackets());
        assertEquals(ZxStatus.ERR_NOT_FOUND, h.status("interrupt_bind", i, port(), 0, Interrupt.UNBIND));
        assertEquals(ZxStatus.OK, h.status("interrupt_bind", i, p, 0, Interrupt.UNBIND));
        assertEquals(0, port.queuedPackets(), "unbind takes the queued packet back");
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("interrupt_bind", i, p, 0, 2));
        int plain = h.install(Port.create(h.kernel, 0));
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status("interrupt_bind", i, plain, 0, Interrupt.BIND));
    }

    @Test
    void oneQueuedPacketPerInterrupt() {
        int i = virt();
        int p = port();
        Port port = h.object(p, Port.class);
        h.call("interrupt_bind", i, p, 3, Interrupt.BIND);
        h.call("interrupt_trigger", i, 0, 1);
        assertEquals(ZxStatus.OK, h.status("interrupt_ack", i), "acknowledged before the packet was read");
        assertEquals(ZxStatus.OK, h.status("interrupt_trigger", i, 0, 2));
        assertEquals(1, port.queuedPackets(), "the queued packet is not duplicated");
        assertEquals(ZxStatus.OK, h.status("interrupt_trigger", i, 0, 3));
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("interrupt_ack", i), "a trigger waits behind a queued packet");
        assertEquals(1, take(p).w0());
        assertEquals(0, port.queuedPackets());
    }

    @Test
    void bindingATriggeredInterruptSendsAtOnce() {
        int i = triggered();
        int p = port();
        assertEquals(ZxStatus.OK, h.status("interrupt_bind", i, p, 5, Interrupt.BIND));
        PortPacket pkt = take(p);
        assertEquals(5, pkt.key());
        assertEquals(99, pkt.w0());
    }

    @Test
    void destroyWhileBound() {
        int i = bound();
        assertEquals(ZxStatus.OK, h.status("interrupt_trigger", i, 0, 1));
        assertEquals(ZxStatus.OK, h.status("interrupt_destroy", i), "the queued packet is taken back");
        assertEquals(ZxStatus.ERR_CANCELED, h.status("interrupt_ack", i));

        int j = virt();
        int p = port();
        h.call("interrupt_bind", j, p, 0, Interrupt.BIND);
        h.call("interrupt_trigger", j, 0, 2);
        take(p);
        assertEquals(ZxStatus.ERR_NOT_FOUND, h.status("interrupt_destroy", j), "delivered but not acknowledged");
        assertEquals(ZxStatus.ERR_CANCELED, h.status("interrupt_trigger", j, 0, 3));
    }

    @Test
    void boundInterruptsAndPortsAreReclaimed() {
        LeakCheck leaks = LeakCheck.baseline(h.kernel);
        int i = virt();
        int p = port();
        h.call("interrupt_bind", i, p, 1, Interrupt.BIND);
        h.call("interrupt_trigger", i, 0, 1);
        h.call("handle_close", i);
        h.call("handle_close", p);
        leaks.assertNoNewObjects();
    }

    @Test
    void handleErrors() {
        ErrorChecks.of(h, "interrupt_bind").args(0, 0, 1, Interrupt.BIND)
                .handle(0, this::virt, Rights.READ).handle(1, this::port, Rights.WRITE).run();
        ErrorChecks.of(h, "interrupt_wait").args(0, 0).handle(0, this::triggered, Rights.WAIT).optionalOut(1).run();
        ErrorChecks.of(h, "interrupt_trigger").args(0, 0, 1).handle(0, this::virt, Rights.SIGNAL).run();
        ErrorChecks.of(h, "interrupt_ack").args(0).handle(0, this::bound, Rights.WRITE).run();
        ErrorChecks.of(h, "interrupt_destroy").args(0).handle(0, this::virt, 0).run();
        ErrorChecks.of(h, "interrupt_bind_vcpu").args(0, 0, 0).handle(0, this::virt, Rights.READ)
                .anyHandle(1, h::newEvent, 0).validStatus(ZxStatus.ERR_WRONG_TYPE).run();
        assertEquals(ZxStatus.ERR_BAD_HANDLE, h.status("interrupt_bind_vcpu", virt(), 0, 0));
    }
}
