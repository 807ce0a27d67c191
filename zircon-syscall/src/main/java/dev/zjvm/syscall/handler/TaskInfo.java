package dev.zjvm.syscall.handler;

import dev.zjvm.hal.host.HostCpus;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.dev.ResourceKind;
import dev.zjvm.object.exception.ExceptionReport;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.task.Job;
import dev.zjvm.object.task.Process;
import dev.zjvm.object.task.Thread;
import dev.zjvm.object.task.ThreadRuntime;
import dev.zjvm.syscall.dispatch.SyscallContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

/** The task topics of {@code zx_object_get_info} (constants.md §12), encoded in their ABI layouts. */
final class TaskInfo {
    static final int PROCESS = 3;
    static final int PROCESS_THREADS = 4;
    static final int JOB_CHILDREN = 8;
    static final int JOB_PROCESSES = 9;
    static final int THREAD = 10;
    static final int THREAD_EXCEPTION_REPORT = 11;
    static final int THREAD_STATS = 15;
    static final int CPU_STATS = 16;
    static final int PROCESS_HANDLE_STATS = 21;
    static final int JOB = 24;

    /** {@code ZX_INFO_INVALID_CPU}: last_scheduled_cpu of a thread that never ran. */
    static final int INVALID_CPU = 0xffffffff;
    static final int THREAD_STATS_SIZE = 16;
    static final int CPU_STATS_SIZE = 120;
    static final int CPU_STATS_FLAG_ONLINE = 1;

    /** {@code sizeof(zx_info_thread_t)}: state, wait_exception_channel_type, cpu_affinity_mask[64]. */
    static final int THREAD_INFO_SIZE = 72;

    private TaskInfo() {}

    /** The reply for a task topic, or null if {@code topic} is not one. */
    static InfoReply reply(SyscallContext c, long value, int topic) {
        return switch (topic) {
            case PROCESS -> process(c.get(value, Process.class, Rights.INSPECT));
            case PROCESS_THREADS -> koids(c.get(value, Process.class, Rights.ENUMERATE).threads().stream()
                    .mapToLong(Thread::koid).toArray());
            case JOB_CHILDREN -> koids(c.get(value, Job.class, Rights.ENUMERATE).childJobs().stream()
                    .mapToLong(Job::koid).toArray());
            case JOB_PROCESSES -> koids(c.get(value, Job.class, Rights.ENUMERATE).processes().stream()
                    .mapToLong(Process::koid).toArray());
            case THREAD -> thread(c.get(value, Thread.class, Rights.INSPECT));
            case THREAD_EXCEPTION_REPORT -> {
                ExceptionReport r = c.get(value, Thread.class, Rights.INSPECT).exceptionReport();
                if (r == null) throw new ZxException(ZxStatus.ERR_BAD_STATE);
                yield InfoReply.single(r.toBytes());
            }
            case THREAD_STATS -> threadStats(c.get(value, Thread.class, Rights.INSPECT).runtime());
            case CPU_STATS -> {
                ResourceChecks.require(c, value, ResourceKind.ROOT);
                yield cpuStats(HostCpus.guestCpus(), HostCpus.counters());
            }
            case PROCESS_HANDLE_STATS -> handleStats(c.get(value, Process.class, Rights.INSPECT));
            case JOB -> job(c.get(value, Job.class, Rights.INSPECT));
            default -> null;
        };
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** {@code zx_info_process_t}: return_code, started, exited, debugger_attached. */
    static InfoReply process(Process p) {
        boolean exited = p.isDead();
        ByteBuffer b = le(16).putLong(exited ? p.returnCode() : 0);
        b.put((byte) (p.isStarted() ? 1 : 0)).put((byte) (exited ? 1 : 0)).put((byte) (p.isDebuggerAttached() ? 1 : 0));
        return InfoReply.single(b.array());
    }

    /** {@code zx_info_job_t}: return_code, exited, kill_on_oom, debugger_attached. */
    static InfoReply job(Job j) {
        boolean exited = j.isDead();
        ByteBuffer b = le(16).putLong(exited ? j.returnCode() : 0);
        b.put((byte) (exited ? 1 : 0)).put((byte) (j.killOnOom() ? 1 : 0))
                .put((byte) (j.debugExceptionate().isBound() ? 1 : 0));
        return InfoReply.single(b.array());
    }

    /**
     * {@code zx_info_thread_t}; the affinity mask is the thread's soft affinity (set by a profile,
     * else every CPU) limited to the guest CPUs.
     */
    static InfoReply thread(Thread t) {
        ByteBuffer b = le(THREAD_INFO_SIZE).putInt(t.state()).putInt(t.waitExceptionChannelType());
        int cpus = Math.min(HostCpus.guestCpus().length, 512);
        long soft = t.schedule().cpuMask();
        byte[] mask = new byte[64];
        for (int i = 0; i < cpus; i++) {
            boolean on = i < 64 ? (soft & (1L << i)) != 0 : soft == -1L;
            if (on) mask[i / 8] |= (byte) (1 << (i % 8));
        }
        b.put(mask);
        return InfoReply.single(b.array());
    }

    /**
     * {@code zx_info_thread_stats_t}: the runner's host CPU time, and the guest number of the CPU it
     * last ran on (INVALID_CPU if it never ran).
     */
    static InfoReply threadStats(ThreadRuntime r) {
        int cpu = r.hostCpu() < 0 ? -1 : HostCpus.guestCpuOf(r.hostCpu());
        ByteBuffer b = le(THREAD_STATS_SIZE).putLong(r.runtimeNanos()).putInt(cpu < 0 ? INVALID_CPU : cpu);
        return InfoReply.single(b.array());
    }

    /**
     * One {@code zx_info_cpu_stats_t} per guest CPU, from the host's counters for the CPU behind it:
     * idle time, interrupts, local timer interrupts, reschedule and function-call IPIs. The
     * scheduler's own counters (reschedules, context switches, preemptions, yields, timers) belong
     * to the host's scheduler, and page faults, exceptions and syscalls are not counted per CPU:
     * they are 0.
     */
    static InfoReply cpuStats(int[] hostCpus, Map<Integer, HostCpus.Counters> counters) {
        ByteBuffer b = le(CPU_STATS_SIZE * hostCpus.length);
        for (int i = 0; i < hostCpus.length; i++) {
            HostCpus.Counters k = counters.get(hostCpus[i]);
            int at = i * CPU_STATS_SIZE;
            b.putInt(at, i).putInt(at + 4, k == null ? 0 : CPU_STATS_FLAG_ONLINE);
            if (k == null) continue;
            b.putLong(at + 8, k.idleNanos()).putLong(at + 56, k.interrupts()).putLong(at + 64, k.timerInterrupts())
                    .putLong(at + 104, k.rescheduleIpis()).putLong(at + 112, k.functionCallIpis());
        }
        return InfoReply.array(b.array(), CPU_STATS_SIZE);
    }

    static InfoReply koids(long[] koids) {
        ByteBuffer b = le(koids.length * 8);
        for (long k : koids) b.putLong(k);
        return InfoReply.array(b.array(), 8);
    }

    /** {@code zx_info_process_handle_stats_t}: handle counts by object type, u32[64]. */
    static InfoReply handleStats(Process p) {
        int[] counts = new int[64];
        List<Handle> handles = p.handleTable().handles();
        for (Handle h : handles) {
            ObjectType type = h.object().type();
            if (type.value() < counts.length) counts[type.value()]++;
        }
        ByteBuffer b = le(256);
        for (int n : counts) b.putInt(n);
        return InfoReply.single(b.array());
    }
}
