/**
 * Zircon exceptions: per-task exception channel slots ({@link dev.zjvm.object.exception.Exceptionate}),
 * the exception object handed to handlers ({@link dev.zjvm.object.exception.ExceptionObject}) and
 * the raising entry points a thread's runner calls ({@link dev.zjvm.object.exception.Exceptions}).
 *
 * <p>A raising thread blocks in BLOCKED_EXCEPTION while each handler in the search order (process
 * debugger, thread, process, job, parent jobs) gets its turn; a turn ends when the handler closes
 * the exception handle (or its channel). Kills end the wait; suspends do not.
 */
package dev.zjvm.object.exception;
