package dev.zjvm.syscall.handler;

import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.exception.ExceptionObject;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.handle.HandleTable;
import dev.zjvm.object.task.Job;
import dev.zjvm.object.task.Process;
import dev.zjvm.object.task.Thread;
import dev.zjvm.object.vm.Vmo;
import dev.zjvm.syscall.dispatch.Support;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;
import dev.zjvm.syscall.user.UserMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * object_get_info, object_get_property, object_set_property (constants.md §12-13). Topics and
 * properties of objects owned elsewhere (sockets, timers, VMARs, exceptions...) go into the
 * switches below as those objects gain the needed accessors.
 */
public final class ObjectInfoSyscalls implements SyscallFamily {
    // Topics (constants.md §12).
    static final int INFO_HANDLE_VALID = 1;
    static final int INFO_HANDLE_BASIC = 2;
    static final int INFO_PROCESS = 3;
    static final int INFO_PROCESS_THREADS = 4;
    static final int INFO_JOB_CHILDREN = 8;
    static final int INFO_JOB_PROCESSES = 9;
    static final int INFO_THREAD = 10;
    static final int INFO_HANDLE_COUNT = 19;
    static final int INFO_PROCESS_HANDLE_STATS = 21;
    static final int INFO_JOB = 24;
    // Properties (constants.md §13).
    static final int PROP_REGISTER_GS = 2;
    static final int PROP_NAME = 3;
    static final int PROP_REGISTER_FS = 4;
    static final int PROP_PROCESS_DEBUG_ADDR = 5;
    static final int PROP_PROCESS_VDSO_BASE_ADDRESS = 6;
    static final int PROP_PROCESS_BREAK_ON_LOAD = 7;
    static final int PROP_PROCESS_HW_TRACE_CONTEXT_ID = 8;
    static final int PROP_SOCKET_RX_THRESHOLD = 12;
    static final int PROP_SOCKET_TX_THRESHOLD = 13;
    static final int PROP_JOB_KILL_ON_OOM = 15;
    static final int PROP_EXCEPTION_STATE = 16;
    static final int PROP_VMO_CONTENT_SIZE = 17;

    /** First non-user address on x86-64 (user addresses are canonical lower-half). */
    static final long USER_ADDRESS_LIMIT = 1L << 47;

    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("object_get_info",
                (c, h, topic, buf, size, actual, avail, a6, a7) -> getInfo(c, h, (int) topic, buf, size, actual, avail));
        r.register("object_get_property", (c, h, prop, value, size, a4, a5, a6, a7) -> getProperty(c, h, (int) prop, value, size));
        r.register("object_set_property", (c, h, prop, value, size, a4, a5, a6, a7) -> setProperty(c, h, (int) prop, value, size));
    }

    // ---- get_info ----

    static long getInfo(SyscallContext c, long handle, int topic, long buffer, long bufferSize, long actual,
            long avail) {
        int v = (int) handle;
        switch (topic) {
            case INFO_HANDLE_VALID -> {
                c.handles().handle(v);
                return ZxStatus.OK;
            }
            case INFO_HANDLE_BASIC -> {
                Handle h = c.handles().handle(v);
                KernelObject o = h.object();
                ByteBuffer b = record(32);
                b.putLong(0, o.koid()).putInt(8, h.rights()).putInt(12, o.type().value())
                        .putLong(16, o.relatedKoid()).putInt(24, o.type().waitable() ? 1 : 0);
                return single(c, b, buffer, bufferSize, actual, avail);
            }
            case INFO_HANDLE_COUNT -> {
                KernelObject o = c.get(handle, KernelObject.class, Rights.INSPECT);
                ByteBuffer b = record(4);
                b.putInt(0, o.handleCount());
                return single(c, b, buffer, bufferSize, actual, avail);
            }
            default -> {
                // Task topics (PROCESS, THREAD, JOB, their lists, exception report, handle stats),
                // then the VM ones (VMAR, VMO, PROCESS_MAPS, PROCESS_VMOS, TASK_STATS, STREAM,
                // KMEM_STATS), IPC (SOCKET, TIMER), devices (RESOURCE, BTI), HANDLE_TABLE.
                InfoReply reply = TaskInfo.reply(c, handle, topic);
                if (reply == null) reply = VmInfo.reply(c, handle, topic);
                if (reply == null) reply = IpcInfo.reply(c, handle, topic);
                if (reply == null) reply = DevInfo.reply(c, handle, topic);
                if (reply == null) reply = GuestInfo.reply(c, handle, topic);
                if (reply == null && topic == INFO_HANDLE_TABLE) reply = handleTable(c, handle);
                if (reply == null) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
                return reply.copyOut(c, buffer, bufferSize, actual, avail);
            }
        }
    }

    /** ZX_INFO_HANDLE_TABLE: one {@code zx_info_handle_extended_t} (40 bytes) per handle of the process. */
    static final int INFO_HANDLE_TABLE = 27;

    private static InfoReply handleTable(SyscallContext c, long handle) {
        Process p = c.get(handle, Process.class, Rights.INSPECT | Rights.MANAGE_PROCESS | Rights.MANAGE_THREAD);
        java.util.List<HandleTable.Entry> entries = p.handleTable().entries();
        ByteBuffer b = record(40 * entries.size());
        int at = 0;
        for (HandleTable.Entry e : entries) {
            Handle h = e.handle();
            KernelObject o = h.object();
            int value = e.value();
            long peerOwner = 0; // owners of peers are not tracked across processes
            b.putInt(at, o.type().value()).putInt(at + 4, value).putInt(at + 8, h.rights())
                    .putInt(at + 12, o.type().waitable() ? 1 : 0).putLong(at + 16, o.koid())
                    .putLong(at + 24, o.relatedKoid()).putLong(at + 32, peerOwner);
            at += 40;
        }
        return InfoReply.array(b.array(), 40);
    }

    private static ByteBuffer record(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Single-record topics: BUFFER_TOO_SMALL (actual=0, avail=1) if the buffer is short. */
    private static long single(SyscallContext c, ByteBuffer record, long buffer, long bufferSize, long actual,
            long avail) {
        int size = record.capacity();
        if (Long.compareUnsigned(bufferSize, size) < 0) {
            writeCounts(c, actual, 0, avail, 1);
            return ZxStatus.ERR_BUFFER_TOO_SMALL;
        }
        c.memory().write(buffer, record.array(), 0, size);
        writeCounts(c, actual, 1, avail, 1);
        return ZxStatus.OK;
    }

    /** {@code actual}/{@code avail} are size_t outputs that may be NULL. */
    private static void writeCounts(SyscallContext c, long actual, long actualValue, long avail, long availValue) {
        if (actual != 0) c.memory().writeU64(actual, actualValue);
        if (avail != 0) c.memory().writeU64(avail, availValue);
    }

    // ---- properties ----

    /**
     * Where the vDSO's code is mapped: the VM records it when the vDSO VMO is mapped executable;
     * a process without a VM address space reports what was set on the object.
     */
    private static long vdsoBase(Process p) {
        dev.zjvm.object.vm.VmAddressSpace as = dev.zjvm.object.vm.VmAddressSpace.of(p);
        long mapped = as == null ? 0 : as.vdsoBase();
        return mapped != 0 ? mapped : p.vdsoBase();
    }

    private static boolean isNamed(ObjectType t) {
        return t == ObjectType.JOB || t == ObjectType.PROCESS || t == ObjectType.THREAD || t == ObjectType.VMO
                || t == ObjectType.RESOURCE;
    }

    static long getProperty(SyscallContext c, long handle, int property, long value, long size) {
        if (value == 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        KernelObject o = c.get(handle, KernelObject.class, Rights.GET_PROPERTY);
        switch (property) {
            case PROP_NAME -> {
                requireSize(size, KernelObject.MAX_NAME_LEN);
                byte[] out = new byte[KernelObject.MAX_NAME_LEN];
                if (isNamed(o.type())) {
                    byte[] name = o.nameBytes();
                    System.arraycopy(name, 0, out, 0, name.length);
                }
                c.memory().writeBytes(value, out);
            }
            case PROP_PROCESS_DEBUG_ADDR -> putU64(c, value, size, as(o, Process.class).debugAddress());
            case PROP_PROCESS_VDSO_BASE_ADDRESS -> putU64(c, value, size, vdsoBase(as(o, Process.class)));
            case PROP_PROCESS_BREAK_ON_LOAD -> putU64(c, value, size, as(o, Process.class).breakOnLoad());
            case PROP_PROCESS_HW_TRACE_CONTEXT_ID -> {
                as(o, Process.class);
                throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED); // debugging syscalls are not enabled
            }
            case PROP_VMO_CONTENT_SIZE -> putU64(c, value, size, as(o, Vmo.class).contentSize());
            case PROP_SOCKET_RX_THRESHOLD, PROP_SOCKET_TX_THRESHOLD ->
                    IpcInfo.getThreshold(c, o, property == PROP_SOCKET_RX_THRESHOLD, value, size);
            case PROP_EXCEPTION_STATE -> {
                ExceptionObject e = as(o, ExceptionObject.class);
                requireSize(size, 4);
                c.memory().writeU32(value, e.state());
            }
            case PROP_REGISTER_FS, PROP_REGISTER_GS, PROP_JOB_KILL_ON_OOM -> throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
            default -> throw new ZxException(ZxStatus.ERR_INVALID_ARGS); // 2020-03 code, not the docs' NOT_SUPPORTED
        }
        return ZxStatus.OK;
    }

    static long setProperty(SyscallContext c, long handle, int property, long value, long size) {
        if (value == 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        KernelObject o = c.get(handle, KernelObject.class, Rights.SET_PROPERTY);
        switch (property) {
            case PROP_NAME -> {
                if (!isNamed(o.type())) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
                long n = Long.compareUnsigned(size, KernelObject.MAX_NAME_LEN - 1) > 0 ? KernelObject.MAX_NAME_LEN - 1 : size;
                o.setName(c.memory().readBytes(value, n));
            }
            case PROP_PROCESS_DEBUG_ADDR -> {
                Process p = as(o, Process.class);
                p.setDebugAddress(getU64(c, value, size));
            }
            case PROP_PROCESS_BREAK_ON_LOAD -> {
                Process p = as(o, Process.class);
                p.setBreakOnLoad(getU64(c, value, size));
            }
            case PROP_REGISTER_FS, PROP_REGISTER_GS -> {
                Thread t = as(o, Thread.class);
                if (t != c.thread()) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED);
                long base = getU64(c, value, size);
                if (Long.compareUnsigned(base, USER_ADDRESS_LIMIT) >= 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
                t.setOwnSegmentBase(property == PROP_REGISTER_FS, base);
            }
            case PROP_JOB_KILL_ON_OOM -> {
                Job j = as(o, Job.class);
                long flag = getU64(c, value, size);
                if (flag != 0 && flag != 1) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
                j.setKillOnOom(flag == 1);
            }
            case PROP_SOCKET_RX_THRESHOLD, PROP_SOCKET_TX_THRESHOLD ->
                    IpcInfo.setThreshold(c, o, property == PROP_SOCKET_RX_THRESHOLD, value, size);
            case PROP_EXCEPTION_STATE -> {
                ExceptionObject e = as(o, ExceptionObject.class);
                requireSize(size, 4);
                e.setState(c.memory().readU32(value)); // INVALID_ARGS unless TRY_NEXT or HANDLED
            }
            default -> throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        }
        return ZxStatus.OK;
    }

    private static <T> T as(KernelObject o, Class<T> type) {
        if (!type.isInstance(o)) throw new ZxException(ZxStatus.ERR_WRONG_TYPE);
        return type.cast(o);
    }

    private static void requireSize(long size, int needed) {
        if (Long.compareUnsigned(size, needed) < 0) throw new ZxException(ZxStatus.ERR_BUFFER_TOO_SMALL);
    }

    private static void putU64(SyscallContext c, long value, long size, long v) {
        requireSize(size, 8);
        c.memory().writeU64(value, v);
    }

    private static long getU64(SyscallContext c, long value, long size) {
        requireSize(size, 8);
        return c.memory().readU64(value);
    }
}
