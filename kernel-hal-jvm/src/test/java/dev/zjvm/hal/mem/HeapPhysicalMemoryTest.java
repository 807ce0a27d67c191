package dev.zjvm.hal.mem;

/** The shared contract against the pure-Java store. */
final class HeapPhysicalMemoryTest extends PhysicalMemoryContractTest {
    @Override
    PhysicalMemory newMemory(long limitBytes) {
        return new HeapPhysicalMemory(limitBytes);
    }
}
