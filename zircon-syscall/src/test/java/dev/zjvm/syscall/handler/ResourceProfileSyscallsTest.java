package dev.zjvm.syscall.handler;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.ObjectType;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.dev.Resource;
import dev.zjvm.object.dev.ResourceKind;
import dev.zjvm.object.sched.Profile;
import dev.zjvm.object.sched.ThreadProfiles;
import dev.zjvm.object.task.Thread;
import dev.zjvm.syscall.testing.ErrorChecks;
import dev.zjvm.syscall.testing.SyscallHarness;
import org.junit.jupiter.api.Test;

class ResourceProfileSyscallsTest {
    private final SyscallHarness h = new SyscallHarness();

    private int root() {
        return h.install(Resource.root(h.kernel));
    }

    private int rootJob() {
        return h.install(h.rootJob);
    }

    private Resource createResource(int parent, int options, long base, long size, String name, int expected) {
        long out = h.alloc(4);
        long n = h.string(name);
        assertEquals(ZxStatus.name(expected),
                ZxStatus.name(h.status("resource_create", parent, options, base, size, n, name.length(), out)));
        return expected == ZxStatus.OK ? h.object(h.u32(out), Resource.class) : null;
    }

    @Test
    void resourceCreateCarvesChildren() {
        int root = root();
        Resource mmio = createResource(root, ResourceKind.MMIO.value(), 0x1000, 0x4000, "uart", ZxStatus.OK);
        assertEquals("uart", mmio.name());
        assertEquals(ResourceKind.MMIO, mmio.kind());
        assertEquals(0x1000, mmio.base());
        assertEquals(0x4000, mmio.size());
        int m = h.install(mmio);
        createResource(m, ResourceKind.MMIO.value(), 0x2000, 0x1000, "part", ZxStatus.OK);
        createResource(m, ResourceKind.MMIO.value(), 0x4000, 0x2000, "beyond", ZxStatus.ERR_ACCESS_DENIED);
        createResource(m, ResourceKind.IRQ.value(), 0x2000, 1, "other kind", ZxStatus.ERR_ACCESS_DENIED);
        createResource(root, 7, 0, 0, "bad kind", ZxStatus.ERR_INVALID_ARGS);
        createResource(root, ResourceKind.ROOT.value(), 1, 0, "ranged root", ZxStatus.ERR_INVALID_ARGS);
        createResource(root, ResourceKind.HYPERVISOR.value() | 0x0002_0000, 0, 0, "bad flag", ZxStatus.ERR_INVALID_ARGS);
        createResource(root, ResourceKind.IOPORT.value() | ResourceKind.FLAG_EXCLUSIVE, 0x60, 8, "kbd", ZxStatus.OK);
        createResource(root, ResourceKind.IOPORT.value(), 0x64, 1, "kbd2", ZxStatus.ERR_NO_RESOURCES);
        Resource longName = createResource(root, ResourceKind.SMC.value(), 0, 1, "n".repeat(40), ZxStatus.OK);
        assertEquals("n".repeat(31), longName.name());
        int handle = h.install(longName);
        assertEquals(ObjectType.RESOURCE.defaultRights(), h.rights(handle));
    }

    @Test
    void resourceCreateErrors() {
        ErrorChecks.of(h, "resource_create").args(0, ResourceKind.MMIO.value(), 0, 4096, h.string("x"), 1, 0)
                .handle(0, this::root, Rights.WRITE).in(4).out(6).run();
    }

    private long info(int flags, int priority) {
        long p = h.alloc(Profile.INFO_SIZE);
        h.putU32(p, flags);
        h.putU32(p + 8, priority);
        return p;
    }

    private int profile() {
        long out = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("profile_create", rootJob(), 0, info(Profile.FLAG_PRIORITY, 24), out));
        return h.u32(out);
    }

    @Test
    void profileCreate() {
        int p = profile();
        assertEquals(24, h.object(p, Profile.class).priority());
        assertEquals(ObjectType.PROFILE.defaultRights(), h.rights(p));
        long out = h.alloc(4);
        int job = h.install(h.job);
        assertEquals(ZxStatus.ERR_ACCESS_DENIED, h.status("profile_create", job, 0, info(Profile.FLAG_PRIORITY, 1), out),
                "not the root job");
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("profile_create", rootJob(), 1, info(Profile.FLAG_PRIORITY, 1), out));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("profile_create", rootJob(), 0, info(Profile.FLAG_PRIORITY, 32), out));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("profile_create", rootJob(), 0, info(0, 1), out));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("profile_create", rootJob(), 0, info(8, 1), out));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("profile_create", rootJob(), 0,
                info(Profile.FLAG_PRIORITY | Profile.FLAG_DEADLINE, 1), out));
        long d = info(Profile.FLAG_DEADLINE, 0);
        h.putU64(d + 8, 1_000);
        h.putU64(d + 16, 2_000);
        h.putU64(d + 24, 2_000);
        assertEquals(ZxStatus.OK, h.status("profile_create", rootJob(), 0, d, out));
        assertEquals(2_000, h.object(h.u32(out), Profile.class).info().period());
        h.putU64(d + 24, 1_999);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("profile_create", rootJob(), 0, d, out), "period < deadline");
        // The 2020 kernel accepts any mask (an empty one is a soft affinity that cannot be met).
        assertEquals(ZxStatus.OK, h.status("profile_create", rootJob(), 0, info(Profile.FLAG_CPU_MASK, 0), out));
        long m = info(Profile.FLAG_CPU_MASK, 0);
        h.putU64(m + 32, 1);
        assertEquals(ZxStatus.OK, h.status("profile_create", rootJob(), 0, m, out));
        ErrorChecks.of(h, "profile_create").args(0, 0, info(Profile.FLAG_PRIORITY, 16), 0)
                .handle(0, this::rootJob, Rights.MANAGE_PROCESS).in(2).out(3).run();
    }

    @Test
    void setProfileRecordsIt() {
        try {
            setProfileChecks();
        } finally {
            h.thread.exit(); // the JUnit thread ran it: exiting gives it back its own scheduling
        }
    }

    private void setProfileChecks() {
        int p = profile();
        int self = h.install(h.thread);
        assertEquals(ZxStatus.OK, h.status("object_set_profile", self, p, 0));
        assertSame(h.object(p, Profile.class), ThreadProfiles.of(h.kernel).of(h.thread));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("object_set_profile", self, p, 1));
        Thread unstarted = h.process.createThread("new");
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("object_set_profile", h.install(unstarted), p, 0));
        ErrorChecks.of(h, "object_set_profile").args(0, 0, 0)
                .handle(0, () -> h.install(h.thread), Rights.MANAGE_THREAD)
                .handle(1, this::profile, Rights.APPLY_PROFILE).run();
    }
}
