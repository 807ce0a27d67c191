package dev.zjvm.syscall.abi;

import java.util.Map;

/** Sizes, alignments and signedness of the C base types of the x86-64 (LP64) ABI. */
final class CTypes {
    /** A base type: byte size (= alignment) and signedness. */
    record Base(int size, boolean signed) {
    }

    static final int POINTER_SIZE = 8;

    private static final Map<String, Base> BASE = Map.ofEntries(
            Map.entry("char", new Base(1, true)),
            Map.entry("bool", new Base(1, false)),
            Map.entry("int8_t", new Base(1, true)),
            Map.entry("uint8_t", new Base(1, false)),
            Map.entry("int16_t", new Base(2, true)),
            Map.entry("uint16_t", new Base(2, false)),
            Map.entry("int", new Base(4, true)),
            Map.entry("int32_t", new Base(4, true)),
            Map.entry("uint32_t", new Base(4, false)),
            Map.entry("int64_t", new Base(8, true)),
            Map.entry("uint64_t", new Base(8, false)),
            Map.entry("size_t", new Base(8, false)),
            Map.entry("uintptr_t", new Base(8, false)),
            Map.entry("intptr_t", new Base(8, true)),
            Map.entry("void", new Base(0, false)));

    private CTypes() {
    }

    static Base base(String name) {
        return BASE.get(name);
    }

    static boolean isPointer(String cType) {
        return cType.endsWith("*");
    }
}
