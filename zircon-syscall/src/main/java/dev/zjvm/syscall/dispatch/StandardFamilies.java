package dev.zjvm.syscall.dispatch;

import dev.zjvm.syscall.handler.BtiSyscalls;
import dev.zjvm.syscall.handler.ClockSyscalls;
import dev.zjvm.syscall.handler.CprngSyscalls;
import dev.zjvm.syscall.handler.DebugLogSyscalls;
import dev.zjvm.syscall.handler.EventSyscalls;
import dev.zjvm.syscall.handler.SystemSyscalls;
import dev.zjvm.syscall.handler.HandleSyscalls;
import dev.zjvm.syscall.handler.HypervisorSyscalls;
import dev.zjvm.syscall.handler.InterruptSyscalls;
import dev.zjvm.syscall.handler.KtraceSyscalls;
import dev.zjvm.syscall.handler.ObjectSyscalls;
import dev.zjvm.syscall.handler.PciSyscalls;
import dev.zjvm.syscall.handler.PlatformSyscalls;
import dev.zjvm.syscall.handler.ProfileSyscalls;
import dev.zjvm.syscall.handler.ResourceSyscalls;
import dev.zjvm.syscall.handler.TaskSyscalls;
import dev.zjvm.syscall.handler.TestSyscalls;
import dev.zjvm.syscall.handler.TimeSyscalls;
import java.util.List;

/** Every handler family of the kernel. To add a family: one line here. */
final class StandardFamilies {
    static final List<SyscallFamily> ALL = List.of(
            new HandleSyscalls(),
            new ObjectSyscalls(),
            new EventSyscalls(),
            new TaskSyscalls(),
            new TestSyscalls(),
            new DebugLogSyscalls(),
            new SystemSyscalls(),
            new CprngSyscalls(),
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
