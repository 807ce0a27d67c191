package dev.zjvm.object;

import dev.zjvm.hal.mem.DetachedAddressSpace;
import dev.zjvm.hal.mem.GuestAddressSpace;
import dev.zjvm.hal.mem.HeapPhysicalMemory;
import dev.zjvm.hal.mem.PhysicalMemory;
import dev.zjvm.hal.time.MonotonicClock;
import dev.zjvm.hal.time.NanoTimeClock;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One kernel instance: everything global to a Zircon system lives here (koid counter, the HAL
 * services, the registry of live objects), so two kernels can share a JVM.
 */
public final class Kernel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Kernel.class);
    /** Koid of the kernel itself; user objects start above the reserved range. */
    public static final long KOID_KERNEL = 1;
    private static final long FIRST_USER_KOID = 1024;

    private final PhysicalMemory memory;
    private final MonotonicClock clock;
    private final LongFunction<GuestAddressSpace> addressSpaces;
    private final SplittableRandom random;
    private final AtomicLong nextKoid = new AtomicLong(FIRST_USER_KOID);
    private final ConcurrentHashMap<Long, ObjectRef> live = new ConcurrentHashMap<>();
    private final ReferenceQueue<KernelObject> reclaimed = new ReferenceQueue<>();
    private final ConcurrentHashMap<Class<?>, Object> services = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param memory        backing store for VMOs
     * @param clock         the monotonic clock shared with the vDSO
     * @param addressSpaces creates a process's guest address range of the given size
     * @param seed          seed of the kernel's random source (ASLR, koid-independent choices)
     */
    public Kernel(PhysicalMemory memory, MonotonicClock clock, LongFunction<GuestAddressSpace> addressSpaces, long seed) {
        this.memory = Objects.requireNonNull(memory);
        this.clock = Objects.requireNonNull(clock);
        this.addressSpaces = Objects.requireNonNull(addressSpaces);
        this.random = new SplittableRandom(seed);
    }

    /** A kernel with no native backing: heap memory, detached address spaces, System.nanoTime. */
    public static Kernel forTesting(long seed) {
        long[] next = {0x0000_0100_0000_0000L};
        return new Kernel(new HeapPhysicalMemory(), new NanoTimeClock(), size -> {
            synchronized (next) {
                long base = next[0];
                next[0] += (size + 0xffff_ffffL) & ~0xffff_ffffL;
                return new DetachedAddressSpace(base, size);
            }
        }, seed);
    }

    public PhysicalMemory memory() {
        return memory;
    }

    public MonotonicClock clock() {
        return clock;
    }

    /** Creates the guest address range for a new process. */
    public GuestAddressSpace newAddressSpace(long size) {
        return addressSpaces.apply(size);
    }

    /** Random bits for ASLR and similar choices; reproducible for a given seed and call order. */
    public long randomLong() {
        synchronized (random) {
            return random.nextLong();
        }
    }

    /**
     * The kernel-wide instance of a service (futex table, timer scheduler, debuglog buffer, root
     * resource...), created on first use. Keeps per-kernel state out of static fields and out of
     * this class. Services that are {@link AutoCloseable} are closed with the kernel.
     */
    public <T> T service(Class<T> key, Function<Kernel, T> factory) {
        if (closed) throw new IllegalStateException("kernel closed");
        return key.cast(services.computeIfAbsent(key, k -> factory.apply(this)));
    }

    /**
     * Installs a service that other modules provide (the loader's thread launcher, the VM code's
     * address-space factory) before the kernel is used.
     *
     * @throws IllegalStateException if a service is already registered under {@code key}
     */
    public <T> void installService(Class<T> key, T service) {
        if (closed) throw new IllegalStateException("kernel closed");
        if (services.putIfAbsent(key, Objects.requireNonNull(service)) != null) {
            throw new IllegalStateException("service already installed: " + key.getName());
        }
    }

    /** The service registered under {@code key}, or null; never creates one. */
    public <T> T findService(Class<T> key) {
        return key.cast(services.get(key));
    }

    /** Shuts down the kernel's services (timers, worker threads). Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (Object s : services.values()) {
            if (s instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.warn("closing kernel service {} failed", s, e);
                }
            }
        }
        services.clear();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Assigns a koid (never reused) and records the object as live. */
    long register(KernelObject object) {
        drainReclaimed();
        long koid = nextKoid.getAndIncrement();
        live.put(koid, new ObjectRef(object, koid, reclaimed));
        return koid;
    }

    /** Koids of objects that have not been reclaimed by the garbage collector yet. */
    public List<Long> liveKoids() {
        drainReclaimed();
        List<Long> out = new ArrayList<>();
        live.forEach((koid, ref) -> {
            if (ref.get() != null) out.add(koid);
        });
        out.sort(null);
        return out;
    }

    /** The live object with this koid, or null. */
    public KernelObject lookup(long koid) {
        ObjectRef ref = live.get(koid);
        return ref == null ? null : ref.get();
    }

    private void drainReclaimed() {
        for (ObjectRef r; (r = (ObjectRef) reclaimed.poll()) != null; ) live.remove(r.koid, r);
    }

    private static final class ObjectRef extends WeakReference<KernelObject> {
        final long koid;

        ObjectRef(KernelObject referent, long koid, ReferenceQueue<KernelObject> q) {
            super(referent, q);
            this.koid = koid;
        }
    }
}
