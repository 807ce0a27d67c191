package dev.zjvm.loader.zbi;

/**
 * userboot's options from the kernel command line (formats.md §D.2 step 4).
 *
 * @param program  BOOTFS path of the program to start ({@code userboot=}, default bin/bootsvc)
 * @param root     normalized prefix ({@code userboot.root=}): no leading '/', '/'-terminated or empty
 * @param shutdown {@code userboot.shutdown}: wait for the program, then power off
 * @param reboot   {@code userboot.reboot}: wait, then reboot (wins over shutdown)
 */
public record UserbootOptions(String program, String root, boolean shutdown, boolean reboot) {
    public static final String DEFAULT_PROGRAM = "bin/bootsvc";

    public static UserbootOptions from(KernelCommandLine cmdline) {
        return new UserbootOptions(cmdline.get("userboot").orElse(DEFAULT_PROGRAM),
                normalizeRoot(cmdline.get("userboot.root").orElse("")),
                cmdline.contains("userboot.shutdown"), cmdline.contains("userboot.reboot"));
    }

    static String normalizeRoot(String root) {
        int start = 0;
        while (start < root.length() && root.charAt(start) == '/') {
            start++;
        }
        String r = root.substring(start);
        return r.isEmpty() || r.endsWith("/") ? r : r + "/";
    }

    /** The BOOTFS name userboot looks up for the program. */
    public String programPath() {
        return root + program;
    }

    /** The BOOTFS name userboot's loader service resolves for library {@code name}. */
    public String libraryPath(String name) {
        return root + "lib/" + name;
    }
}
