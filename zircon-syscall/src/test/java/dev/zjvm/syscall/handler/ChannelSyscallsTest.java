package dev.zjvm.syscall.handler;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.ObjectType;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.ipc.Channel;
import dev.zjvm.object.ipc.Event;
import dev.zjvm.object.ipc.MessagePacket;
import dev.zjvm.object.task.ThreadState;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.testing.ErrorChecks;
import dev.zjvm.syscall.testing.LeakCheck;
import dev.zjvm.syscall.testing.SyscallHarness;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChannelSyscallsTest {
    private final SyscallHarness h = new SyscallHarness();

    /** Creates a channel; returns {end0, end1} handle values. */
    private int[] channel() {
        long out = h.alloc(8);
        assertEquals(ZxStatus.OK, h.status("channel_create", 0, out, out + 4));
        return new int[] {h.u32(out), h.u32(out + 4)};
    }

    private long bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < b.length; i++) b[i] = (byte) values[i];
        long a = h.alloc(Math.max(1, b.length));
        h.memory.writeBytes(a, b);
        return a;
    }

    /** The end1 of a fresh channel with one 4-byte message queued (end0 closed). */
    private int readableEnd() {
        int[] ch = channel();
        assertEquals(ZxStatus.OK, h.status("channel_write", ch[0], 0, bytes(1, 2, 3, 4), 4, 0, 0));
        h.call("handle_close", ch[0]);
        return ch[1];
    }

    @Test
    void createGivesTwoEndsWithDefaultRights() {
        int[] ch = channel();
        assertEquals(ObjectType.CHANNEL.defaultRights(), h.rights(ch[0]));
        Channel a = h.object(ch[0], Channel.class);
        assertSame(a.peer(), h.object(ch[1], Channel.class));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("channel_create", 1, h.alloc(4), h.alloc(4)));
        int count = h.process.handleTable().count();
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("channel_create", 0, h.alloc(4), SyscallHarness.READ_ONLY));
        assertEquals(count, h.process.handleTable().count(), "no handle left behind");
        ErrorChecks.of(h, "channel_create").args(0, 0, 0).out(1).out(2).run();
    }

    @Test
    void writeMovesHandlesAndReadInstallsThem() {
        int[] ch = channel();
        int ev = h.newEvent();
        Event event = h.object(ev, Event.class);
        assertEquals(ZxStatus.OK, h.status("channel_write", ch[0], 0, bytes(9, 8, 7), 3, h.u32s(ev), 1));
        assertFalse(h.isValid(ev), "the handle left the writer");
        long buf = h.alloc(16);
        long hbuf = h.alloc(16);
        long ab = h.alloc(4);
        long ah = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("channel_read", ch[1], 0, buf, hbuf, 16, 4, ab, ah));
        assertEquals(3, h.u32(ab));
        assertEquals(1, h.u32(ah));
        assertArrayEquals(new byte[] {9, 8, 7}, h.memory.readBytes(buf, 3));
        assertSame(event, h.object(h.u32(hbuf), Event.class));
        assertEquals(ZxStatus.ERR_SHOULD_WAIT, h.status("channel_read", ch[1], 0, buf, hbuf, 16, 4, 0, 0));
        h.call("handle_close", ch[0]);
        assertEquals(ZxStatus.ERR_PEER_CLOSED, h.status("channel_read", ch[1], 0, buf, hbuf, 16, 4, 0, 0));
        assertEquals(ZxStatus.ERR_PEER_CLOSED, h.status("channel_write", ch[1], 0, buf, 1, 0, 0));
    }

    @Test
    void badOutputPointersLeaveTheMessageQueued() {
        int[] ch = channel();
        int ev = h.newEvent();
        Event event = h.object(ev, Event.class);
        h.call("channel_write", ch[0], 0, bytes(1, 2), 2, h.u32s(ev), 1);
        int count = h.process.handleTable().count();
        assertEquals(ZxStatus.ERR_INVALID_ARGS,
                h.status("channel_read", ch[1], 0, SyscallHarness.READ_ONLY, h.alloc(4), 2, 1, 0, 0));
        assertEquals(ZxStatus.ERR_INVALID_ARGS,
                h.status("channel_read", ch[1], 0, h.alloc(4), SyscallHarness.UNMAPPED, 2, 1, 0, 0));
        assertEquals(ZxStatus.ERR_INVALID_ARGS,
                h.status("channel_read_etc", ch[1], 0, h.alloc(4), SyscallHarness.READ_ONLY, 2, 1, 0, 0));
        assertEquals(count, h.process.handleTable().count());
        assertEquals(1, h.object(ch[1], Channel.class).queuedMessages());
        long hs = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("channel_read", ch[1], 0, h.alloc(4), hs, 2, 1, 0, 0));
        assertSame(event, h.object(h.u32(hs), Event.class), "the handle survived the failed reads");
    }

    @Test
    void readEtcReportsHandleInfo() {
        int[] ch = channel();
        int ev = h.install(new Event(h.kernel), Rights.TRANSFER | Rights.WAIT);
        h.call("channel_write", ch[0], 0, 0, 0, h.u32s(ev), 1);
        long info = h.alloc(16);
        assertEquals(ZxStatus.OK, h.status("channel_read_etc", ch[1], 0, 0, info, 0, 1, 0, 0));
        int value = h.u32(info);
        assertTrue(h.isValid(value));
        assertEquals(ObjectType.EVENT.value(), h.u32(info + 4));
        assertEquals(Rights.TRANSFER | Rights.WAIT, h.u32(info + 8));
        assertEquals(0, h.u32(info + 12));
    }

    @Test
    void bufferTooSmallReportsSizesAndMayDiscard() {
        int[] ch = channel();
        int ev = h.newEvent();
        h.call("channel_write", ch[0], 0, bytes(1, 2, 3, 4, 5), 5, h.u32s(ev), 1);
        long ab = h.alloc(4);
        long ah = h.alloc(4);
        long buf = h.alloc(8);
        assertEquals(ZxStatus.ERR_BUFFER_TOO_SMALL, h.status("channel_read", ch[1], 0, buf, 0, 4, 0, ab, ah));
        assertEquals(5, h.u32(ab));
        assertEquals(1, h.u32(ah));
        assertEquals(1, h.object(ch[1], Channel.class).queuedMessages());
        int before = h.process.handleTable().count();
        assertEquals(ZxStatus.ERR_BUFFER_TOO_SMALL,
                h.status("channel_read", ch[1], Channel.READ_MAY_DISCARD, buf, 0, 4, 0, ab, ah));
        assertEquals(0, h.object(ch[1], Channel.class).queuedMessages());
        assertEquals(before, h.process.handleTable().count());
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, h.status("channel_read", ch[1], 2, buf, 0, 4, 0, ab, ah));
    }

    @Test
    void writeErrorsConsumeTheListedHandles() {
        int[] ch = channel();
        long b = bytes(1);
        // Own handle: NOT_SUPPORTED, and every listed handle is gone (the channel's too).
        int ev = h.newEvent();
        assertEquals(ZxStatus.ERR_NOT_SUPPORTED, h.status("channel_write", ch[0], 0, b, 1, h.u32s(ev, ch[0]), 2));
        assertFalse(h.isValid(ev));
        assertFalse(h.isValid(ch[0]));
        ch = channel();
        // Listed twice: BAD_HANDLE.
        int ev2 = h.newEvent();
        assertEquals(ZxStatus.ERR_BAD_HANDLE, h.status("channel_write", ch[0], 0, b, 1, h.u32s(ev2, ev2), 2));
        assertFalse(h.isValid(ev2));
        // No TRANSFER right: ACCESS_DENIED.
        int stuck = h.install(new Event(h.kernel), Rights.WAIT);
        assertEquals(ZxStatus.ERR_ACCESS_DENIED, h.status("channel_write", ch[0], 0, b, 1, h.u32s(stuck), 1));
        assertFalse(h.isValid(stuck));
        // Limits and options, still consuming.
        int ev3 = h.newEvent();
        assertEquals(ZxStatus.ERR_OUT_OF_RANGE, h.status("channel_write", ch[0], 0, b, 65537, h.u32s(ev3), 1));
        assertFalse(h.isValid(ev3));
        assertEquals(ZxStatus.ERR_OUT_OF_RANGE, h.status("channel_write", ch[0], 0, b, 1, h.alloc(4 * 65), 65));
        int ev4 = h.newEvent();
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("channel_write", ch[0], 1, b, 1, h.u32s(ev4), 1));
        assertFalse(h.isValid(ev4));
        assertEquals(0, h.object(ch[1], Channel.class).queuedMessages(), "nothing was written");
        // A bad handle list pointer: nothing can be taken.
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("channel_write", ch[0], 0, b, 1, SyscallHarness.UNMAPPED, 1));
    }

    @Test
    void writeGenericErrors() {
        int n = ErrorChecks.of(h, "channel_write").args(0, 0, bytes(1, 2, 3, 4), 4, 0, 0)
                .handle(0, () -> channel()[0], Rights.WRITE).in(2).run();
        assertTrue(n >= 5);
    }

    @Test
    void readGenericErrors() {
        ErrorChecks.of(h, "channel_read").args(0, 0, 0, 0, 16, 0, 0, 0)
                .handle(0, this::readableEnd, Rights.READ).out(2).run();
        ErrorChecks.of(h, "channel_read_etc").args(0, 0, 0, 0, 16, 0, 0, 0)
                .handle(0, this::readableEnd, Rights.READ).out(2).run();
    }

    @Test
    void writeEtcDuplicatesMovesAndReportsPerHandle() {
        int[] ch = channel();
        int ev = h.newEvent();
        int moved = h.newEvent();
        long d = h.alloc(40);
        h.putU32(d, 1); // DUPLICATE
        h.putU32(d + 4, ev);
        h.putU32(d + 8, ObjectType.EVENT.value());
        h.putU32(d + 12, Rights.SAME_RIGHTS);
        h.putU32(d + 16, 12345);
        h.putU32(d + 20, 0); // MOVE with fewer rights
        h.putU32(d + 24, moved);
        h.putU32(d + 28, 0);
        h.putU32(d + 32, Rights.TRANSFER | Rights.WAIT);
        h.putU32(d + 36, 12345);
        assertEquals(ZxStatus.OK, h.status("channel_write_etc", ch[0], 0, 0, 0, d, 2));
        assertTrue(h.isValid(ev), "DUPLICATE keeps the original");
        assertFalse(h.isValid(moved));
        assertEquals(0, h.u32(d + 16));
        assertEquals(0, h.u32(d + 36));
        long info = h.alloc(32);
        assertEquals(ZxStatus.OK, h.status("channel_read_etc", ch[1], 0, 0, info, 0, 2, 0, 0));
        assertEquals(h.rights(ev), h.u32(info + 8));
        assertEquals(Rights.TRANSFER | Rights.WAIT, h.u32(info + 16 + 8));

        // Wrong type for one entry: WRONG_TYPE in its result, the MOVE is consumed anyway.
        int other = h.newEvent();
        h.putU32(d, 0);
        h.putU32(d + 4, other);
        h.putU32(d + 8, ObjectType.CHANNEL.value());
        h.putU32(d + 12, Rights.SAME_RIGHTS);
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.status("channel_write_etc", ch[0], 0, 0, 0, d, 1));
        assertEquals(ZxStatus.ERR_WRONG_TYPE, h.u32(d + 16));
        assertFalse(h.isValid(other));
        // Unknown operation.
        h.putU32(d, 7);
        h.putU32(d + 4, ev);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("channel_write_etc", ch[0], 0, 0, 0, d, 1));
        assertTrue(h.isValid(ev));
        // DUPLICATE needs the DUPLICATE right; rights must be a subset.
        int nodup = h.install(new Event(h.kernel), Rights.TRANSFER | Rights.WAIT);
        h.putU32(d, 1);
        h.putU32(d + 4, nodup);
        h.putU32(d + 8, 0);
        assertEquals(ZxStatus.ERR_ACCESS_DENIED, h.status("channel_write_etc", ch[0], 0, 0, 0, d, 1));
        h.putU32(d, 0);
        h.putU32(d + 12, Rights.TRANSFER | Rights.WAIT | Rights.WRITE);
        assertEquals(ZxStatus.ERR_ACCESS_DENIED, h.status("channel_write_etc", ch[0], 0, 0, 0, d, 1));
        assertEquals(0, h.object(ch[1], Channel.class).queuedMessages());
        ErrorChecks.of(h, "channel_write_etc").args(0, 0, bytes(1), 1, 0, 0)
                .handle(0, () -> channel()[0], Rights.WRITE).in(2).run();
    }

    /** A call args block: wr 8 bytes, rd up to {@code rdBytes}. */
    private long callArgs(int rdBytes, int rdHandles) {
        long a = h.alloc(48);
        h.putU64(a, bytes(0, 0, 0, 0, 1, 2, 3, 4));
        h.putU64(a + 8, 0);
        h.putU64(a + 16, h.alloc(Math.max(rdBytes, 1)));
        h.putU64(a + 24, h.alloc(Math.max(rdHandles * 4, 4)));
        h.putU32(a + 32, 8);
        h.putU32(a + 36, 0);
        h.putU32(a + 40, rdBytes);
        h.putU32(a + 44, rdHandles);
        return a;
    }

    /** A server on another guest thread: reads one request and replies with it plus a handle. */
    private CompletableFuture<Integer> echoServer(int end) {
        return h.runAsGuest("server", c -> {
            Channel ch = h.object(end, Channel.class);
            long deadline = h.deadlineIn(60_000);
            while (ch.queuedMessages() == 0 && h.kernel.clock().nowNanos() < deadline) java.lang.Thread.onSpinWait();
            MessagePacket req = ch.read(0, 64, 0).message();
            Event ev = new Event(h.kernel);
            ch.write(new MessagePacket(req.data(), java.util.List.of(dev.zjvm.object.handle.Handle.createDefault(ev))));
            return req.txid();
        });
    }

    @Test
    void callGetsTheMatchingReply() throws Exception {
        int[] ch = channel();
        CompletableFuture<Integer> server = echoServer(ch[1]);
        long args = callArgs(16, 1);
        long ab = h.alloc(4);
        long ah = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("channel_call_noretry", ch[0], 0, Long.MAX_VALUE, args, ab, ah));
        assertEquals(8, h.u32(ab));
        assertEquals(1, h.u32(ah));
        long rd = h.u64(args + 16);
        assertEquals(server.get(60, TimeUnit.SECONDS).intValue(), h.u32(rd));
        assertTrue(h.u32(rd) < 0, "kernel txid");
        assertNotNull(h.object(h.u32(h.u64(args + 24)), Event.class));
    }

    @Test
    void callReplyTooLargeIsDiscarded() throws Exception {
        int[] ch = channel();
        CompletableFuture<Integer> server = echoServer(ch[1]);
        long ab = h.alloc(4);
        long ah = h.alloc(4);
        int before = h.process.handleTable().count();
        assertEquals(ZxStatus.ERR_BUFFER_TOO_SMALL,
                h.status("channel_call_noretry", ch[0], 0, Long.MAX_VALUE, callArgs(4, 0), ab, ah));
        server.get(60, TimeUnit.SECONDS);
        assertEquals(8, h.u32(ab));
        assertEquals(1, h.u32(ah));
        assertEquals(before, h.process.handleTable().count());
        assertEquals(0, h.object(ch[0], Channel.class).queuedMessages());
    }

    @Test
    void callErrors() {
        int[] ch = channel();
        long ab = h.alloc(4);
        long ah = h.alloc(4);
        assertEquals(ZxStatus.ERR_TIMED_OUT, h.status("channel_call_noretry", ch[0], 0, h.deadlineIn(10), callArgs(16, 0), ab, ah));
        long shortArgs = callArgs(16, 0);
        h.putU32(shortArgs + 32, 3);
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("channel_call_noretry", ch[0], 0, 0, shortArgs, ab, ah));
        assertEquals(ZxStatus.ERR_INVALID_ARGS, h.status("channel_call_noretry", ch[0], 1, 0, callArgs(16, 0), ab, ah));
        int writeOnly = h.install(h.object(ch[0], Channel.class), Rights.WRITE | Rights.TRANSFER);
        assertEquals(ZxStatus.ERR_ACCESS_DENIED, h.status("channel_call_noretry", writeOnly, 0, 0, callArgs(16, 0), ab, ah));
        h.call("handle_close", ch[1]);
        assertEquals(ZxStatus.ERR_PEER_CLOSED, h.status("channel_call_noretry", ch[0], 0, 0, callArgs(16, 0), ab, ah));
        assertEquals(ZxStatus.ERR_BAD_STATE, h.status("channel_call_finish", 0, callArgs(16, 0), ab, ah));
        ErrorChecks.of(h, "channel_call_noretry").args(0, 0, 0, callArgs(16, 0), 0, 0)
                .handle(0, () -> channel()[0], Rights.READ | Rights.WRITE).validStatus(ZxStatus.ERR_TIMED_OUT)
                .in(3).run();
    }

    @Test
    void blockedCallIsEndedByKill() throws Exception {
        int[] ch = channel();
        SyscallContext caller = h.newThreadContext("caller");
        CompletableFuture<Long> f = new CompletableFuture<>();
        java.lang.Thread jt = new java.lang.Thread(() -> {
            caller.thread().bindCurrent();
            f.complete(h.callAs(caller, "channel_call_noretry", ch[0], 0, Long.MAX_VALUE, callArgs(16, 0), h.alloc(4), h.alloc(4)));
        });
        jt.setDaemon(true);
        jt.start();
        SyscallHarness.awaitThreadState(caller.thread(), ThreadState.BLOCKED_CHANNEL);
        caller.thread().kill();
        f.get(60, TimeUnit.SECONDS);
        jt.join(60_000);
        assertFalse(jt.isAlive());
    }

    @Test
    void closingEverythingLeavesNoObjects() {
        LeakCheck leaks = LeakCheck.baseline(h.kernel);
        int[] ch = channel();
        int ev = h.newEvent();
        int[] inner = channel();
        h.call("channel_write", ch[0], 0, bytes(1), 1, h.u32s(ev, inner[0]), 2);
        h.call("handle_close", ch[0]);
        h.call("handle_close", ch[1]);
        h.call("handle_close", inner[1]);
        leaks.assertNoNewObjects();
    }

    // ---- kMaxPendingMessageCount ----

    /** A channel whose end1 already holds the limit; returns {end0, end1} handle values. */
    private int[] fullChannel() {
        int[] ch = channel();
        Channel end0 = h.object(ch[0], Channel.class);
        for (int i = 0; i < Channel.MAX_PENDING; i++) end0.write(MessagePacket.of(new byte[0]));
        return ch;
    }

    /** The next exception message on {@code exceptionChannel}: {type, exception handle value}. */
    private int[] nextException(int exceptionChannel) throws Exception {
        Channel ch = h.object(exceptionChannel, Channel.class);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ch.queuedMessages() == 0) {
            assertTrue(System.nanoTime() < end, "no exception message");
            java.lang.Thread.sleep(1);
        }
        MessagePacket m = ch.read(0, 64, 1).message();
        int type = java.nio.ByteBuffer.wrap(m.data()).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(16);
        return new int[] {type, h.process.handleTable().add(m.handles().get(0))};
    }

    private int processExceptionChannel() {
        long out = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("task_create_exception_channel", h.install(h.process), 0, out));
        return h.u32(out);
    }

    private void resolve(int exception, int state) {
        long s = h.alloc(4);
        h.putU32(s, state);
        assertEquals(ZxStatus.OK, h.status("object_set_property", exception, ObjectInfoSyscalls.PROP_EXCEPTION_STATE, s, 4));
        assertEquals(ZxStatus.OK, h.status("handle_close", exception));
    }

    @Test
    void writingPastThePendingLimitRaisesAPolicyExceptionAndStillQueues() throws Exception {
        int[] ch = fullChannel();
        int excp = processExceptionChannel();
        long data = bytes(1, 2, 3, 4);
        CompletableFuture<Long> write = h.runAsGuest("writer", c -> h.callAs(c, "channel_write", ch[0], 0, data, 4, 0, 0));
        int[] ex = nextException(excp);
        assertEquals(dev.zjvm.object.exception.ExceptionType.POLICY_ERROR, ex[0]);
        assertFalse(write.isDone(), "the writer waits for the handler");
        resolve(ex[1], dev.zjvm.object.exception.ExceptionObject.STATE_HANDLED);
        assertEquals(ZxStatus.OK, write.get(30, TimeUnit.SECONDS));
        assertEquals(Channel.MAX_PENDING + 1, h.object(ch[1], Channel.class).queuedMessages());
        // write_etc is the same write.
        long disp = h.alloc(ChannelSyscalls.DISPOSITION_SIZE);
        CompletableFuture<Long> etc = h.runAsGuest("writer-etc", c -> h.callAs(c, "channel_write_etc", ch[0], 0, data, 4, disp, 0));
        ex = nextException(excp);
        resolve(ex[1], dev.zjvm.object.exception.ExceptionObject.STATE_HANDLED);
        assertEquals(ZxStatus.OK, etc.get(30, TimeUnit.SECONDS));
        assertEquals(Channel.MAX_PENDING + 2, h.object(ch[1], Channel.class).queuedMessages());
        assertFalse(h.process.isDead());
    }

    @Test
    void aCallPastThePendingLimitTakesTheExceptionAsItReturns() throws Exception {
        int[] ch = fullChannel();
        int excp = processExceptionChannel();
        long args = h.alloc(ChannelSyscalls.CALL_ARGS_SIZE);
        h.putU64(args, bytes(1, 2, 3, 4));
        h.putU32(args + 32, 4);
        long actual = h.alloc(8);
        // A deadline in the past: the call times out, then the pending exception is taken.
        CompletableFuture<Long> call = h.runAsGuest("caller",
                c -> h.callAs(c, "channel_call_noretry", ch[0], 0, 0, args, actual, actual + 4));
        int[] ex = nextException(excp);
        assertEquals(dev.zjvm.object.exception.ExceptionType.POLICY_ERROR, ex[0]);
        resolve(ex[1], dev.zjvm.object.exception.ExceptionObject.STATE_HANDLED);
        assertEquals(ZxStatus.ERR_TIMED_OUT, call.get(30, TimeUnit.SECONDS));
    }

    @Test
    void anUnhandledChannelFullExceptionKillsTheWriter() throws Exception {
        int[] ch = fullChannel();
        long data = bytes(1, 2, 3, 4);
        dev.zjvm.object.task.Thread[] writer = new dev.zjvm.object.task.Thread[1];
        h.runAsGuest("writer", c -> {
            writer[0] = c.thread();
            return h.callAs(c, "channel_write", ch[0], 0, data, 4, 0, 0);
        }).get(30, TimeUnit.SECONDS);
        assertTrue(writer[0].isDying());
        assertEquals(dev.zjvm.object.task.Task.RETCODE_EXCEPTION_KILL, h.process.returnCode());
    }

    @Test
    void writesUpToTheLimitRaiseNothing() {
        int[] ch = channel();
        Channel end0 = h.object(ch[0], Channel.class);
        for (int i = 0; i < Channel.MAX_PENDING - 1; i++) end0.write(MessagePacket.of(new byte[0]));
        assertEquals(ZxStatus.OK, h.status("channel_write", ch[0], 0, bytes(1), 1, 0, 0)); // the 3500th: allowed
        assertEquals(Channel.MAX_PENDING, h.object(ch[1], Channel.class).queuedMessages());
        assertFalse(h.process.isDead());
    }
}
