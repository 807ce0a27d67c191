package dev.zjvm.object.ipc;

/**
 * Where a read delivers its bytes (e.g. a copy to user memory). It runs under the object's lock
 * before anything is consumed, so if it throws, the read has no effect: a bad user pointer leaves
 * the data queued.
 */
@FunctionalInterface
public interface ByteSink {
    void accept(byte[] data, int length);
}
