package dev.zjvm.syscall.handler;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.boot.KernelOptions;
import dev.zjvm.object.debuglog.DebugLog;
import dev.zjvm.object.dev.PowerControl;
import dev.zjvm.object.dev.Resource;
import dev.zjvm.object.dev.ResourceKind;
import dev.zjvm.object.exception.ExceptionObject;
import dev.zjvm.object.exception.ExceptionReport;
import dev.zjvm.object.exception.ExceptionType;
import dev.zjvm.object.exception.Exceptions;
import dev.zjvm.object.exception.Resolution;
import dev.zjvm.object.ipc.Channel;
import dev.zjvm.object.ipc.ChannelRead;
import dev.zjvm.object.ipc.Event;
import dev.zjvm.object.task.Thread;
import dev.zjvm.object.vm.Vmar;
import dev.zjvm.object.vm.VmAddressSpace;
import dev.zjvm.object.vm.Vmo;
import dev.zjvm.syscall.testing.ErrorChecks;
import dev.zjvm.syscall.testing.SyscallHarness;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/**
 * The generic handle and pointer errors of the handle-taking syscalls that no family test drove
 * through {@link ErrorChecks} (ErrorChecksCoverageTest keeps that list empty).
 */
class GenericErrorsCoverageTest {
    private static final int NS = ZxStatus.ERR_NOT_SUPPORTED;
    private final SyscallHarness h = new SyscallHarness();

    private int root() {
        return h.install(Resource.root(h.kernel));
    }

    private int mmioResource() {
        return h.install(Resource.root(h.kernel).createChild(ResourceKind.MMIO.value(), 0, 4096, "mmio"));
    }

    // ---- debuglog ----

    @Test
    void debuglog() {
        ErrorChecks.of(h, "debuglog_create").args(0, DebugLog.FLAG_READABLE, 0).handle(0, this::root, 0).out(2).run();
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status("debuglog_create", mmioResource(), 0, h.alloc(4)),
                "only the root resource");

        IntSupplier log = () -> h.install(DebugLog.create(h.kernel, DebugLog.FLAG_READABLE),
                ObjectType.LOG.defaultRights() | Rights.READ);
        long text = h.string("hello");
        ErrorChecks.of(h, "debuglog_write").args(0, 0, text, 5).handle(0, log, Rights.WRITE).in(2).run();

        // A fresh reader starts at the oldest record, so every valid read returns the same record.
        long buf = h.alloc(256);
        int size = h.status("debuglog_read", log.getAsInt(), 0, buf, 256);
        assertTrue(size > 5, "a record: header and text");
        ErrorChecks.of(h, "debuglog_read").args(0, 0, 0, 256).handle(0, log, Rights.READ).out(2)
                .validStatus(size).run();
    }

    // ---- exceptions ----

    @Test
    void exceptionGetThreadAndProcess() throws Exception {
        long out = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("task_create_exception_channel", h.install(h.process), 0, out));
        Channel ch = h.object(h.u32(out), Channel.class);
        CompletableFuture<Resolution> run = h.runAsGuest("faulter",
                c -> Exceptions.raise(c.thread(), ExceptionReport.synthetic(ExceptionType.POLICY_ERROR)));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (ch.queuedMessages() == 0) {
            assertTrue(System.nanoTime() < end, "no exception message");
            java.lang.Thread.sleep(1);
        }
        ChannelRead r = ch.read(0, 64, 1);
        int master = h.process.handleTable().add(r.message().handles().get(0));
        ExceptionObject ex = h.object(master, ExceptionObject.class);
        // Further handles to the same exception: closing them does not end the handler's turn.
        List<Integer> given = new java.util.ArrayList<>();
        IntSupplier exception = () -> {
            int v = h.install(ex, ExceptionObject.RIGHTS);
            given.add(v);
            return v;
        };
        ErrorChecks.of(h, "exception_get_thread").handle(0, exception, 0).out(1).run();
        ErrorChecks.of(h, "exception_get_process").handle(0, exception, 0).out(1).run();
        assertFalse(run.isDone(), "the failed calls did not end the exception");

        for (int v : given) { // the valid calls' handles are still open
            if (h.isValid(v) && h.object(v, KernelObject.class) == ex) h.process.handleTable().close(v);
        }
        h.putU32(out, ExceptionObject.STATE_HANDLED);
        assertEquals(ZxStatus.OK, h.status("object_set_property", master, ObjectInfoSyscalls.PROP_EXCEPTION_STATE, out, 4));
        assertEquals(ZxStatus.OK, h.status("handle_close", master));
        assertEquals(Resolution.RESUME, run.get(60, TimeUnit.SECONDS));
    }

    // ---- futex owners ----

    private Thread otherThread() {
        return h.newThreadContext("owner").thread();
    }

    @Test
    void futexOwnerHandles() {
        Thread owner = otherThread();
        IntSupplier ownerHandle = () -> h.install(owner);
        long word = h.alloc(8);
        long target = h.alloc(8);
        h.putU32(word, 5);
        // The value matches and the deadline has passed: the wait times out without blocking.
        ErrorChecks.of(h, "futex_wait").args(word, 5, 0, 0).handle(2, ownerHandle, 0).aligned(0, 4)
                .validStatus(ZxStatus.ERR_TIMED_OUT).run();
        ErrorChecks.of(h, "futex_requeue").args(word, 1, 5, target, 1, 0).handle(5, ownerHandle, 0).aligned(0, 4).run();
        ErrorChecks.of(h, "futex_requeue_single_owner").args(word, 5, target, 1, 0).handle(4, ownerHandle, 0)
                .aligned(0, 4).run();
        // requeue_ptr is only a key (never read): NULL and misaligned are its errors.
        int o = ownerHandle.getAsInt();
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("futex_requeue", word, 1, 5, 0, 1, o));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("futex_requeue", word, 1, 5, target + 2, 1, o));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("futex_requeue_single_owner", word, 5, 0, 1, o));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("futex_requeue_single_owner", word, 5, target + 1, 1, o));
        // The owner handle is looked up only when the value matched (spec): BAD_STATE first.
        int stale = h.newEvent();
        h.call("handle_close", stale);
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("futex_wait", word, 6, stale, 0));
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("futex_requeue", word, 1, 6, target, 1, stale));
    }

    // ---- system ----

    @Test
    void systemGetEvent() {
        // OUT_OF_MEMORY needs MANAGE_PROCESS on the root job.
        ErrorChecks.of(h, "system_get_event").args(0, SystemSyscalls.EVENT_OUT_OF_MEMORY, 0)
                .handle(0, () -> h.install(h.rootJob), Rights.MANAGE_PROCESS).out(2).run();
        ErrorChecks.of(h, "system_get_event").args(0, SystemSyscalls.EVENT_MEMORY_PRESSURE_NORMAL, 0)
                .handle(0, () -> h.install(h.rootJob, Rights.NONE), 0).out(2).run();
        assertEquals(ZxStatus.ERR_ACCESS_DENIED,
                h.status("system_get_event", h.install(h.job), SystemSyscalls.EVENT_MEMORY_PRESSURE_NORMAL, h.alloc(4)),
                "only the root job");
    }

    @Test
    void systemPowerctl() {
        ErrorChecks.of(h, "system_powerctl").args(0, PowerControl.CMD_ENABLE_ALL_CPUS, 0).handle(0, this::root, 0).run();
        // The ACPI commands read their argument (and then find no ACPI).
        long arg = h.alloc(16);
        ErrorChecks.of(h, "system_powerctl").args(0, PowerControl.CMD_ACPI_TRANSITION_S_STATE, arg)
                .handle(0, this::root, 0).in(2).validStatus(NS).run();
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status("system_powerctl", mmioResource(), PowerControl.CMD_ENABLE_ALL_CPUS, 0));
        assertFalse(h.process.isDead());
    }

    @Test
    void systemMexec() {
        int stale = h.newEvent();
        h.call("handle_close", stale);
        assertEquals(NS, h.status("system_mexec", stale, 0, 0), "disabled: NOT_SUPPORTED before any check");
        // Only with kernel.enable-debugging-syscalls does mexec look at its arguments (a second
        // kernel; this thread now acts as its guest thread).
        SyscallHarness d = new SyscallHarness(new KernelOptions(true, KernelOptions.SerialSyscalls.DISABLED));
        IntSupplier vmo = () -> d.install(Vmo.create(d.kernel, 4096, 0));
        ErrorChecks.of(d, "system_mexec").handle(0, () -> d.install(Resource.root(d.kernel)), 0)
                .handle(1, vmo, Rights.READ).handle(2, vmo, Rights.READ).validStatus(NS).run();
        int mmio = d.install(Resource.root(d.kernel).createChild(ResourceKind.MMIO.value(), 0, 4096, "mmio"));
        assertEquals(ZxStatus.ERR_WRONG_TYPE, d.status("system_mexec", mmio, vmo.getAsInt(), vmo.getAsInt()));
    }

    // ---- object types this kernel never creates ----

    /**
     * No PCI device or MSI allocation object can exist, so no call can be valid: every live handle,
     * whatever its type, is WRONG_TYPE, a stale one BAD_HANDLE, and nothing changes (rights and
     * pointers are checked only after the handle's type, so they are never reached).
     */
    @Test
    void absentObjectTypes() {
        List<IntSupplier> liveHandles = List.of(h::newEvent, this::root, () -> h.install(Vmo.create(h.kernel, 4096, 0)),
                () -> h.install(h.thread));
        for (String name : List.of("pci_enable_bus_master", "pci_reset_device", "pci_config_read", "pci_config_write",
                "pci_get_bar", "pci_map_interrupt", "pci_query_irq_mode", "pci_set_irq_mode", "msi_create")) {
            for (IntSupplier live : liveHandles) {
                ErrorChecks.of(h, name).args(0, 0, 4, 0, 0, h.alloc(8)).anyHandle(0, live, 0)
                        .validStatus(ZxStatus.ERR_WRONG_TYPE).run();
            }
        }
    }

    // ---- vmo_replace_as_executable's VMEX resource ----

    @Test
    void vmexResource() {
        IntSupplier vmex = () -> h.install(Resource.root(h.kernel).createChild(ResourceKind.VMEX.value(), 0, 0, "vmex"));
        // The VMO is consumed whatever happens (VmSyscallErrorsTest checks that argument).
        ErrorChecks.of(h, "vmo_replace_as_executable").args(0, 0, 0)
                .anyHandle(0, () -> h.install(Vmo.create(h.kernel, 4096, 0)), 0).consumes(0)
                .handle(1, vmex, 0).out(2).run();
        int vmo = h.install(Vmo.create(h.kernel, 4096, 0));
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status("vmo_replace_as_executable", vmo, mmioResource(), h.alloc(4)));
        assertFalse(h.isValid(vmo), "consumed");
    }

    // ---- rights the family tests passed as alternatives or anyHandle ----

    /**
     * job_create needs MANAGE_JOB and process_create MANAGE_PROCESS, the 2020 kernel accepting
     * WRITE instead: a handle with just one of them works, and without it is ACCESS_DENIED.
     */
    @Test
    void jobAndProcessCreateRightOrWrite() {
        for (int right : new int[] {Rights.MANAGE_JOB, Rights.WRITE}) {
            ErrorChecks.of(h, "job_create").args(0, 0, 0).handle(0, () -> h.install(h.job, right), right).out(2).run();
        }
        for (int right : new int[] {Rights.MANAGE_PROCESS, Rights.WRITE}) {
            ErrorChecks.of(h, "process_create").args(0, h.string("p"), 1, 0, 0, 0)
                    .handle(0, () -> h.install(h.job, right), right).in(1).out(4).out(5).run();
        }
    }

    @Test
    void objectGetChildOfAJobOrAProcess() {
        dev.zjvm.object.task.Process child = h.job.createProcess("child");
        ErrorChecks.of(h, "object_get_child").args(0, child.koid(), Rights.SAME_RIGHTS, 0)
                .handle(0, () -> h.install(h.job), Rights.ENUMERATE).out(3).run();
        ErrorChecks.of(h, "object_get_child").args(0, h.thread.koid(), Rights.SAME_RIGHTS, 0)
                .handle(0, () -> h.install(h.process), Rights.ENUMERATE).out(3).run();
    }

    // ---- optional counts and handle buffers the family tests left out ----

    /** A channel end holding one 4-byte message that carries an event handle. */
    private int endWithAHandle() {
        long out = h.alloc(8);
        assertEquals(ZxStatus.OK, h.status("channel_create", 0, out, out + 4));
        assertEquals(ZxStatus.OK, h.status("channel_write", h.u32(out), 0, h.alloc(4), 4, h.u32s(h.newEvent()), 1));
        h.call("handle_close", h.u32(out));
        return h.u32(out + 4);
    }

    @Test
    void channelReadCountsAndHandleBuffer() {
        for (String name : List.of("channel_read", "channel_read_etc")) {
            // A bad pointer loses the message (2020) but must never leak its handle into the table.
            ErrorChecks.of(h, name).args(0, 0, h.alloc(16), 0, 16, 1, 0, 0)
                    .handle(0, this::endWithAHandle, Rights.READ).out(3).optionalOut(6).optionalOut(7).run();
        }
    }

    @Test
    void aBadCountPointerLeavesTheMessageQueuedAndLeaksNoHandle() {
        int end = endWithAHandle();
        int before = h.process.handleTable().count();
        assertEquals(ZxStatus.ERR_INVALID_ARGS,
                h.status("channel_read", end, 0, h.alloc(16), h.alloc(4), 16, 1, SyscallHarness.READ_ONLY, 0));
        assertEquals(before, h.process.handleTable().count());
        assertEquals(1, h.object(end, Channel.class).queuedMessages(), "the read had no effect");
    }

    /** channel_call's reply carries a handle; a bad actual_bytes pointer must not leave it in the table. */
    @Test
    void aCallReplyWithABadCountPointerLeaksNoHandle() throws Exception {
        for (long badCount : new long[] {SyscallHarness.READ_ONLY, SyscallHarness.UNMAPPED}) {
            long out = h.alloc(8);
            assertEquals(ZxStatus.OK, h.status("channel_create", 0, out, out + 4));
            Channel server = h.object(h.u32(out + 4), Channel.class);
            CompletableFuture<Void> replied = h.runAsGuest("server", c -> {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (server.queuedMessages() == 0 && System.nanoTime() < end) java.lang.Thread.onSpinWait();
                dev.zjvm.object.ipc.MessagePacket request = server.read(0, 64, 0).message();
                server.write(new dev.zjvm.object.ipc.MessagePacket(request.data(),
                        List.of(dev.zjvm.object.handle.Handle.createDefault(new Event(h.kernel)))));
                return null;
            });
            long args = h.alloc(48); // zx_channel_call_args_t: an 8-byte request, room for 16 bytes and 1 handle
            h.putU64(args, h.alloc(8));
            h.putU64(args + 16, h.alloc(16));
            h.putU64(args + 24, h.alloc(4));
            h.putU32(args + 32, 8);
            h.putU32(args + 40, 16);
            h.putU32(args + 44, 1);
            int before = h.process.handleTable().count();
            assertEquals(ZxStatus.ERR_INVALID_ARGS,
                    h.status("channel_call_noretry", h.u32(out), 0, Long.MAX_VALUE, args, badCount, h.alloc(4)));
            replied.get(60, TimeUnit.SECONDS);
            assertEquals(before, h.process.handleTable().count(), "the reply's handle leaked");
        }
    }

    /** Pointers ErrorChecks cannot drive: a consumed handle-disposition array, an unused buffer. */
    @Test
    void handleArraysAndUnusedBuffers() {
        long out = h.alloc(8);
        assertEquals(ZxStatus.OK, h.status("channel_create", 0, out, out + 4));
        int before = h.process.handleTable().count();
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("channel_write_etc", h.u32(out), 0, h.alloc(4), 4,
                SyscallHarness.UNMAPPED, 1));
        assertEquals(before, h.process.handleTable().count(), "nothing can be taken from an unreadable array");
        assertEquals(0, h.object(h.u32(out + 4), Channel.class).queuedMessages());

        Vmar root = VmAddressSpace.of(h.process).root();
        int vmar = h.install(root, root.handleRights());
        long empty = root.base() + root.size() - 64 * 4096;
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("vmar_op_range", vmar,
                dev.zjvm.object.vm.VmoOptions.OP_DECOMMIT, empty, 4096, h.alloc(8), 8), "the buffer must be NULL");
    }

    @Test
    void socketAndFifoActualCounts() {
        long out = h.alloc(8);
        IntSupplier socketWriter = () -> {
            assertEquals(ZxStatus.OK, h.status("socket_create", 0, out, out + 4));
            return h.u32(out);
        };
        IntSupplier socketReader = () -> {
            int w = socketWriter.getAsInt();
            assertEquals(ZxStatus.OK, h.status("socket_write", w, 0, h.alloc(8), 8, 0));
            return h.u32(out + 4);
        };
        ErrorChecks.of(h, "socket_write").args(0, 0, h.alloc(8), 8, 0).handle(0, socketWriter, Rights.WRITE)
                .optionalOut(4).run();
        ErrorChecks.of(h, "socket_read").args(0, 0, h.alloc(8), 8, 0).handle(0, socketReader, Rights.READ)
                .optionalOut(4).run();
        IntSupplier fifoWriter = () -> {
            assertEquals(ZxStatus.OK, h.status("fifo_create", 4, 8, 0, out, out + 4));
            return h.u32(out);
        };
        IntSupplier fifoReader = () -> {
            int w = fifoWriter.getAsInt();
            assertEquals(ZxStatus.OK, h.status("fifo_write", w, 8, h.alloc(8), 1, 0));
            return h.u32(out + 4);
        };
        ErrorChecks.of(h, "fifo_write").args(0, 8, h.alloc(8), 1, 0).handle(0, fifoWriter, Rights.WRITE)
                .optionalOut(4).run();
        ErrorChecks.of(h, "fifo_read").args(0, 8, h.alloc(8), 1, 0).handle(0, fifoReader, Rights.READ)
                .optionalOut(4).run();
    }

    // ---- composite 201 ----

    @Test
    void vmarUnmapHandleCloseThreadExit() {
        Vmar root = VmAddressSpace.of(h.process).root();
        long empty = root.base() + root.size() - 64 * 4096; // nothing mapped: the unmap succeeds
        // The call ends its caller, so each check runs on a fresh thread of the process.
        ErrorChecks.of(h, "vmar_unmap_handle_close_thread_exit").args(0, empty, 4096, 0)
                .caller(() -> h.newThreadContext("exiting"))
                .handle(0, () -> h.install(root, root.handleRights()), 0)
                .anyHandle(3, h::newEvent, 0).run();
        assertFalse(h.process.isDead(), "only the calling threads exited");
    }
}
