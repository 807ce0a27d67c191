package dev.zjvm.hal.cpu;

/**
 * The guest called {@code zcore_syscall_entry}: syscall number (eax) and its eight arguments. Args 0-5
 * come from rdi, rsi, rdx, rcx, r8, r9; args 6 and 7 from the guest stack just above the return address
 * (0 when that memory is not readable, which only happens for syscalls with fewer arguments). The guest
 * resumes after its call with rax = {@link UserContext#setSyscallResult}.
 */
public record SyscallExit(long number, long arg0, long arg1, long arg2, long arg3, long arg4, long arg5,
                          long arg6, long arg7) implements RunResult {
    /** Argument i (0..7). */
    public long arg(int i) {
        return switch (i) {
            case 0 -> arg0; case 1 -> arg1; case 2 -> arg2; case 3 -> arg3;
            case 4 -> arg4; case 5 -> arg5; case 6 -> arg6; case 7 -> arg7;
            default -> throw new IndexOutOfBoundsException("syscall argument " + i);
        };
    }
}
