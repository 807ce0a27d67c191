package dev.zjvm.syscall.handler;

import dev.zjvm.object.task.JobPolicy;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.exception.ExceptionReport;
import dev.zjvm.object.exception.ExceptionType;
import dev.zjvm.object.exception.Exceptions;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.ipc.Channel;
import dev.zjvm.object.ipc.ChannelRead;
import dev.zjvm.object.ipc.MessagePacket;
import dev.zjvm.object.task.Thread;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** channel_create/read/read_etc/write/write_etc/call_noretry/call_finish (syscalls.md "Channels"). */
public final class ChannelSyscalls implements SyscallFamily {
    /** {@code zx_handle_disposition_t} size. */
    static final int DISPOSITION_SIZE = 20;
    /** {@code zx_handle_info_t} size. */
    static final int HANDLE_INFO_SIZE = 16;
    /** {@code zx_channel_call_args_t} size. */
    static final int CALL_ARGS_SIZE = 48;
    static final int HANDLE_OP_MOVE = 0;
    static final int HANDLE_OP_DUPLICATE = 1;

    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("channel_create", (c, options, out0, out1, a3, a4, a5, a6, a7) -> create(c, options, out0, out1));
        r.register("channel_read", (c, h, options, bytes, handles, nb, nh, ab, ah) ->
                read(c, h, options, bytes, handles, nb, nh, ab, ah, false));
        r.register("channel_read_etc", (c, h, options, bytes, handles, nb, nh, ab, ah) ->
                read(c, h, options, bytes, handles, nb, nh, ab, ah, true));
        r.register("channel_write", (c, h, options, bytes, nb, handles, nh, a6, a7) ->
                write(c, h, options, bytes, nb, handles, nh));
        r.register("channel_write_etc", (c, h, options, bytes, nb, handles, nh, a6, a7) ->
                writeEtc(c, h, options, bytes, nb, handles, nh));
        r.register("channel_call_noretry", (c, h, options, deadline, args, ab, ah, a6, a7) ->
                callNoretry(c, h, options, deadline, args, ab, ah));
        r.register("channel_call_finish", (c, deadline, args, ab, ah, a4, a5, a6, a7) ->
                callFinish(c, deadline, args, ab, ah));
    }

    static long create(SyscallContext c, long options, long out0, long out1) {
        c.process().enforcePolicy(JobPolicy.NEW_CHANNEL, c.thread());
        if ((int) options != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        Channel.Pair p = Channel.create(c.kernel());
        PeerHandles.installPair(c, out0, out1, p.end0(), p.end1());
        return ZxStatus.OK;
    }

    // ---- read ----

    static long read(SyscallContext c, long handle, long options, long bytesPtr, long handlesPtr, long numBytes,
            long numHandles, long actualBytesPtr, long actualHandlesPtr, boolean etc) {
        Channel ch = c.get(handle, Channel.class, Rights.READ);
        ChannelRead r = ch.read((int) options, numBytes & 0xffff_ffffL, numHandles & 0xffff_ffffL);
        if (r.status() != ZxStatus.OK) {
            PeerHandles.writeOptionalU32(c, actualBytesPtr, r.actualBytes());
            PeerHandles.writeOptionalU32(c, actualHandlesPtr, r.actualHandles());
            return r.status();
        }
        MessagePacket m = r.message();
        // The counts go out first: once the handles are in the table a failing copy would leak them.
        try {
            PeerHandles.writeOptionalU32(c, actualBytesPtr, m.dataSize());
            PeerHandles.writeOptionalU32(c, actualHandlesPtr, m.handleCount());
        } catch (ZxException e) {
            giveBack(m, ch);
            throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        }
        deliverToUser(c, m, bytesPtr, handlesPtr, etc, ch);
        return ZxStatus.OK;
    }

    /**
     * Copies a received message out: bytes, then its handles installed in the caller's table. If a
     * copy fails, a message read from {@code source} goes back to the head of its queue (the read
     * has no effect); a call reply ({@code source} null) is lost, as in Zircon. Nothing leaks.
     */
    static void deliverToUser(SyscallContext c, MessagePacket m, long bytesPtr, long handlesPtr, boolean etc,
            Channel source) {
        try {
            c.memory().write(bytesPtr, m.data(), 0, m.dataSize());
        } catch (ZxException e) {
            giveBack(m, source);
            throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        }
        List<Handle> hs = m.handles();
        if (hs.isEmpty()) return;
        int[] values = new int[hs.size()];
        int installed = 0;
        try {
            for (; installed < hs.size(); installed++) values[installed] = c.handles().add(hs.get(installed));
        } catch (ZxException e) {
            // add() destroyed the handle it could not install, so the message cannot be restored.
            takeBack(c, values, installed);
            m.discard(); // destroys the taken-back handles too
            throw e;
        }
        try {
            if (etc) {
                ByteBuffer b = ByteBuffer.allocate(hs.size() * HANDLE_INFO_SIZE).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < hs.size(); i++) {
                    b.putInt(values[i]).putInt(hs.get(i).object().type().value()).putInt(hs.get(i).rights()).putInt(0);
                }
                c.memory().write(handlesPtr, b.array(), 0, b.capacity());
            } else {
                c.memory().writeU32Array(handlesPtr, values, 0, values.length);
            }
        } catch (ZxException e) {
            if (takeBack(c, values, values.length)) giveBack(m, source);
            else m.discard();
            throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        }
    }

    /**
     * Removes installed handles from the table again without destroying them (they stay in the
     * message). False if another thread closed one first: then the message cannot be restored.
     */
    private static boolean takeBack(SyscallContext c, int[] values, int n) {
        boolean all = true;
        for (int i = 0; i < n; i++) {
            try {
                c.handles().remove(values[i]);
            } catch (ZxException e) {
                all = false;
            }
        }
        return all;
    }

    private static void giveBack(MessagePacket m, Channel source) {
        if (source != null) source.unread(m);
        else m.discard();
    }

    // ---- write ----

    static long write(SyscallContext c, long handle, long options, long bytesPtr, long numBytes, long handlesPtr,
            long numHandles) {
        long nh = numHandles & 0xffff_ffffL;
        long nb = numBytes & 0xffff_ffffL;
        // The listed handles leave the caller whatever happens, so take them out first...
        int[] values = nh <= MessagePacket.MAX_HANDLES ? c.memory().readU32Array(handlesPtr, nh) : null;
        List<Handle> taken = new ArrayList<>();
        boolean tookHandles = false;
        try {
            if ((int) options != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
            if (nb > MessagePacket.MAX_BYTES || values == null) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE);
            // ...but only after finding the channel, so listing the channel's own handle is NOT_SUPPORTED.
            Channel ch = c.get(handle, Channel.class, Rights.WRITE);
            byte[] data = readBytes(c, bytesPtr, nb);
            tookHandles = true;
            int error = takeHandles(c, values, ch, taken);
            if (error != ZxStatus.OK) throw new ZxException(error);
            MessagePacket m = new MessagePacket(data, taken);
            taken = List.of(); // the message owns them now (write destroys them if it fails)
            if (ch.write(m)) channelFull(c);
            return ZxStatus.OK;
        } catch (ZxException e) {
            if (values != null && !tookHandles) takeHandles(c, values, null, taken);
            for (Handle h : taken) h.destroy();
            throw e;
        }
    }

    /**
     * Removes every listed handle from the caller's table (all of them, even after a failure) and
     * returns the first error in list order: BAD_HANDLE (not a handle or listed twice),
     * NOT_SUPPORTED (the channel itself), ACCESS_DENIED (no TRANSFER).
     */
    private static int takeHandles(SyscallContext c, int[] values, Channel self, List<Handle> taken) {
        int error = ZxStatus.OK;
        for (int v : values) {
            Handle h;
            try {
                h = c.handles().remove(v);
            } catch (ZxException e) {
                if (error == ZxStatus.OK) error = ZxStatus.ERR_BAD_HANDLE;
                continue;
            }
            taken.add(h);
            if (error != ZxStatus.OK) continue;
            if (self != null && h.object() == self) error = ZxStatus.ERR_NOT_SUPPORTED;
            else if (!h.hasRights(Rights.TRANSFER)) error = ZxStatus.ERR_ACCESS_DENIED;
        }
        return error;
    }

    private static byte[] readBytes(SyscallContext c, long ptr, long n) {
        try {
            return c.memory().readBytes(ptr, n);
        } catch (ZxException e) {
            throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        }
    }

    // ---- write_etc ----

    /** One decoded {@code zx_handle_disposition_t}. */
    private record Disposition(int operation, int handle, int type, int rights) {}

    static long writeEtc(SyscallContext c, long handle, long options, long bytesPtr, long numBytes, long dispPtr,
            long numHandles) {
        long nh = numHandles & 0xffff_ffffL;
        long nb = numBytes & 0xffff_ffffL;
        List<Disposition> ds = nh <= MessagePacket.MAX_HANDLES ? readDispositions(c, dispPtr, (int) nh) : null;
        int[] results = ds == null ? null : new int[ds.size()];
        List<Handle> moved = new ArrayList<>();
        List<Handle> made = new ArrayList<>();
        boolean applied = false;
        try {
            if ((int) options != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
            if (nb > MessagePacket.MAX_BYTES || ds == null) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE);
            Channel ch = c.get(handle, Channel.class, Rights.WRITE);
            byte[] data = readBytes(c, bytesPtr, nb);
            applied = true;
            int error = applyDispositions(c, ds, ch, results, moved, made);
            writeResults(c, dispPtr, results);
            if (error != ZxStatus.OK) throw new ZxException(error);
            for (Handle h : moved) h.destroy(); // replaced by reduced-rights copies in `made`
            moved.clear();
            MessagePacket m = new MessagePacket(data, made);
            made = List.of();
            if (ch.write(m)) channelFull(c);
            return ZxStatus.OK;
        } catch (ZxException e) {
            if (ds != null && !applied) {
                // Failed before the dispositions were applied: MOVE handles still leave the caller.
                for (Disposition d : ds) {
                    if (d.operation == HANDLE_OP_MOVE) {
                        try {
                            c.handles().remove(d.handle).destroy();
                        } catch (ZxException ignored) {
                            // not a handle: nothing to take
                        }
                    }
                }
            }
            for (Handle h : moved) h.destroy();
            for (Handle h : made) h.destroy();
            throw e;
        }
    }

    private static List<Disposition> readDispositions(SyscallContext c, long ptr, int n) {
        byte[] raw = readBytes(c, ptr, (long) n * DISPOSITION_SIZE);
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        List<Disposition> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int o = i * DISPOSITION_SIZE;
            out.add(new Disposition(b.getInt(o), b.getInt(o + 4), b.getInt(o + 8), b.getInt(o + 12)));
        }
        return out;
    }

    private static void writeResults(SyscallContext c, long ptr, int[] results) {
        for (int i = 0; i < results.length; i++) {
            try {
                c.memory().writeU32(ptr + (long) i * DISPOSITION_SIZE + 16, results[i]);
            } catch (ZxException e) {
                throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
            }
        }
    }

    /**
     * Applies each disposition; records per-entry results. MOVE entries are removed from the table
     * whatever happens; DUPLICATE entries stay. {@code made} receives the handles to send (a MOVE
     * with reduced rights sends a new handle and destroys the original).
     *
     * @return the first failing entry's status, or OK
     */
    private static int applyDispositions(SyscallContext c, List<Disposition> ds, Channel self, int[] results,
            List<Handle> moved, List<Handle> made) {
        int error = ZxStatus.OK;
        for (int i = 0; i < ds.size(); i++) {
            Disposition d = ds.get(i);
            int st;
            if (d.operation == HANDLE_OP_MOVE) {
                Handle h = null;
                try {
                    h = c.handles().remove(d.handle);
                } catch (ZxException e) {
                    // not found
                }
                st = h == null ? ZxStatus.ERR_BAD_HANDLE : check(h, d, self);
                if (h != null) {
                    if (st == ZxStatus.OK && d.rights != Rights.SAME_RIGHTS && d.rights != h.rights()) {
                        made.add(Handle.create(h.object(), d.rights));
                        moved.add(h);
                    } else if (st == ZxStatus.OK) {
                        made.add(h);
                    } else {
                        moved.add(h);
                    }
                }
            } else if (d.operation == HANDLE_OP_DUPLICATE) {
                Handle h = null;
                try {
                    h = c.handles().handle(d.handle);
                } catch (ZxException e) {
                    // not found
                }
                st = h == null ? ZxStatus.ERR_BAD_HANDLE : check(h, d, self);
                if (st == ZxStatus.OK && !h.hasRights(Rights.DUPLICATE)) st = ZxStatus.ERR_ACCESS_DENIED;
                if (st == ZxStatus.OK) made.add(Handle.create(h.object(), d.rights == Rights.SAME_RIGHTS ? h.rights() : d.rights));
            } else {
                st = ZxStatus.ERR_INVALID_ARGS;
            }
            results[i] = st;
            if (error == ZxStatus.OK) error = st;
        }
        return error;
    }

    private static int check(Handle h, Disposition d, Channel self) {
        if (d.type != ObjectType.NONE.value() && d.type != h.object().type().value()) return ZxStatus.ERR_WRONG_TYPE;
        if (h.object() == self) return ZxStatus.ERR_NOT_SUPPORTED;
        if (!h.hasRights(Rights.TRANSFER)) return ZxStatus.ERR_ACCESS_DENIED;
        if (d.rights != Rights.SAME_RIGHTS && !Rights.has(h.rights(), d.rights)) return ZxStatus.ERR_ACCESS_DENIED;
        return ZxStatus.OK;
    }

    // ---- call ----

    /** Decoded {@code zx_channel_call_args_t}. */
    record CallArgs(long wrBytes, long wrHandles, long rdBytes, long rdHandles, long wrNumBytes, long wrNumHandles,
            long rdNumBytes, long rdNumHandles) {
        static CallArgs read(SyscallContext c, long ptr) {
            ByteBuffer b = ByteBuffer.wrap(readBytes(c, ptr, CALL_ARGS_SIZE)).order(ByteOrder.LITTLE_ENDIAN);
            return new CallArgs(b.getLong(0), b.getLong(8), b.getLong(16), b.getLong(24), b.getInt(32) & 0xffff_ffffL,
                    b.getInt(36) & 0xffff_ffffL, b.getInt(40) & 0xffff_ffffL, b.getInt(44) & 0xffff_ffffL);
        }
    }

    static long callNoretry(SyscallContext c, long handle, long options, long deadline, long argsPtr,
            long actualBytesPtr, long actualHandlesPtr) {
        CallArgs args = CallArgs.read(c, argsPtr);
        int[] values = args.wrNumHandles <= MessagePacket.MAX_HANDLES ? c.memory().readU32Array(args.wrHandles, args.wrNumHandles) : null;
        List<Handle> taken = new ArrayList<>();
        boolean tookHandles = false;
        Channel ch;
        Channel.Call call;
        try {
            if ((int) options != 0 || args.wrNumBytes < 4) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
            if (args.wrNumBytes > MessagePacket.MAX_BYTES || values == null) throw new ZxException(ZxStatus.ERR_OUT_OF_RANGE);
            ch = c.get(handle, Channel.class, Rights.READ | Rights.WRITE);
            byte[] data = readBytes(c, args.wrBytes, args.wrNumBytes);
            tookHandles = true;
            int error = takeHandles(c, values, ch, taken);
            if (error != ZxStatus.OK) throw new ZxException(error);
            MessagePacket m = new MessagePacket(data, taken);
            taken = List.of();
            call = ch.beginCall(m);
        } catch (ZxException e) {
            if (values != null && !tookHandles) takeHandles(c, values, null, taken);
            for (Handle h : taken) h.destroy();
            throw e;
        }
        try {
            return finish(c, ch, call, deadline, args, actualBytesPtr, actualHandlesPtr);
        } finally {
            // As the 2020 kernel: the exception is pending from the write and taken on the way out.
            if (call.peerOverLimit()) channelFull(c);
        }
    }

    /**
     * The write left the peer's queue over {@code kMaxPendingMessageCount}: as in the 2020 kernel
     * the message stays queued, the call succeeds, and the writing thread takes a
     * ZX_EXCP_POLICY_ERROR (no job policy decides this one) as it returns to user mode. Unhandled,
     * it kills the process.
     */
    static void channelFull(SyscallContext c) {
        Thread t = c.thread();
        if (t != null && t.isCurrent()) Exceptions.raise(t, ExceptionReport.synthetic(ExceptionType.POLICY_ERROR));
    }

    static long callFinish(SyscallContext c, long deadline, long argsPtr, long actualBytesPtr, long actualHandlesPtr) {
        CallArgs args = CallArgs.read(c, argsPtr);
        PendingCalls.Pending p = PendingCalls.of(c.kernel()).take(c.thread());
        if (p == null) throw new ZxException(ZxStatus.ERR_BAD_STATE);
        return finish(c, p.channel(), p.call(), deadline, args, actualBytesPtr, actualHandlesPtr);
    }

    private static long finish(SyscallContext c, Channel ch, Channel.Call call, long deadline, CallArgs args,
            long actualBytesPtr, long actualHandlesPtr) {
        MessagePacket reply;
        try {
            reply = ch.finishCall(call, deadline, c.blocker());
        } catch (ZxException e) {
            if (e.status() == ZxStatus.ERR_INTERNAL_INTR_RETRY && c.thread() != null) {
                PendingCalls.of(c.kernel()).put(c.thread(), new PendingCalls.Pending(ch, call));
            }
            throw e;
        }
        if (reply.dataSize() > args.rdNumBytes || reply.handleCount() > args.rdNumHandles) {
            reply.discard();
            c.memory().writeU32(actualBytesPtr, reply.dataSize());
            c.memory().writeU32(actualHandlesPtr, reply.handleCount());
            return ZxStatus.ERR_BUFFER_TOO_SMALL;
        }
        // The counts go out first: once the handles are in the table a failing copy would leak them.
        try {
            c.memory().writeU32(actualBytesPtr, reply.dataSize());
            c.memory().writeU32(actualHandlesPtr, reply.handleCount());
        } catch (ZxException e) {
            reply.discard(); // a reply is lost on a bad pointer, as in Zircon
            throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        }
        deliverToUser(c, reply, args.rdBytes, args.rdHandles, false, null);
        return ZxStatus.OK;
    }
}
