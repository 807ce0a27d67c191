package dev.zjvm.object.dev;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ObjectType;
import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * A resource: the capability to use a kind of privileged operation, optionally limited to a range
 * (MMIO addresses, IRQ numbers, I/O ports, SMC services). The root resource grants everything.
 */
public final class Resource extends KernelObject {
    private final ResourceKind kind;
    private final long base;
    private final long size;
    private final boolean exclusive;

    private Resource(Kernel kernel, ResourceKind kind, long base, long size, boolean exclusive, String name) {
        super(kernel);
        this.kind = kind;
        this.base = base;
        this.size = size;
        this.exclusive = exclusive;
        setName(name);
    }

    /** The kernel's root resource (kind ROOT, base 0, size 0, name "root"); one per kernel. */
    public static Resource root(Kernel kernel) {
        return kernel.service(RootHolder.class, k -> new RootHolder(new Resource(k, ResourceKind.ROOT, 0, 0, false, "root"))).root;
    }

    private record RootHolder(Resource root) {}

    /**
     * {@code zx_resource_create}: a child resource of {@code options}' kind carved from this one.
     *
     * @throws ZxException INVALID_ARGS for a bad kind/flags or ROOT/HYPERVISOR with a range,
     *     ACCESS_DENIED when this resource does not cover the request, NO_RESOURCES when an
     *     exclusive range is already taken
     */
    public Resource createChild(int options, long childBase, long childSize, String name) {
        ResourceKind childKind = ResourceKind.of(options & ResourceKind.KIND_MASK);
        int flags = options & ResourceKind.FLAGS_MASK;
        if (childKind == null || (flags & ~ResourceKind.FLAG_EXCLUSIVE) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        if ((childKind == ResourceKind.ROOT || childKind == ResourceKind.HYPERVISOR || childKind == ResourceKind.VMEX)
                && (childBase != 0 || childSize != 0)) {
            throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        }
        if (Long.compareUnsigned(childBase + childSize, childBase) < 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        if (kind != ResourceKind.ROOT) {
            if (kind != childKind) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED);
            if (kind.ranged() && !covers(childBase, childSize)) throw new ZxException(ZxStatus.ERR_ACCESS_DENIED);
        }
        boolean excl = (flags & ResourceKind.FLAG_EXCLUSIVE) != 0;
        Resource child = new Resource(kernel(), childKind, childBase, childSize, excl, name);
        if (childKind.ranged()) ranges(kernel()).claim(child);
        return child;
    }

    /** True if this resource grants {@code wanted} (ROOT grants every kind). */
    public boolean grants(ResourceKind wanted) {
        return kind == ResourceKind.ROOT || kind == wanted;
    }

    /** True if this resource grants {@code wanted} over the whole range. */
    public boolean grants(ResourceKind wanted, long rangeBase, long rangeSize) {
        if (kind == ResourceKind.ROOT) return true;
        return kind == wanted && (!kind.ranged() || covers(rangeBase, rangeSize));
    }

    private boolean covers(long b, long s) {
        // Unsigned: bases are physical addresses / port numbers.
        long end = b + s;
        return Long.compareUnsigned(b, base) >= 0 && Long.compareUnsigned(end, b) >= 0
                && Long.compareUnsigned(end, base + size) <= 0;
    }

    public ResourceKind kind() {
        return kind;
    }

    public long base() {
        return base;
    }

    public long size() {
        return size;
    }

    public boolean exclusive() {
        return exclusive;
    }

    @Override
    public ObjectType type() {
        return ObjectType.RESOURCE;
    }

    @Override
    protected void onZeroHandles() {
        if (kind.ranged()) ranges(kernel()).release(this);
    }

    private static RangeRegistry ranges(Kernel kernel) {
        return kernel.service(RangeRegistry.class, k -> new RangeRegistry());
    }

    /** Tracks ranged resources so an exclusive range cannot be shared. */
    static final class RangeRegistry {
        private final List<Resource> live = new ArrayList<>();

        synchronized void claim(Resource r) {
            for (Resource o : live) {
                boolean overlap = o.kind == r.kind && r.base < o.base + o.size && o.base < r.base + r.size;
                if (overlap && (o.exclusive || r.exclusive)) throw new ZxException(ZxStatus.ERR_NO_RESOURCES, "range in exclusive use");
            }
            live.add(r);
        }

        synchronized void release(Resource r) {
            live.remove(r);
        }
    }
}
