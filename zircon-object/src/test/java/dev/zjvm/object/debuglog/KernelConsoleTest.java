package dev.zjvm.object.debuglog;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.task.Job;
import dev.zjvm.object.task.Process;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelConsoleTest {
    private final Kernel kernel = Kernel.forTesting(5);
    private final Job root = Job.createRoot(kernel);
    private final List<String> out = new ArrayList<>();
    private final KernelConsole console = new KernelConsole(kernel, root, out::add);

    private String text() {
        return String.join("\n", out);
    }

    @Test
    void helpAndUnknownCommands() {
        assertEquals(ZxStatus.OK, console.runScript("help\n"));
        assertTrue(text().contains("zx ps"), text());
        out.clear();
        assertEquals(ZxStatus.ERR_NOT_FOUND, console.runScript("frobnicate 1\n"));
        assertTrue(text().contains("\"frobnicate\" not found"), text());
        assertEquals(ZxStatus.OK, console.runScript("\n  \n"), "blank lines are no commands");
        assertEquals(ZxStatus.OK, console.runScript("nope; help"), "the script's status is the last command's");
    }

    @Test
    void listsTasks() {
        Job child = root.createChild();
        child.setName("apps");
        Process p = child.createProcess("hello");
        p.createThread("worker");
        Handle.createDefault(p);
        assertEquals(ZxStatus.OK, console.runScript("zx ps"));
        assertTrue(out.stream().anyMatch(l -> l.contains(Long.toString(p.koid())) && l.endsWith("hello")), text());
        out.clear();
        assertEquals(ZxStatus.OK, console.runScript("zx jobs"));
        assertTrue(out.stream().anyMatch(l -> l.endsWith("apps")), text());
        out.clear();
        assertEquals(ZxStatus.OK, console.runScript("zx threads " + p.koid()));
        assertTrue(out.stream().anyMatch(l -> l.contains("new") && l.endsWith("worker")), text());
        out.clear();
        p.handleTable().add(Handle.createDefault(new dev.zjvm.object.ipc.Event(kernel)));
        assertEquals(ZxStatus.OK, console.runScript("zx ht " + p.koid()));
        assertTrue(out.stream().anyMatch(l -> l.contains("event")), text());
        assertEquals(ZxStatus.ERR_NOT_FOUND, console.runScript("zx threads " + child.koid()), "a job is no process");
        assertEquals(ZxStatus.ERR_INVALID_ARGS, console.runScript("zx threads"));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, console.runScript("zx ht x"));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, console.runScript("zx"));
    }

    @Test
    void killsATaskInTheTree() {
        Process p = root.createChild().createProcess("victim");
        Handle.createDefault(p);
        assertEquals(ZxStatus.OK, console.runScript("zx kill " + p.koid()));
        assertTrue(p.isDead());
        Job elsewhere = Job.createRoot(kernel); // another tree: not this console's to kill
        Process other = elsewhere.createProcess("other");
        Handle.createDefault(other);
        assertEquals(ZxStatus.ERR_NOT_FOUND, console.runScript("zx kill " + other.koid()));
        assertFalse(other.isDead());
        assertEquals(ZxStatus.ERR_NOT_FOUND, console.runScript("zx kill 999999"));
    }

    @Test
    void kernelLogConsolePrintsKernelRecords() {
        List<LogRecord> records = new ArrayList<>();
        DebugLog.buffer(kernel).addListener(records::add);
        KernelConsole.toKernelLog(kernel, root).runScript("help");
        assertFalse(records.isEmpty());
        assertEquals(0, records.get(0).pid());
        assertEquals(KernelConsole.LOG_INFO, records.get(0).flags());
    }
}
