/**
 * The {@code zircon} command: {@link dev.zjvm.loader.cli.Main} validates a prebuilt directory
 * into a {@link dev.zjvm.loader.cli.BootConfig} and hands it to the
 * {@link dev.zjvm.loader.cli.Booter} registered as a service.
 */
package dev.zjvm.loader.cli;
