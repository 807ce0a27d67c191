package dev.zjvm.syscall.handler;

import dev.zjvm.object.KernelObject;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.syscall.dispatch.Support;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@code zx_object_get_info}: routes a topic to the class that knows it (handle topics here, task
 * topics in {@link TaskInfo}); a topic nobody serves is NOT_SUPPORTED. Object families add their
 * topics with one line in {@link #reply}.
 */
public final class InfoSyscalls implements SyscallFamily {
    static final int HANDLE_VALID = 1;
    static final int HANDLE_BASIC = 2;
    static final int HANDLE_COUNT = 19;
    /** {@code ZX_OBJ_PROP_WAITABLE}. */
    static final int PROP_WAITABLE = 1;

    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("object_get_info",
                Support.partial("topics served: HANDLE_VALID/BASIC/COUNT and the task topics (PROCESS, "
                        + "PROCESS_THREADS, JOB_CHILDREN, JOB_PROCESSES, THREAD, THREAD_EXCEPTION_REPORT, "
                        + "PROCESS_HANDLE_STATS, JOB); others NOT_SUPPORTED"),
                (c, h, topic, buf, size, actual, avail, a6, a7) -> getInfo(c, h, topic, buf, size, actual, avail));
    }

    static long getInfo(SyscallContext c, long handle, long topicArg, long buffer, long size, long actual, long avail) {
        InfoReply reply = reply(c, handle, (int) topicArg);
        if (reply == null) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
        return reply.copyOut(c, buffer, size, actual, avail);
    }

    private static InfoReply reply(SyscallContext c, long handle, int topic) {
        return switch (topic) {
            case HANDLE_VALID -> {
                c.handles().handle((int) handle);
                yield InfoReply.none();
            }
            case HANDLE_BASIC -> handleBasic(c.handles().handle((int) handle));
            case HANDLE_COUNT -> {
                KernelObject o = c.get(handle, KernelObject.class, Rights.INSPECT);
                yield InfoReply.single(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
                        .putInt(o.handleCount()).array());
            }
            default -> TaskInfo.reply(c, handle, topic);
        };
    }

    /** {@code zx_info_handle_basic_t}: koid, rights, type, related_koid, props. */
    static InfoReply handleBasic(Handle h) {
        KernelObject o = h.object();
        ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(o.koid()).putInt(h.rights()).putInt(o.type().value()).putLong(o.relatedKoid())
                .putInt(o.type().waitable() ? PROP_WAITABLE : 0);
        return InfoReply.single(b.array());
    }
}
