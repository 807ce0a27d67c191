/**
 * Jobs, processes and threads: the task tree, kill and exit, suspension (suspend tokens parking a
 * thread at its syscall boundary), register access for debuggers ({@link dev.zjvm.object.task.ThreadRegisters}),
 * job policy ({@link dev.zjvm.object.task.JobPolicy}) and critical processes, and the blocking
 * primitive every waiting syscall uses ({@link dev.zjvm.object.task.Waiter}).
 *
 * <p>How a runner drives a guest thread is described in {@link dev.zjvm.object.task.ThreadLauncher}.
 */
package dev.zjvm.object.task;
