package dev.zjvm.loader.zbi;

/**
 * One BOOTFS directory entry.
 *
 * @param name       path without leading '/', e.g. "bin/bootsvc"
 * @param dataOffset offset of the file data from the start of the BOOTFS image (page-aligned)
 * @param dataLength exact file size in bytes
 */
public record BootfsEntry(String name, int dataOffset, int dataLength) {
}
