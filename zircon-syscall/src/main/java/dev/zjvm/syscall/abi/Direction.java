package dev.zjvm.syscall.abi;

/** Which way data flows through a syscall parameter (for scalars always {@link #IN}). */
public enum Direction {
    IN, OUT, INOUT;

    static Direction parse(String word) {
        return switch (word) {
            case "in" -> IN;
            case "out" -> OUT;
            case "inout" -> INOUT;
            default -> throw new IllegalArgumentException("unknown direction '" + word + "' (in|out|inout)");
        };
    }

    /** True when the kernel reads the pointee (or the value itself). */
    public boolean kernelReads() {
        return this != OUT;
    }

    /** True when the kernel writes through the pointer. */
    public boolean kernelWrites() {
        return this != IN;
    }
}
