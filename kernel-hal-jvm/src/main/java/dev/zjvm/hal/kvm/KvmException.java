package dev.zjvm.hal.kvm;

/** A KVM request the host refused; {@link #errno()} is the host's reason (0 if none). */
public final class KvmException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    public KvmException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
