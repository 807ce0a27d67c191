/**
 * What a kernel learns at boot: its options from the kernel command line
 * ({@link dev.zjvm.object.boot.KernelOptions}) and the platform items the boot loader handed over
 * in the ZBI ({@link dev.zjvm.object.boot.BootItems}); plus the state derived from them (the
 * display a driver registers with {@code zx_framebuffer_set_range}, the payload
 * {@code zx_system_mexec_payload_get} builds). One instance of each per kernel, installed by the
 * embedder (the loader) before the first guest runs; unset, a kernel has the 2020 defaults.
 */
package dev.zjvm.object.boot;
