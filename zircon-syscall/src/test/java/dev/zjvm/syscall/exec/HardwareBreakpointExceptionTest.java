package dev.zjvm.syscall.exec;

import static dev.zjvm.hal.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.zjvm.hal.cpu.Asm;
import dev.zjvm.hal.cpu.GuestCpu;
import dev.zjvm.hal.cpu.HardwareBreakpoints;
import dev.zjvm.hal.host.HostMemory;
import dev.zjvm.hal.host.Libc;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.exception.ExceptionObject;
import dev.zjvm.object.exception.ExceptionType;
import dev.zjvm.object.ipc.Channel;
import dev.zjvm.object.ipc.ChannelRead;
import dev.zjvm.object.task.Thread;
import dev.zjvm.object.task.ThreadLauncher;
import dev.zjvm.object.task.ThreadState;
import dev.zjvm.syscall.testing.SyscallHarness;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * End to end on a native guest thread: debug registers written with thread_write_state fire as
 * ZX_EXCP_HW_BREAKPOINT through an exception channel, DR6 says which, and the thread continues
 * past an instruction breakpoint once the exception is handled.
 */
class HardwareBreakpointExceptionTest {
    private static final int STATE_GENERAL = 0, STATE_DEBUG = 4, STATE_SINGLE_STEP = 5, PROP_EXCEPTION_STATE = 16;
    private static final long DR6_FIXED = ContextRegisters.DR6_FIXED;
    private static final long VALUE = 0x0123_4567_89AB_CDEFL;

    private final SyscallHarness h = new SyscallHarness();

    @Test
    void anInstructionBreakpointAndAWriteWatchpointStopTheGuestAndItRunsOn() throws Exception {
        assumeTrue(HardwareBreakpoints.availableOnThisHost(),
                "perf_event_open(PERF_TYPE_BREAKPOINT, sigtrap) is not permitted on this host");
        GuestCpu cpu = GuestCpu.create();
        h.kernel.installService(ThreadLauncher.class, new NativeThreadLauncher(cpu, h.dispatcher));

        // guest(rdi = data, rsi = value): at: [rdi] = rsi; zx_thread_exit()
        Asm a = new Asm();
        a.label("guest");
        a.label("at");
        a.movStore(RDI, 0, RSI);
        a.label("after");
        a.movImm64(R11, cpu.syscallEntryAddress());
        a.movImm32(RAX, SyscallHarness.number("thread_exit"));
        a.callR(R11);
        a.ud2();
        long code = HostMemory.installCode(a.finish());
        long at = code + a.offsetOf("at"), after = code + a.offsetOf("after");
        long stack = HostMemory.map(64 * 1024, Libc.PROT_READ | Libc.PROT_WRITE) + 64 * 1024 - 8;
        long data = HostMemory.map(4096, Libc.PROT_READ | Libc.PROT_WRITE);

        Thread t = h.process.createThread("bp");
        int th = h.install(t);
        long out = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("task_create_exception_channel", th, 0, out));
        Channel ch = h.object(h.u32(out), Channel.class);
        assertEquals(ZxStatus.OK, h.status("task_suspend", th, out));
        int token = h.u32(out);
        t.start(code + a.offsetOf("guest"), stack, data, VALUE);
        SyscallHarness.awaitThreadState(t, ThreadState.SUSPENDED);

        // DR0: execute at "at" (armed when the runner first enters the guest)
        long dbg = h.alloc(48);
        h.putU64(dbg, at);
        h.putU64(dbg + 40, 1);
        assertEquals(ZxStatus.OK, h.status("thread_write_state", th, STATE_DEBUG, dbg, 48));
        assertEquals(ZxStatus.OK, h.status("handle_close", token));

        long regs = h.alloc(160);
        int ex = nextException(ch);
        assertEquals(ZxStatus.OK, h.status("thread_read_state", th, STATE_DEBUG, dbg, 48));
        assertEquals(DR6_FIXED | 1, h.u64(dbg + 32), "DR6.B0");
        assertEquals(ZxStatus.OK, h.status("thread_read_state", th, STATE_GENERAL, regs, 160));
        assertEquals(at, h.u64(regs + 128), "stopped before the instruction");
        assertEquals(0, HostMemory.getLong(data));
        // from this (debugger) thread, on the stopped runner's host thread: add DR1, write, 8 bytes, at data
        h.putU64(dbg + 8, data);
        h.putU64(dbg + 40, 1 | (1 << 2) | (1L << 20) | (2L << 22));
        assertEquals(ZxStatus.OK, h.status("thread_write_state", th, STATE_DEBUG, dbg, 48));
        handle(ex);

        ex = nextException(ch);
        assertEquals(ZxStatus.OK, h.status("thread_read_state", th, STATE_DEBUG, dbg, 48));
        assertEquals(DR6_FIXED | 2, h.u64(dbg + 32), "DR6.B1");
        assertEquals(ZxStatus.OK, h.status("thread_read_state", th, STATE_GENERAL, regs, 160));
        assertEquals(after, h.u64(regs + 128), "stopped after the store");
        assertEquals(VALUE, HostMemory.getLong(data));
        handle(ex);

        SyscallHarness.awaitThreadState(t, ThreadState.DEAD);
        assertEquals(0, ch.queuedMessages(), "no further exception");
    }

    @Test
    void singleStepStopsAfterEachInstructionUntilCleared() throws Exception {
        GuestCpu cpu = GuestCpu.create();
        h.kernel.installService(ThreadLauncher.class, new NativeThreadLauncher(cpu, h.dispatcher));
        Asm a = new Asm();
        a.label("guest");
        a.movStore(RDI, 0, RSI);                       // [rdi] = rsi
        a.label("second");
        a.movImm64(R11, cpu.syscallEntryAddress());
        a.label("third");
        a.xor32(RDI, RDI);
        a.label("nr");
        a.movImm32(RAX, SyscallHarness.number("handle_close"));   // zx_handle_close(ZX_HANDLE_INVALID): OK
        a.label("call");
        a.callR(R11);                                  // stepped: one step that ends after the call
        a.label("fourth");
        a.movImm32(RAX, SyscallHarness.number("thread_exit"));
        a.callR(R11);
        a.ud2();
        long code = HostMemory.installCode(a.finish());
        long stack = HostMemory.map(64 * 1024, Libc.PROT_READ | Libc.PROT_WRITE) + 64 * 1024 - 8;
        long data = HostMemory.map(4096, Libc.PROT_READ | Libc.PROT_WRITE);

        Thread t = h.process.createThread("step");
        int th = h.install(t);
        long out = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("task_create_exception_channel", th, 0, out));
        Channel ch = h.object(h.u32(out), Channel.class);
        assertEquals(ZxStatus.OK, h.status("task_suspend", th, out));
        int token = h.u32(out);
        t.start(code + a.offsetOf("guest"), stack, data, VALUE);
        SyscallHarness.awaitThreadState(t, ThreadState.SUSPENDED);
        long step = h.alloc(4);
        h.putU32(step, 1);
        assertEquals(ZxStatus.OK, h.status("thread_write_state", th, STATE_SINGLE_STEP, step, 4));
        assertEquals(ZxStatus.OK, h.status("handle_close", token));

        long regs = h.alloc(160), dbg = h.alloc(48);
        for (String label : new String[] {"second", "third", "nr", "call", "fourth"}) {
            int ex = nextException(ch);
            assertEquals(ZxStatus.OK, h.status("thread_read_state", th, STATE_GENERAL, regs, 160));
            assertEquals(code + a.offsetOf(label), h.u64(regs + 128), "one instruction further");
            assertEquals(ZxStatus.OK, h.status("thread_read_state", th, STATE_DEBUG, dbg, 48));
            assertEquals(DR6_FIXED | 0x4000, h.u64(dbg + 32), "DR6.BS");
            assertEquals(ZxStatus.OK, h.status("thread_read_state", th, STATE_SINGLE_STEP, step, 4));
            assertEquals(1, h.u32(step));
            if (label.equals("fourth")) {
                h.putU32(step, 0);
                assertEquals(ZxStatus.OK, h.status("thread_write_state", th, STATE_SINGLE_STEP, step, 4));
            }
            handle(ex);
        }
        assertEquals(VALUE, HostMemory.getLong(data));
        SyscallHarness.awaitThreadState(t, ThreadState.DEAD);
        assertEquals(0, ch.queuedMessages(), "no step once cleared");
    }

    /** Waits for the next exception message: must be a hardware breakpoint; returns its handle. */
    private int nextException(Channel ch) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ch.queuedMessages() == 0) {
            assertTrue(System.nanoTime() < end, "no exception message");
            java.lang.Thread.sleep(1);
        }
        ChannelRead r = ch.read(0, 64, 1);
        ByteBuffer info = ByteBuffer.wrap(r.message().data()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(ExceptionType.HW_BREAKPOINT, info.getInt(16));
        return h.process.handleTable().add(r.message().handles().get(0));
    }

    private void handle(int ex) {
        long state = h.alloc(4);
        h.putU32(state, ExceptionObject.STATE_HANDLED);
        assertEquals(ZxStatus.OK, h.status("object_set_property", ex, PROP_EXCEPTION_STATE, state, 4));
        assertEquals(ZxStatus.OK, h.status("handle_close", ex));
    }
}
