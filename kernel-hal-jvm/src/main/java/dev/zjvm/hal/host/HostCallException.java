package dev.zjvm.hal.host;

/** A host system call that failed, with the errno Linux gave (see {@link HostSyscall#check}). */
public final class HostCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** The Linux errno value. */
    public final int errno;

    public HostCallException(String call, int errno) {
        super(call + " failed: errno " + errno);
        this.errno = errno;
    }
}
