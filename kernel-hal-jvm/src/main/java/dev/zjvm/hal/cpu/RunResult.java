package dev.zjvm.hal.cpu;

/** Why {@link UserContext#run()} came back to Java: the guest made a syscall or took a fault. */
public sealed interface RunResult permits SyscallExit, Trap {}
