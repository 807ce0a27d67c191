package dev.zjvm.hal.cpu;

import dev.zjvm.hal.host.HostMemory;
import dev.zjvm.hal.host.Libc;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A guest with its own gs base (ZX_PROP_REGISTER_GS): FSGSBASE mode only. */
class GuestGsBaseTest {
    private static final long V0 = 0x6A5E_0000_1111L, V8 = 0x6A5E_0000_2222L;
    private static final long UNMAPPED = 0x10;   // page zero: never mapped

    private Guests g;

    @BeforeEach
    void fsgsbaseOnly() {
        assumeTrue(FsGsMode.FSGSBASE.supported());
        g = Guests.of(FsGsMode.FSGSBASE);
    }

    private static long gsPage() {
        long page = GuestMemory.page(Libc.PROT_READ | Libc.PROT_WRITE);
        HostMemory.putLong(page, V0);
        HostMemory.putLong(page + 8, V8);
        return page;
    }

    @Test
    void theGuestReadsItsGsAcrossSyscallsAndTheJvmGetsItsStateBack() {
        long jvmFs = HostThreadState.fsBase();
        long page = gsPage();
        TestKernel kernel = new TestKernel();
        try (UserContext ctx = g.prepare("g_gs", 2000, V0, V8)) {
            ctx.setGsBase(page);
            assertNull(Guests.runToEnd(ctx, kernel));
            assertTrue(kernel.exitedCleanly(), kernel.describe());
            assertTrue(kernel.hostViolations.isEmpty(), kernel.describe());
            assertEquals(page, ctx.gsBase());
            assertEquals(page, ctx.generalRegisters().gsBase());
        }
        assertEquals(jvmFs, HostThreadState.fsBase());
    }

    @Test
    void everySyscallArgumentPassesThroughTheGuestGsEntry() {
        TestKernel kernel = new TestKernel();
        try (UserContext ctx = g.prepare("g_args8")) {
            ctx.setGsBase(gsPage());
            assertNull(Guests.runToEnd(ctx, kernel));
            assertTrue(kernel.exitedCleanly(), kernel.describe());
        }
    }

    @Test
    void aGsBaseThatMapsNothingStillMakesSyscalls() {
        // The entry's probe of gs:[GS_TAG] faults; the shim continues the guest-gs entry.
        TestKernel kernel = new TestKernel();
        try (UserContext ctx = g.prepare("g_args8")) {
            ctx.setGsBase(UNMAPPED);
            assertNull(Guests.runToEnd(ctx, kernel));
            assertTrue(kernel.exitedCleanly(), kernel.describe());
        }
    }

    @Test
    void aFaultWithAGuestGsIsTheGuestsAndResumesExactly() {
        long page = GuestMemory.page(Libc.PROT_READ);
        TestKernel kernel = new TestKernel();
        try (UserContext ctx = g.prepare("g_resume", page, 0x5A5A_1234_5678L)) {
            ctx.setGsBase(gsPage());
            Trap t = Guests.runToEnd(ctx, kernel);
            assertNotNull(t);
            assertEquals(TrapKind.FATAL_PAGE_FAULT, t.kind());
            assertEquals(g.image.sym("g_resume_at"), t.registers().rip());
            HostMemory.protect(page, GuestMemory.PAGE, Libc.PROT_READ | Libc.PROT_WRITE);
            ctx.requestExactResume();
            assertNull(Guests.runToEnd(ctx, kernel));
            assertTrue(kernel.exitedCleanly(), kernel.describe());
        }
        // The thread is still fit for guests without a gs base.
        TestKernel plain = new TestKernel();
        try (UserContext ctx = g.prepare("g_args8")) {
            assertNull(Guests.runToEnd(ctx, plain));
            assertTrue(plain.exitedCleanly(), plain.describe());
        }
    }

    @Test
    void gsBaseMustBeAUserAddressAndNeedsFsgsbase() {
        try (UserContext ctx = g.prepare("g_top")) {
            assertThrows(IllegalArgumentException.class, () -> ctx.setGsBase(0x8000_0000_0000_0000L));
            assertThrows(IllegalArgumentException.class, () -> ctx.setGsBase(0x0000_8000_0000_0000L));
            ctx.setGsBase(0x1000);
            ctx.setGsBase(0);
            assertEquals(0, ctx.gsBase());
        }
        try (UserContext ctx = Guests.of(FsGsMode.ARCH_PRCTL).prepare("g_top")) {
            assertFalse(ctx.supportsGsBase());
            assertThrows(UnsupportedOperationException.class, () -> ctx.setGsBase(0x1000));
        }
    }
}
