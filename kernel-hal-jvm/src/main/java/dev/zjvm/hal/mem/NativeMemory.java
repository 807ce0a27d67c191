package dev.zjvm.hal.mem;

/**
 * The native memory of one kernel: the memfd physical memory and the guest address reservation,
 * created together at boot and closed together. Two kernels in one JVM each create their own.
 */
public final class NativeMemory implements AutoCloseable {
    private final MemfdPhysicalMemory physicalMemory;
    private final GuestAddressReservation reservation;

    private NativeMemory(MemfdPhysicalMemory physicalMemory, GuestAddressReservation reservation) {
        this.physicalMemory = physicalMemory;
        this.reservation = reservation;
    }

    /** Default physical space ({@link MemfdPhysicalMemory#DEFAULT_SPACE_BYTES}), no commit limit, host mapping budget. */
    public static NativeMemory create(long reservationBytes) {
        return create(reservationBytes, MemfdPhysicalMemory.DEFAULT_SPACE_BYTES, Long.MAX_VALUE);
    }

    /**
     * @param reservationBytes guest address range shared by all processes
     * @param physicalSpaceBytes total capacity of live VMO extents (virtual, costs no memory)
     * @param commitLimitBytes bound on pages the kernel commits (guest first touches are not bounded)
     * @throws MemoryLimitException if the host refuses the memfd, the physmap or the reservation
     */
    public static NativeMemory create(long reservationBytes, long physicalSpaceBytes, long commitLimitBytes) {
        // The physmap first, so the mapping budget is computed with it already in place.
        MemfdPhysicalMemory physical = MemfdPhysicalMemory.create(physicalSpaceBytes, commitLimitBytes);
        try {
            return new NativeMemory(physical, GuestAddressReservation.create(reservationBytes));
        } catch (RuntimeException e) {
            physical.close();
            throw e;
        }
    }

    public MemfdPhysicalMemory physicalMemory() {
        return physicalMemory;
    }

    public GuestAddressReservation reservation() {
        return reservation;
    }

    /** Shorthand for {@code reservation().carve(size)}: a new process's root VMAR. */
    public NativeAddressSpace newAddressSpace(long size) {
        return reservation.carve(size);
    }

    public HostLimits hostLimits() {
        return reservation.hostLimits();
    }

    /** Unmaps all guest address spaces, then releases physical memory. */
    @Override
    public void close() {
        try {
            reservation.close();
        } finally {
            physicalMemory.close();
        }
    }
}
