package dev.zjvm.syscall.abi;

/** A definition file is malformed or inconsistent; the message names the source and line. */
public final class AbiDefinitionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AbiDefinitionException(String source, int line, String message) {
        super(source + ":" + line + ": " + message);
    }

    public AbiDefinitionException(String message) {
        super(message);
    }
}
