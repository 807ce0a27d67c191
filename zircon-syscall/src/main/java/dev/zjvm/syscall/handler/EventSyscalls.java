package dev.zjvm.syscall.handler;

import dev.zjvm.object.task.JobPolicy;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.ipc.Event;
import dev.zjvm.object.ipc.EventPair;
import dev.zjvm.syscall.dispatch.Support;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;

/** event_create, eventpair_create. */
public final class EventSyscalls implements SyscallFamily {

    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("event_create", (c, options, out, a2, a3, a4, a5, a6, a7) -> eventCreate(c, options, out));
        r.register("eventpair_create", (c, options, out0, out1, a3, a4, a5, a6, a7) ->
                eventPairCreate(c, options, out0, out1));
    }

    static long eventCreate(SyscallContext c, long options, long out) {
        c.process().enforcePolicy(JobPolicy.NEW_EVENT, c.thread());
        if ((int) options != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        c.installHandle(out, Handle.createDefault(new Event(c.kernel())));
        return ZxStatus.OK;
    }

    static long eventPairCreate(SyscallContext c, long options, long out0, long out1) {
        c.process().enforcePolicy(JobPolicy.NEW_EVENTPAIR, c.thread());
        if ((int) options != 0) throw new ZxException(ZxStatus.ERR_NOT_SUPPORTED);
        EventPair[] pair = EventPair.create(c.kernel());
        Handle h1 = Handle.createDefault(pair[1]);
        int v0;
        try {
            v0 = c.installHandle(out0, Handle.createDefault(pair[0]));
        } catch (ZxException e) {
            h1.destroy();
            throw e;
        }
        try {
            c.installHandle(out1, h1);
        } catch (ZxException e) {
            HandleSyscalls.close(c, v0);
            throw e;
        }
        return ZxStatus.OK;
    }
}
