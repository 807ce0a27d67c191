package dev.zjvm.object.boot;

import dev.zjvm.object.Kernel;
import java.util.List;
import java.util.Objects;

/**
 * The kernel's boot options that change what syscalls do, parsed from the normalized kernel
 * command line ("key=value" words, the last occurrence of a key wins) as the 2020 kernel does.
 *
 * @param debuggingSyscalls {@code kernel.enable-debugging-syscalls}: process_write_memory,
 *     debug_send_command, system_mexec(_payload_get) answer NOT_SUPPORTED without it
 * @param serialSyscalls    {@code kernel.enable-serial-syscalls}: debug_write needs output,
 *     debug_read needs input
 */
public record KernelOptions(boolean debuggingSyscalls, SerialSyscalls serialSyscalls) {
    public static final String DEBUGGING_SYSCALLS = "kernel.enable-debugging-syscalls";
    public static final String SERIAL_SYSCALLS = "kernel.enable-serial-syscalls";

    /** The 2020 defaults: both off. */
    public static final KernelOptions DEFAULTS = new KernelOptions(false, SerialSyscalls.DISABLED);

    /** {@code kernel.enable-serial-syscalls}: only "true" and "output-only" enable anything. */
    public enum SerialSyscalls {
        DISABLED, OUTPUT_ONLY, ENABLED;

        /** The 2020 reading of a value: exactly "true" or "output-only", anything else disables. */
        public static SerialSyscalls parse(String value) {
            return switch (value) {
                case "true" -> ENABLED;
                case "output-only" -> OUTPUT_ONLY;
                default -> DISABLED;
            };
        }

        public boolean allowsOutput() {
            return this != DISABLED;
        }

        public boolean allowsInput() {
            return this == ENABLED;
        }
    }

    public KernelOptions {
        Objects.requireNonNull(serialSyscalls);
    }

    /** Options from normalized command-line words, starting from {@link #DEFAULTS}. */
    public static KernelOptions parse(List<String> words) {
        return DEFAULTS.with(words);
    }

    /** These options with the keys the words set replaced (later words win). */
    public KernelOptions with(List<String> words) {
        boolean debugging = debuggingSyscalls;
        SerialSyscalls serial = serialSyscalls;
        for (String word : words) {
            int eq = word.indexOf('=');
            String key = eq < 0 ? word : word.substring(0, eq);
            String value = eq < 0 ? "" : word.substring(eq + 1);
            if (key.equals(DEBUGGING_SYSCALLS)) debugging = parseBool(value);
            else if (key.equals(SERIAL_SYSCALLS)) serial = SerialSyscalls.parse(value);
        }
        return new KernelOptions(debugging, serial);
    }

    /** The 2020 {@code Cmdline::GetBool} of a present key: "0", "false" and "off" are false, all else true. */
    static boolean parseBool(String value) {
        return !(value.equals("0") || value.equals("false") || value.equals("off"));
    }

    /** The kernel's options; {@link #DEFAULTS} if the embedder installed none. */
    public static KernelOptions of(Kernel kernel) {
        return kernel.service(KernelOptions.class, k -> DEFAULTS);
    }

    /**
     * Sets the kernel's options; call before anything reads them.
     *
     * @throws IllegalStateException if the kernel already has options
     */
    public static void install(Kernel kernel, KernelOptions options) {
        kernel.installService(KernelOptions.class, options);
    }
}
