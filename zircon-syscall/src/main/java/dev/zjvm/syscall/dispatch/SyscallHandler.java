package dev.zjvm.syscall.dispatch;

/**
 * One syscall's implementation. Arguments arrive as raw 64-bit registers (handlers truncate to
 * the C types: {@code (int)} for handles, rights, options and u32). The result is the value
 * returned to the guest (a {@code zx_status_t} for nearly every call). Handlers may throw
 * {@link dev.zjvm.object.ZxException}; the dispatcher turns it into its status.
 */
@FunctionalInterface
public interface SyscallHandler {
    long invoke(SyscallContext ctx, long a0, long a1, long a2, long a3, long a4, long a5, long a6, long a7);
}
