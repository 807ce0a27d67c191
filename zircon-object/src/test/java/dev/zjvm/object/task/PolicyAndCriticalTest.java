package dev.zjvm.object.task;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyAndCriticalTest {
    private final Kernel kernel = Kernel.forTesting(11);
    private final Job root = Job.createRoot(kernel);

    private static JobPolicy.Entry v1(int condition, int action) {
        return new JobPolicy.Entry(condition, action, JobPolicy.OVERRIDE_DENY);
    }

    @Test
    void rootAllowsEverythingAndChildrenInherit() {
        Job j = root.createChild();
        Handle jh = Handle.createDefault(j);
        for (int c = 0; c < JobPolicy.MAX; c++) assertEquals(JobPolicy.ALLOW, j.policy().action(c));
        j.updatePolicy(p -> p.withBasic(false, List.of(v1(JobPolicy.NEW_ANY, JobPolicy.DENY))));
        for (int c = JobPolicy.NEW_VMO; c <= JobPolicy.NEW_PROFILE; c++) assertEquals(JobPolicy.DENY, j.policy().action(c));
        assertEquals(JobPolicy.ALLOW, j.policy().action(JobPolicy.BAD_HANDLE));
        Job child = j.createChild();
        assertEquals(JobPolicy.DENY, child.policy().action(JobPolicy.NEW_PROCESS));
        // The parent now has a child: no more policy changes.
        assertEquals(ZxStatus.ERR_BAD_STATE, assertThrows(ZxException.class,
                () -> j.updatePolicy(p -> p.withBasic(false, List.of(v1(JobPolicy.NEW_VMO, JobPolicy.ALLOW))))).status());
        // A locked (v1) condition cannot be widened: absolute fails, relative keeps the old action.
        assertEquals(ZxStatus.ERR_ALREADY_EXISTS, assertThrows(ZxException.class, () -> child.updatePolicy(
                p -> p.withBasic(true, List.of(v1(JobPolicy.NEW_VMO, JobPolicy.ALLOW))))).status());
        child.updatePolicy(p -> p.withBasic(false, List.of(v1(JobPolicy.NEW_VMO, JobPolicy.ALLOW),
                v1(JobPolicy.BAD_HANDLE, JobPolicy.KILL))));
        assertEquals(JobPolicy.DENY, child.policy().action(JobPolicy.NEW_VMO));
        assertEquals(JobPolicy.KILL, child.policy().action(JobPolicy.BAD_HANDLE));
        // Same action on a locked condition is fine in absolute mode.
        child.updatePolicy(p -> p.withBasic(true, List.of(v1(JobPolicy.NEW_VMO, JobPolicy.DENY))));
        jh.destroy();
    }

    @Test
    void overridableV2EntriesCanBeChangedBelow() {
        JobPolicy p = JobPolicy.ROOT.withBasic(true,
                List.of(new JobPolicy.Entry(JobPolicy.NEW_EVENT, JobPolicy.DENY, JobPolicy.OVERRIDE_ALLOW)));
        assertFalse(p.isLocked(JobPolicy.NEW_EVENT));
        JobPolicy q = p.withBasic(true, List.of(v1(JobPolicy.NEW_EVENT, JobPolicy.ALLOW_EXCEPTION)));
        assertEquals(JobPolicy.ALLOW_EXCEPTION, q.action(JobPolicy.NEW_EVENT));
        assertTrue(q.isLocked(JobPolicy.NEW_EVENT));
        assertEquals(JobPolicy.DENY, p.action(JobPolicy.NEW_EVENT)); // immutable
    }

    @Test
    void invalidEntriesAreRejectedWithoutPartialChanges() {
        JobPolicy p = JobPolicy.ROOT;
        assertEquals(ZxStatus.ERR_OUT_OF_RANGE, assertThrows(ZxException.class,
                () -> p.withBasic(false, List.of(v1(JobPolicy.MAX, JobPolicy.DENY)))).status());
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, assertThrows(ZxException.class,
                () -> p.withBasic(false, List.of(v1(JobPolicy.NEW_VMO, 5)))).status());
        assertEquals(ZxStatus.ERR_INVALID_ARGS, assertThrows(ZxException.class,
                () -> p.withBasic(false, List.of(new JobPolicy.Entry(JobPolicy.NEW_VMO, 0, 2)))).status());
        assertEquals(ZxStatus.ERR_INVALID_ARGS, assertThrows(ZxException.class,
                () -> p.withBasic(false, List.of())).status());
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, assertThrows(ZxException.class, () -> p.withBasic(false,
                List.of(v1(JobPolicy.NEW_VMO, JobPolicy.DENY), v1(JobPolicy.NEW_PORT, 9)))).status());
        assertEquals(JobPolicy.ALLOW, p.action(JobPolicy.NEW_VMO));
    }

    @Test
    void timerSlackNeverDropsBelowTheParent() {
        JobPolicy p = JobPolicy.ROOT.withTimerSlack(1000, JobPolicy.SLACK_LATE);
        assertEquals(1000, p.minSlack());
        assertEquals(JobPolicy.SLACK_LATE, p.slackMode());
        JobPolicy q = p.withTimerSlack(10, JobPolicy.SLACK_EARLY);
        assertEquals(1000, q.minSlack());
        assertEquals(ZxStatus.ERR_INVALID_ARGS, assertThrows(ZxException.class, () -> p.withTimerSlack(-1, 0)).status());
        assertEquals(ZxStatus.ERR_INVALID_ARGS, assertThrows(ZxException.class, () -> p.withTimerSlack(0, 3)).status());
    }

    @Test
    void enforcePolicyDeniesOrKills() {
        Job j = root.createChild();
        Handle jh = Handle.createDefault(j);
        j.updatePolicy(p -> p.withBasic(false, List.of(v1(JobPolicy.NEW_EVENT, JobPolicy.DENY),
                v1(JobPolicy.NEW_PORT, JobPolicy.KILL), v1(JobPolicy.NEW_TIMER, JobPolicy.ALLOW_EXCEPTION))));
        Process p = j.createProcess("p");
        Handle ph = Handle.createDefault(p);
        p.enforcePolicy(JobPolicy.NEW_VMO, null);
        p.enforcePolicy(JobPolicy.NEW_TIMER, null); // no thread to raise on: allowed
        assertEquals(ZxStatus.ERR_ACCESS_DENIED,
                assertThrows(ZxException.class, () -> p.enforcePolicy(JobPolicy.NEW_EVENT, null)).status());
        assertFalse(p.isDead());
        assertEquals(ZxStatus.ERR_ACCESS_DENIED,
                assertThrows(ZxException.class, () -> p.enforcePolicy(JobPolicy.NEW_PORT, null)).status());
        assertTrue(p.isDead());
        assertEquals(Task.RETCODE_POLICY_KILL, p.returnCode());
        ph.destroy();
        jh.destroy();
    }

    @Test
    void criticalProcessDeathKillsTheJob() {
        Job j = root.createChild();
        Handle jh = Handle.createDefault(j);
        Job inner = j.createChild();
        Handle ih = Handle.createDefault(inner);
        Process p = inner.createProcess("p");
        Handle ph = Handle.createDefault(p);
        Process other = j.createProcess("other");
        Handle oh = Handle.createDefault(other);
        assertEquals(ZxStatus.ERR_INVALID_ARGS,
                assertThrows(ZxException.class, () -> p.setCriticalTo(root.createChild(), false)).status());
        p.setCriticalTo(j, false);
        assertEquals(ZxStatus.ERR_ALREADY_BOUND, assertThrows(ZxException.class, () -> p.setCriticalTo(j, false)).status());
        p.kill();
        assertTrue(j.isDead());
        assertEquals(Task.RETCODE_CRITICAL_PROCESS_KILL, j.returnCode());
        assertTrue(other.isDead());
        for (Handle h : new Handle[] {jh, ih, ph, oh}) h.destroy();
    }

    @Test
    void criticalOnNonzeroOnlyIgnoresCleanExit() {
        Job j = root.createChild();
        Handle jh = Handle.createDefault(j);
        Process p = j.createProcess("p");
        Handle ph = Handle.createDefault(p);
        Handle keep = Handle.createDefault(j.createProcess("keep"));
        p.setCriticalTo(j, true);
        Thread t = p.createThread("t");
        p.start(t, 0, 0, null, 0);
        t.exit(); // last thread leaves: return code 0
        assertTrue(p.isDead());
        assertEquals(0, p.returnCode());
        assertFalse(j.isKilled());
        keep.destroy();
        ph.destroy();
        jh.destroy();
    }
}
