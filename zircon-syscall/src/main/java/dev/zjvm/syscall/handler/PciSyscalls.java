package dev.zjvm.syscall.handler;

import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.dev.ResourceKind;
import dev.zjvm.syscall.dispatch.Support;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;

/**
 * The kernel PCI bus driver calls. There is no PCI bus: calls on the root resource answer
 * NOT_SUPPORTED after the resource check, and since no PCI device object can exist every handle
 * passed as one is BAD_HANDLE or WRONG_TYPE.
 */
public final class PciSyscalls implements SyscallFamily {
    private static final Support NO_BUS = Support.notSupported("no PCI bus in a library OS");
    private static final Support NO_DEVICES = Support.notSupported("no PCI bus, so no PCI device objects: handles are WRONG_TYPE");

    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("pci_get_nth_device", NO_BUS, (c, res, i, info, out, a4, a5, a6, a7) -> onRoot(c, res));
        r.register("pci_cfg_pio_rw", NO_BUS, (c, res, bus, dev, fn, off, val, width, wr) -> onRoot(c, res));
        r.register("pci_init", NO_BUS, (c, res, buf, len, a3, a4, a5, a6, a7) -> onRoot(c, res));
        r.register("pci_add_subtract_io_range", NO_BUS, (c, res, mmio, base, len, add, a5, a6, a7) -> onRoot(c, res));
        for (String name : new String[] {"pci_enable_bus_master", "pci_reset_device", "pci_config_read",
                "pci_config_write", "pci_get_bar", "pci_map_interrupt", "pci_query_irq_mode", "pci_set_irq_mode"}) {
            r.register(name, NO_DEVICES, (c, dev, a1, a2, a3, a4, a5, a6, a7) -> {
                throw AbsentObjects.reject(c, dev, "PCI device");
            });
        }
    }

    static long onRoot(SyscallContext c, long resource) {
        ResourceChecks.require(c, resource, ResourceKind.ROOT);
        throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
    }
}
