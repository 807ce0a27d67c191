package dev.zjvm.loader.zbi;

/** A ZBI or BOOTFS image is malformed or unsupported; the message names the image and the problem. */
public final class ZbiFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public ZbiFormatException(String source, String problem) {
        super(source + ": " + problem);
    }
}
