package dev.zjvm.syscall.dispatch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Handlers by syscall name (without the {@code zx_} prefix, e.g. {@code "handle_close"}), with
 * their {@link Support} level. Numbers come later, from the ABI table, when a {@link Dispatcher}
 * is built.
 */
public final class SyscallRegistry {
    /** One registered syscall. */
    public record Entry(String name, Support support, SyscallHandler handler) {}

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /** The registry holding every family in {@link StandardFamilies}. */
    public static SyscallRegistry standard() {
        SyscallRegistry r = new SyscallRegistry();
        for (SyscallFamily f : StandardFamilies.ALL) f.registerInto(r);
        return r;
    }

    /** Adds {@code family}'s handlers; returns this. */
    public SyscallRegistry add(SyscallFamily family) {
        family.registerInto(this);
        return this;
    }

    /**
     * Registers a handler.
     *
     * @throws IllegalStateException if {@code name} is already registered
     */
    public void register(String name, Support support, SyscallHandler handler) {
        if (name.startsWith("zx_")) throw new IllegalArgumentException("register names without zx_: " + name);
        Entry e = new Entry(name, Objects.requireNonNull(support), Objects.requireNonNull(handler));
        if (entries.putIfAbsent(name, e) != null) throw new IllegalStateException("registered twice: " + name);
    }

    /** Shorthand for a fully implemented syscall. */
    public void register(String name, SyscallHandler handler) {
        register(name, Support.IMPLEMENTED, handler);
    }

    /** The entry for {@code name}, or null. */
    public Entry entry(String name) {
        return entries.get(name);
    }

    /** All entries in registration order. */
    public Map<String, Entry> entries() {
        return Collections.unmodifiableMap(entries);
    }
}
