package dev.zjvm.hal.cpu;

import dev.zjvm.hal.host.HostMemory;
import dev.zjvm.hal.host.Libc;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** rflags.TF set by Java single-steps the guest: one #DB (DR6.BS) per instruction, a syscall counting as one. */
class SingleStepTest {
    private static final long TF = 0x100;

    @ParameterizedTest
    @EnumSource(FsGsMode.class)
    void eachInstructionStopsOnceAndASyscallIsOneStep(FsGsMode mode) {
        steps(mode, 0);
    }

    @org.junit.jupiter.api.Test
    void stepsWithAGuestGsBaseToo() {
        assumeTrue(FsGsMode.FSGSBASE.supported());
        steps(FsGsMode.FSGSBASE, Guests.tlsPage(7));
    }

    private static void steps(FsGsMode mode, long gsBase) {
        assumeTrue(mode.supported());
        Guests g = Guests.of(mode);
        long page = GuestMemory.page(Libc.PROT_READ | Libc.PROT_WRITE);
        HostMemory.putLong(page + 8, -1);
        TestKernel kernel = new TestKernel();
        List<Trap> steps = new ArrayList<>();
        try (UserContext ctx = g.prepare("g_write", page)) {
            if (gsBase != 0) ctx.setGsBase(gsBase);
            ctx.setRflags(0x202 | TF);
            long start = g.image.sym("g_write");
            // g_write: push rbp (1 byte); mov r12, rdi (3); call sys_null -> mov eax, 0; jmp [entry]
            for (int guard = 0; guard < 50; guard++) {
                RunResult r = ctx.run();
                if (r instanceof Trap t) {
                    steps.add(t);
                } else {
                    SyscallExit call = (SyscallExit) r;
                    long v = kernel.handle(ctx, call);
                    if (call.number() == TestImage.SYS_EXIT) break;
                    ctx.setSyscallResult(v);
                    Trap t = ctx.takeSyscallStep();
                    assertNotNull(t, "the stepped jump into the syscall entry ends after the call");
                    steps.add(t);
                    assertEquals(g.image.sym("g_write_at"), t.registers().rip(), "at the return address");
                    break;
                }
                assertEquals(TrapKind.HW_BREAKPOINT, steps.getLast().kind(), steps::toString);
                assertEquals(UserContext.DR6_BS, steps.getLast().debugStatus());
                ctx.requestExactResume();
            }
            assertEquals(start + 1, steps.get(0).registers().rip(), "after push rbp");
            assertEquals(start + 4, steps.get(1).registers().rip(), "after mov r12, rdi");
            assertEquals(g.image.sym("sys_null"), steps.get(2).registers().rip(), "after the call");
            assertTrue(steps.size() >= 5, steps::toString);
            // stop stepping: the guest runs to its end
            ctx.setRflags(0x202);
            ctx.requestExactResume();
            assertNull(Guests.runToEnd(ctx, kernel));
            assertTrue(kernel.exitedCleanly(), kernel.describe());
            assertEquals(0, HostMemory.getLong(page + 8));
            assertTrue(kernel.hostViolations.isEmpty(), kernel.describe());
            assertEquals(gsBase, ctx.gsBase());
        }
    }
}
