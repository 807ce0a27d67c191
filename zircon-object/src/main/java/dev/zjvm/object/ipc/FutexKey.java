package dev.zjvm.object.ipc;

import java.util.Objects;

/**
 * Names one futex: a user address within one address space (futexes of different processes never
 * meet even at equal addresses). {@code space} is compared by identity.
 */
public record FutexKey(Object space, long address) {
    public FutexKey {
        Objects.requireNonNull(space);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FutexKey k && k.space == space && k.address == address;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(space) * 31 + Long.hashCode(address);
    }
}
