package dev.zjvm.syscall.dispatch;

import dev.zjvm.syscall.handler.BtiSyscalls;
import dev.zjvm.syscall.handler.ChannelSyscalls;
import dev.zjvm.syscall.handler.ClockSyscalls;
import dev.zjvm.syscall.handler.CprngSyscalls;
import dev.zjvm.syscall.handler.DebugLogSyscalls;
import dev.zjvm.syscall.handler.EventSyscalls;
import dev.zjvm.syscall.handler.ExceptionSyscalls;
import dev.zjvm.syscall.handler.FifoSyscalls;
import dev.zjvm.syscall.handler.FutexSyscalls;
import dev.zjvm.syscall.handler.HandleSyscalls;
import dev.zjvm.syscall.handler.HypervisorSyscalls;
import dev.zjvm.syscall.handler.InterruptSyscalls;
import dev.zjvm.syscall.handler.JobSyscalls;
import dev.zjvm.syscall.handler.KtraceSyscalls;
import dev.zjvm.syscall.handler.ObjectInfoSyscalls;
import dev.zjvm.syscall.handler.ObjectSyscalls;
import dev.zjvm.syscall.handler.PagerSyscalls;
import dev.zjvm.syscall.handler.PciSyscalls;
import dev.zjvm.syscall.handler.PlatformSyscalls;
import dev.zjvm.syscall.handler.PortSyscalls;
import dev.zjvm.syscall.handler.ProcessMemorySyscalls;
import dev.zjvm.syscall.handler.ProcessSyscalls;
import dev.zjvm.syscall.handler.ProfileSyscalls;
import dev.zjvm.syscall.handler.ResourceSyscalls;
import dev.zjvm.syscall.handler.SocketSyscalls;
import dev.zjvm.syscall.handler.StreamSyscalls;
import dev.zjvm.syscall.handler.SystemSyscalls;
import dev.zjvm.syscall.handler.TaskSyscalls;
import dev.zjvm.syscall.handler.TestSyscalls;
import dev.zjvm.syscall.handler.ThreadSyscalls;
import dev.zjvm.syscall.handler.TimeSyscalls;
import dev.zjvm.syscall.handler.TimerSyscalls;
import dev.zjvm.syscall.handler.VmarSyscalls;
import dev.zjvm.syscall.handler.VmoSyscalls;
import java.util.List;

/** Every handler family of the kernel. To add a family: one line here. */
final class StandardFamilies {
    static final List<SyscallFamily> ALL = List.of(
            new HandleSyscalls(),
            new ObjectSyscalls(),
            new EventSyscalls(),
            new TaskSyscalls(),
            new ObjectInfoSyscalls(),
            new VmoSyscalls(),
            new VmarSyscalls(),
            new PagerSyscalls(),
            new StreamSyscalls(),
            new ProcessMemorySyscalls(),
            new JobSyscalls(),
            new ProcessSyscalls(),
            new ThreadSyscalls(),
            new ExceptionSyscalls(),
            new TestSyscalls(),
            new DebugLogSyscalls(),
            new SystemSyscalls(),
            new CprngSyscalls(),
            new ChannelSyscalls(),
            new SocketSyscalls(),
            new FifoSyscalls(),
            new PortSyscalls(),
            new TimerSyscalls(),
            new FutexSyscalls(),
            new TimeSyscalls(),
            new ClockSyscalls(),
            new InterruptSyscalls(),
            new KtraceSyscalls(),
            new ResourceSyscalls(),
            new ProfileSyscalls(),
            new BtiSyscalls(),
            new PlatformSyscalls(),
            new PciSyscalls(),
            new HypervisorSyscalls()
    );

    private StandardFamilies() {}
}
