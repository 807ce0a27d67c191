package dev.zjvm.object.exception;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.Rights;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.ipc.Channel;
import dev.zjvm.object.ipc.MessagePacket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * One exception channel slot of a task (normal or debugger). While bound, the kernel holds one
 * endpoint of a channel and user code the other; the binding ends when user code closes its end
 * or the task dies ({@link #shutdown}: the user end then reads PEER_CLOSED).
 */
public final class Exceptionate {
    /** Rights of the user endpoint returned by {@code zx_task_create_exception_channel}. */
    public static final int CHANNEL_RIGHTS = Rights.TRANSFER | Rights.WAIT | Rights.READ;
    /** {@code sizeof(zx_exception_info_t)}. */
    public static final int INFO_SIZE = 24;

    private final int channelType;
    private Handle kernelEnd; // guarded by this
    private int threadRights; // guarded by this
    private int processRights; // guarded by this
    private boolean shutdown; // guarded by this

    public Exceptionate(int channelType) {
        this.channelType = channelType;
    }

    /** {@link ChannelType} of this slot. */
    public int channelType() {
        return channelType;
    }

    /**
     * Creates the channel.
     *
     * @param threadRights  rights of handles that {@code zx_exception_get_thread} returns
     * @param processRights rights for {@code zx_exception_get_process}; 0 = ACCESS_DENIED there
     * @return the user endpoint (rights {@link #CHANNEL_RIGHTS})
     * @throws ZxException BAD_STATE if the task is dead, ALREADY_BOUND if a channel is still bound
     */
    public Handle bind(Kernel kernel, int threadRights, int processRights) {
        Handle stale;
        Handle user;
        synchronized (this) {
            if (shutdown) throw new ZxException(ZxStatus.ERR_BAD_STATE);
            if (boundLocked()) throw new ZxException(ZxStatus.ERR_ALREADY_BOUND);
            stale = kernelEnd;
            Channel.Pair pair = Channel.create(kernel);
            kernelEnd = Handle.createDefault(pair.end0());
            user = Handle.create(pair.end1(), CHANNEL_RIGHTS);
            this.threadRights = threadRights;
            this.processRights = processRights;
        }
        if (stale != null) stale.destroy();
        return user;
    }

    /** True while user code holds the other end of a channel. */
    public synchronized boolean isBound() {
        return boundLocked();
    }

    private boolean boundLocked() {
        if (kernelEnd == null) return false;
        try {
            kernelEnd.object().peer();
            return true;
        } catch (ZxException e) {
            return false; // user end closed
        }
    }

    /**
     * Sends {@code exception} (one message: zx_exception_info_t plus a new exception handle).
     * The exception is armed with this channel's rights before the handle exists.
     *
     * @return false if no channel is bound (nothing was sent)
     */
    boolean send(ExceptionObject exception) {
        Channel end;
        int tr;
        int pr;
        synchronized (this) {
            if (!boundLocked()) return false;
            end = (Channel) kernelEnd.object();
            tr = threadRights;
            pr = processRights;
        }
        exception.setTaskRights(tr, pr);
        byte[] info = ByteBuffer.allocate(INFO_SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(exception.thread().process().koid()).putLong(exception.thread().koid())
                .putInt(exception.exceptionType()).array();
        try {
            end.write(new MessagePacket(info, List.of(Handle.create(exception, ExceptionObject.RIGHTS))));
            return true;
        } catch (ZxException e) {
            return false; // the user end went away meanwhile; the message's handle is destroyed
        }
    }

    /** The task died: closes the kernel end and refuses new bindings. Idempotent. */
    public void shutdown() {
        Handle k;
        synchronized (this) {
            shutdown = true;
            k = kernelEnd;
            kernelEnd = null;
        }
        if (k != null) k.destroy();
    }
}
