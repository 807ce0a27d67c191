package dev.zjvm.syscall.handler;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.dev.Resource;
import dev.zjvm.object.dev.ResourceKind;
import dev.zjvm.syscall.dispatch.Support;
import dev.zjvm.syscall.dispatch.SyscallRegistry;
import dev.zjvm.syscall.testing.ErrorChecks;
import dev.zjvm.syscall.testing.SyscallHarness;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Platform, PCI and hypervisor calls: spec validation, then the answer of a machine without the hardware. */
class AbsentHardwareSyscallsTest {
    private static final int NS = ZxStatus.ERR_NOT_SUPPORTED;
    private final SyscallHarness h = new SyscallHarness();

    private int root() {
        return h.install(Resource.root(h.kernel));
    }

    private int resource(ResourceKind kind, long base, long size) {
        return h.install(Resource.root(h.kernel).createChild(kind.value(), base, size, kind.name()));
    }

    private int staleHandle() {
        int e = h.newEvent();
        h.process.handleTable().close(e);
        return e;
    }

    @Test
    void rootResourceCalls() {
        for (String name : List.of("pci_get_nth_device", "pci_init",
                "pci_add_subtract_io_range", "pci_cfg_pio_rw")) {
            ErrorChecks.of(h, name).args(0, 0, 0, 0, 0, 0, 0, 0).handle(0, this::root, 0).validStatus(NS).run();
            assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status(name, resource(ResourceKind.MMIO, 0, 4096)), name);
        }
    }

    @Test
    void ioports() {
        int ports = resource(ResourceKind.IOPORT, 0x60, 8);
        for (String name : List.of("ioports_request", "ioports_release")) {
            assertEquals(NS, h.status(name, ports, 0x60, 4), name);
            assertEquals(NS, h.status(name, ports, 0x10064, 4), "io_addr is a uint16_t");
            assertEquals(ZxStatus.ERR_ACCESS_DENIED, h.status(name, ports, 0x66, 4), name);
            assertEquals(NS, h.status(name, root(), 0x3f8, 8), name);
            assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status(name, resource(ResourceKind.MMIO, 0, 4096), 0x60, 1), name);
            ErrorChecks.of(h, name).args(0, 0x60, 1).handle(0, () -> h.install(Resource.root(h.kernel)), 0)
                    .validStatus(NS).run();
        }
    }

    @Test
    void msi() {
        long out = h.alloc(4);
        for (int bad : new int[] {0, 3, 64, -1}) assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("msi_allocate", root(), bad, out));
        assertEquals(NS, h.status("msi_allocate", root(), 4, out));
        ErrorChecks.of(h, "msi_allocate").args(0, 1, out).handle(0, this::root, 0).validStatus(NS).run();
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status("msi_create", h.newEvent(), 0, 0, 0, 0, out));
        assertEquals(ZxStatus.ERR_BAD_HANDLE, h.status("msi_create", staleHandle(), 0, 0, 0, 0, out));
    }

    @Test
    void smcCall() {
        int smc = resource(ResourceKind.SMC, 3, 1);
        long params = h.alloc(PlatformSyscalls.SMC_PARAMETERS_SIZE);
        long result = h.alloc(64);
        h.putU32(params, 0x0300_0001);
        assertEquals(NS, h.status("smc_call", smc, params, result));
        h.putU32(params, 0x0400_0001);
        assertEquals(ZxStatus.ERR_ACCESS_DENIED, h.status("smc_call", smc, params, result), "another service");
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("smc_call", smc, 0, result));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("smc_call", smc, params, 0));
        h.putU32(params, 0x0300_0001);
        ErrorChecks.of(h, "smc_call").args(0, params, result).handle(0, () -> resource(ResourceKind.SMC, 3, 1), 0)
                .in(1).validStatus(NS).run();
    }

    @Test
    void pciDeviceCallsHaveNoDevices() {
        for (String name : List.of("pci_enable_bus_master", "pci_reset_device", "pci_config_read", "pci_config_write",
                "pci_get_bar", "pci_map_interrupt", "pci_query_irq_mode", "pci_set_irq_mode")) {
            assertEquals(ZxStatus.ERR_BAD_HANDLE, h.status(name, staleHandle(), 0, 0, 0), name);
            assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status(name, h.newEvent(), 0, 4, h.alloc(8)), name);
        }
    }

    @Test
    void hypervisor() {
        int hyp = resource(ResourceKind.HYPERVISOR, 0, 0);
        long out = h.alloc(8);
        assertEquals(NS, h.status("guest_create", hyp, 0, out, out + 4));
        assertEquals(NS, h.status("guest_create", root(), 0, out, out + 4));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("guest_create", hyp, 1, out, out + 4));
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status("guest_create", resource(ResourceKind.MMIO, 0, 4096), 0, out, out + 4));
        ErrorChecks.of(h, "guest_create").args(0, 0, out, out + 4).handle(0, () -> resource(ResourceKind.HYPERVISOR, 0, 0), 0)
                .validStatus(NS).run();
        for (String name : List.of("guest_set_trap", "vcpu_create", "vcpu_resume", "vcpu_interrupt", "vcpu_read_state",
                "vcpu_write_state")) {
            assertEquals(ZxStatus.ERR_BAD_HANDLE, h.status(name, staleHandle(), 0, 0, 0), name);
            assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status(name, h.newEvent(), 0, 0, 0), name);
        }
    }

    @Test
    void coverageTableIsHonest() {
        SyscallRegistry r = SyscallRegistry.standard();
        for (String name : List.of("ioports_request",
                "ioports_release", "msi_allocate", "msi_create", "smc_call", "pci_get_nth_device", "pci_enable_bus_master",
                "pci_reset_device", "pci_config_read", "pci_config_write", "pci_cfg_pio_rw", "pci_get_bar",
                "pci_map_interrupt", "pci_query_irq_mode", "pci_set_irq_mode", "pci_init", "pci_add_subtract_io_range",
                "mtrace_control")) {
            assertEquals(Support.Level.NOT_SUPPORTED, r.entry(name).support().level(), name);
        }
    }
}
