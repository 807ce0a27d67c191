package dev.zjvm.syscall.dispatch;

/** A group of related syscall handlers (one class per family) that registers itself. */
@FunctionalInterface
public interface SyscallFamily {
    void registerInto(SyscallRegistry registry);
}
