package dev.zjvm.object.debuglog;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.HandleTable;
import dev.zjvm.object.task.Job;
import dev.zjvm.object.task.Process;
import dev.zjvm.object.task.Task;
import dev.zjvm.object.task.Thread;
import dev.zjvm.object.task.ThreadState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The kernel debug console behind {@code zx_debug_send_command}: a script of lines, each a command
 * and its words, run in order; output goes to the kernel log (so to the serial console and to
 * debuglog readers), as the kernel's printf does. A small set of the Zircon console's task
 * commands, enough to look at a running system:
 *
 * <pre>
 * help                 list the commands
 * zx ps                processes: koid, parent job, thread count, handle count, state, name
 * zx jobs              jobs: koid, parent, depth, name
 * zx threads PID       threads of a process: koid, state, name
 * zx ht PID            handle table of a process: value, koid, type, rights
 * zx kill KOID         kill a job, process or thread
 * </pre>
 *
 * The script's status is the last command's: OK, INVALID_ARGS for bad words, NOT_FOUND for an
 * unknown command or koid.
 */
public final class KernelConsole {
    /** Severity flag of the kernel's own log lines ({@code ZX_LOG_INFO}). */
    static final int LOG_INFO = 0x4;

    private final Kernel kernel;
    private final Job root;
    private final Consumer<String> out;

    /**
     * @param root the root job (the task tree the commands see)
     * @param out  where output lines go (without newline)
     */
    public KernelConsole(Kernel kernel, Job root, Consumer<String> out) {
        this.kernel = kernel;
        this.root = root;
        this.out = out;
    }

    /** A console printing to the kernel log. */
    public static KernelConsole toKernelLog(Kernel kernel, Job root) {
        DebugLogBuffer log = DebugLog.buffer(kernel);
        return new KernelConsole(kernel, root, line -> log.append(LOG_INFO, kernel.clock().nowNanos(), 0, 0,
                line.getBytes(StandardCharsets.UTF_8)));
    }

    /** Runs every line of {@code script}; returns the status of the last command run. */
    public int runScript(String script) {
        int status = ZxStatus.OK;
        for (String line : script.split("[\n;]")) {
            String[] words = line.trim().split("\\s+");
            if (words.length == 0 || words[0].isEmpty()) continue;
            status = run(words);
        }
        return status;
    }

    private int run(String[] w) {
        switch (w[0]) {
            case "help" -> {
                out.accept("command list:");
                out.accept("\thelp                : this list");
                out.accept("\tzx ps               : list processes");
                out.accept("\tzx jobs             : list jobs");
                out.accept("\tzx threads <pid>    : list the threads of a process");
                out.accept("\tzx ht <pid>         : dump a process's handle table");
                out.accept("\tzx kill <koid>      : kill a job, process or thread");
                return ZxStatus.OK;
            }
            case "zx" -> {
                return zx(w);
            }
            default -> {
                out.accept("command \"" + w[0] + "\" not found");
                return ZxStatus.ERR_NOT_FOUND;
            }
        }
    }

    private int zx(String[] w) {
        String sub = w.length > 1 ? w[1] : "";
        switch (sub) {
            case "ps" -> {
                out.accept(String.format("%8s %8s %4s %6s %-8s %s", "koid", "job", "#thr", "#h", "state", "name"));
                for (Process p : processes(root, new ArrayList<>())) {
                    out.accept(String.format("%8d %8d %4d %6d %-8s %s", p.koid(), p.job().koid(), p.threads().size(),
                            p.handleTable().count(), p.state(), p.name()));
                }
                return ZxStatus.OK;
            }
            case "jobs" -> {
                out.accept(String.format("%8s %8s %5s %s", "koid", "parent", "depth", "name"));
                for (Job j : jobs(root, new ArrayList<>())) {
                    out.accept(String.format("%8d %8d %5d %s", j.koid(), j.parent() == null ? 0 : j.parent().koid(),
                            j.depth(), j.name()));
                }
                return ZxStatus.OK;
            }
            case "threads", "ht" -> {
                Long pid = koidArg(w);
                if (pid == null) return ZxStatus.ERR_INVALID_ARGS;
                if (!(kernel.lookup(pid) instanceof Process p) || !root.isAncestorOf(p)) {
                    out.accept("no process " + pid);
                    return ZxStatus.ERR_NOT_FOUND;
                }
                if (sub.equals("threads")) {
                    out.accept(String.format("%8s %-18s %s", "koid", "state", "name"));
                    for (Thread t : p.threads()) out.accept(String.format("%8d %-18s %s", t.koid(), stateName(t.state()), t.name()));
                } else {
                    out.accept(String.format("%10s %8s %-10s %s", "handle", "koid", "type", "rights"));
                    for (HandleTable.Entry e : p.handleTable().entries()) {
                        KernelObject o = e.handle().object();
                        out.accept(String.format("0x%08x %8d %-10s 0x%08x", e.value(), o.koid(), typeName(o.type()),
                                e.handle().rights()));
                    }
                }
                return ZxStatus.OK;
            }
            case "kill" -> {
                Long koid = koidArg(w);
                if (koid == null) return ZxStatus.ERR_INVALID_ARGS;
                if (!(kernel.lookup(koid) instanceof Task t) || !(t == root || root.isAncestorOf(t))) {
                    out.accept("no task " + koid);
                    return ZxStatus.ERR_NOT_FOUND;
                }
                out.accept("killing " + koid);
                t.kill();
                return ZxStatus.OK;
            }
            default -> {
                out.accept("usage: zx ps | zx jobs | zx threads <pid> | zx ht <pid> | zx kill <koid>");
                return ZxStatus.ERR_INVALID_ARGS;
            }
        }
    }

    private Long koidArg(String[] w) {
        if (w.length != 3) {
            out.accept("usage: zx " + w[1] + " <koid>");
            return null;
        }
        try {
            return Long.parseUnsignedLong(w[2]);
        } catch (NumberFormatException e) {
            out.accept("bad koid: " + w[2]);
            return null;
        }
    }

    private static List<Process> processes(Job job, List<Process> acc) {
        acc.addAll(job.processes());
        for (Job child : job.childJobs()) processes(child, acc);
        return acc;
    }

    private static List<Job> jobs(Job job, List<Job> acc) {
        acc.add(job);
        for (Job child : job.childJobs()) jobs(child, acc);
        return acc;
    }

    private static String typeName(ObjectType type) {
        return type.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String stateName(int state) {
        return switch (ThreadState.basic(state)) {
            case ThreadState.NEW -> "new";
            case ThreadState.RUNNING -> "running";
            case ThreadState.SUSPENDED -> "suspended";
            case ThreadState.BLOCKED -> "blocked";
            case ThreadState.DYING -> "dying";
            case ThreadState.DEAD -> "dead";
            default -> "0x" + Integer.toHexString(state);
        };
    }
}
