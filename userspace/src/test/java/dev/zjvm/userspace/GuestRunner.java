package dev.zjvm.userspace;

import java.util.List;

/**
 * Boots the guest (prebuilt/ userboot, vDSO and bringup.zbi) with a kernel command line
 * and returns the console lines it printed once it shut down. Stand-in for the boot API
 * the loader will offer; the in-guest tests are written against this.
 */
@FunctionalInterface
interface GuestRunner {
    List<String> run(String cmdline) throws Exception;
}
