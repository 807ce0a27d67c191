package dev.zjvm.syscall.exec;

import dev.zjvm.hal.cpu.GuestCpu;
import dev.zjvm.hal.cpu.GuestThread;
import dev.zjvm.hal.cpu.Register;
import dev.zjvm.hal.cpu.SyscallExit;
import dev.zjvm.hal.cpu.SyscallHandler;
import dev.zjvm.hal.cpu.Trap;
import dev.zjvm.hal.cpu.TrapKind;
import dev.zjvm.hal.cpu.UserContext;
import dev.zjvm.object.exception.ExceptionReport;
import dev.zjvm.object.exception.Exceptions;
import dev.zjvm.object.exception.Resolution;
import dev.zjvm.object.task.Process;
import dev.zjvm.object.task.Task;
import dev.zjvm.object.task.Thread;
import dev.zjvm.object.task.ThreadLauncher;
import dev.zjvm.syscall.dispatch.Dispatcher;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.user.VmarUserMemory;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs guest threads natively: each started Zircon thread gets a HAL {@link UserContext} and its
 * own Java platform thread, whose syscalls go to the {@link Dispatcher}. Install it as the
 * kernel's {@link ThreadLauncher}.
 */
public final class NativeThreadLauncher implements ThreadLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(NativeThreadLauncher.class);

    private final GuestCpu cpu;
    private final Dispatcher dispatcher;

    public NativeThreadLauncher(GuestCpu cpu, Dispatcher dispatcher) {
        this.cpu = cpu;
        this.dispatcher = dispatcher;
    }

    @Override
    public void launch(Thread thread, StartInfo start) {
        Process process = thread.process();
        UserContext ctx = cpu.newContext();
        ctx.setRip(start.entry());
        ctx.setRsp(start.stack());
        ctx.setRegister(Register.RDI, start.arg1());
        ctx.setRegister(Register.RSI, start.arg2());
        // User copies wait for pager pages as this thread, so a kill ends them.
        SyscallContext caller = new SyscallContext(process, thread, VmarUserMemory.of(process, thread));
        String name = process.name() + ":" + thread.name();
        cpu.start(name.isEmpty() ? "guest-" + thread.koid() : name, ctx, new Runner(thread, caller, dispatcher));
    }

    /** The kernel side of one guest thread. */
    private static final class Runner implements SyscallHandler {
        private final Thread thread;
        private final SyscallContext caller;
        private final Dispatcher dispatcher;

        Runner(Thread thread, SyscallContext caller, Dispatcher dispatcher) {
            this.thread = thread;
            this.caller = caller;
            this.dispatcher = dispatcher;
        }

        private ContextRegisters registers;

        @Override
        public boolean onStart(GuestThread guest) {
            if (!thread.bindCurrent()) {
                thread.exit();
                return false;
            }
            registers = new ContextRegisters(guest.context());
            thread.attachRegisters(registers);
            // Debugger notifications (PROCESS/THREAD_STARTING), then a suspension from before the
            // start takes effect before the first instruction.
            boolean alive = Exceptions.threadStarting(thread);
            return thread.returnToUser() && alive; // returnToUser ends a killed thread
        }

        @Override
        public long onSyscall(GuestThread guest, SyscallExit call) {
            long result = dispatcher.dispatch(caller, (int) call.number(), call.arg0(), call.arg1(), call.arg2(),
                    call.arg3(), call.arg4(), call.arg5(), call.arg6(), call.arg7());
            // A thread that exited or was killed during the call never returns to guest code. Dead
            // implies dying (exit() marks it first), so the lock-free check covers both; exit() is
            // a no-op for a thread already dead.
            if (thread.isDying()) {
                thread.exit();
                guest.exit();
            }
            return result;
        }

        @Override
        public TrapAction onTrap(GuestThread guest, Trap trap) {
            ExceptionReport report = new ExceptionReport(trap.kind().zirconExceptionType(), trap.vector(),
                    trap.errorCode(), trap.faultAddress());
            if (trap.kind() == TrapKind.HW_BREAKPOINT) registers.hardwareBreakpointHit(trap.debugStatus());
            registers.setInTrap(true);
            Resolution r;
            try {
                r = Exceptions.raise(thread, report);
            } finally {
                registers.setInTrap(false);
            }
            if (r == Resolution.RESUME && thread.returnToUser()) return TrapAction.RESUME;
            if (caller.process().returnCode() == Task.RETCODE_EXCEPTION_KILL) {
                // No exception handler took it: say where, so a crash is never silent.
                LOG.error("guest fault in {} ({}): {} at address 0x{}, rip 0x{}; registers: {}; process killed",
                        caller.process().name(), new String(thread.nameBytes(), StandardCharsets.UTF_8), trap.kind(),
                        Long.toHexString(trap.faultAddress()), Long.toHexString(guest.context().rip()),
                        trap.registers());
            }
            thread.exit(); // idempotent: nothing to do if the kill already ended it
            return TrapAction.EXIT;
        }
    }
}
