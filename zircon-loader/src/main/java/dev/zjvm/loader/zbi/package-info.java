/**
 * Zircon Boot Images (formats.md §B, §C): {@link dev.zjvm.loader.zbi.ZbiImage} and
 * {@link dev.zjvm.loader.zbi.ZbiWriter} read and write the container,
 * {@link dev.zjvm.loader.zbi.Bootfs} and {@link dev.zjvm.loader.zbi.BootfsWriter} its BOOTFS,
 * {@link dev.zjvm.loader.zbi.KernelCommandLine} normalizes CMDLINE items, and
 * {@link dev.zjvm.loader.zbi.ZbiTool} is the command-line packer.
 */
package dev.zjvm.loader.zbi;
