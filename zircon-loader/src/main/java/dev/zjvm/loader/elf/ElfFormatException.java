package dev.zjvm.loader.elf;

/** An ELF image is malformed or unusable; the message names the file and the problem. */
public final class ElfFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public ElfFormatException(String source, String problem) {
        super(source + ": " + problem);
    }
}
