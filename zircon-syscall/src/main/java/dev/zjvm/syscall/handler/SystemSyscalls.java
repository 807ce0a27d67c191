package dev.zjvm.syscall.handler;

import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.boot.BootItems;
import dev.zjvm.object.boot.KernelOptions;
import dev.zjvm.object.boot.MexecPayload;
import dev.zjvm.object.dev.PowerControl;
import dev.zjvm.object.dev.ResourceKind;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.ipc.Event;
import dev.zjvm.object.signal.Signals;
import dev.zjvm.object.task.Job;
import dev.zjvm.object.vm.Vmo;
import dev.zjvm.syscall.dispatch.Support;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;

/**
 * system_powerctl, system_get_event, system_mexec, system_mexec_payload_get. The mexec calls need
 * {@code kernel.enable-debugging-syscalls}; mexec itself cannot replace the host's kernel.
 */
public final class SystemSyscalls implements SyscallFamily {
    static final int EVENT_OUT_OF_MEMORY = 1;
    static final int EVENT_MEMORY_PRESSURE_CRITICAL = 2;
    static final int EVENT_MEMORY_PRESSURE_WARNING = 3;
    static final int EVENT_MEMORY_PRESSURE_NORMAL = 4;
    /** Rights of a system event handle: WAIT, DUPLICATE, TRANSFER. */
    static final int SYSTEM_EVENT_RIGHTS = Rights.WAIT | Rights.DUPLICATE | Rights.TRANSFER;
    /** {@code sizeof(zx_system_powerctl_arg_t)}. */
    static final int POWERCTL_ARG_SIZE = 12;

    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("system_powerctl", (c, res, cmd, arg, a3, a4, a5, a6, a7) -> powerctl(c, res, cmd, arg));
        r.register("system_get_event", (c, job, kind, out, a3, a4, a5, a6, a7) -> getEvent(c, job, kind, out));
        r.register("system_mexec", Support.notSupported("a library OS cannot soft-reboot into another kernel"),
                (c, res, kernelVmo, bootVmo, a3, a4, a5, a6, a7) -> mexec(c, res, kernelVmo, bootVmo));
        r.register("system_mexec_payload_get",
                (c, res, buf, len, a3, a4, a5, a6, a7) -> mexecPayload(c, res, buf, len));
    }

    static long powerctl(SyscallContext c, long resource, long cmd, long arg) {
        ResourceChecks.require(c, resource, ResourceKind.ROOT);
        switch ((int) cmd) {
            case PowerControl.CMD_SHUTDOWN -> powerOff(c, PowerControl.Request.SHUTDOWN);
            case PowerControl.CMD_REBOOT, PowerControl.CMD_REBOOT_BOOTLOADER, PowerControl.CMD_REBOOT_RECOVERY ->
                    powerOff(c, PowerControl.Request.REBOOT);
            // CPUs are the host's: nothing to switch on or off.
            case PowerControl.CMD_ENABLE_ALL_CPUS, PowerControl.CMD_DISABLE_ALL_CPUS_BUT_PRIMARY -> { }
            case PowerControl.CMD_ACPI_TRANSITION_S_STATE, PowerControl.CMD_X86_SET_PKG_PL1 -> {
                c.memory().readBytes(arg, POWERCTL_ARG_SIZE);
                throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED, "no ACPI or package power control");
            }
            default -> throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        }
        return ZxStatus.OK;
    }

    /**
     * The machine goes off: every task dies (so the caller never returns from the call, as on real
     * hardware) and whoever embeds the kernel is told why.
     */
    private static void powerOff(SyscallContext c, PowerControl.Request request) {
        PowerControl.of(c.kernel()).request(request);
        Job root = c.process().job();
        while (root.parent() != null) root = root.parent();
        root.kill();
    }

    static long getEvent(SyscallContext c, long jobHandle, long kind, long out) {
        Handle h = c.handles().handle((int) jobHandle, Job.class, Rights.NONE);
        Job job = (Job) h.object();
        if (job.parent() != null) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED, "not the root job");
        int k = (int) kind;
        if (k < EVENT_OUT_OF_MEMORY || k > EVENT_MEMORY_PRESSURE_NORMAL) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        if (k == EVENT_OUT_OF_MEMORY && !h.hasRights(Rights.MANAGE_PROCESS)) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED);
        Event event = c.kernel().service(MemoryPressureEvents.class, MemoryPressureEvents::new).events[k - 1];
        c.installHandle(out, Handle.create(event, SYSTEM_EVENT_RIGHTS));
        return ZxStatus.OK;
    }

    /**
     * The kernel's memory-pressure events. The host does the paging, so the level is always
     * NORMAL: that event is signaled, the others never are.
     */
    static final class MemoryPressureEvents {
        final Event[] events = new Event[4];

        MemoryPressureEvents(dev.zjvm.object.Kernel kernel) {
            for (int i = 0; i < events.length; i++) events[i] = new Event(kernel);
            events[EVENT_MEMORY_PRESSURE_NORMAL - 1].userSignal(0, Signals.SIGNALED);
        }
    }

    static long mexec(SyscallContext c, long resource, long kernelVmo, long bootVmo) {
        if (!KernelOptions.of(c.kernel()).debuggingSyscalls()) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
        ResourceChecks.require(c, resource, ResourceKind.ROOT);
        c.get(kernelVmo, Vmo.class, Rights.READ);
        c.get(bootVmo, Vmo.class, Rights.READ);
        throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
    }

    /**
     * The ZBI items the next kernel would get (2020 x86, {@link MexecPayload}); needs
     * {@code kernel.enable-debugging-syscalls}. The whole {@code len} bytes are written (the
     * container, then zeros); more than 16 KiB is INVALID_ARGS, too small a buffer INTERNAL.
     */
    static long mexecPayload(SyscallContext c, long resource, long buf, long len) {
        if (!KernelOptions.of(c.kernel()).debuggingSyscalls()) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
        ResourceChecks.require(c, resource, ResourceKind.ROOT);
        if (Long.compareUnsigned(len, MexecPayload.MAX_SIZE) > 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        byte[] payload = MexecPayload.build(BootItems.of(c.kernel()), (int) len);
        c.memory().writeBytes(buf, payload);
        return ZxStatus.OK;
    }
}
