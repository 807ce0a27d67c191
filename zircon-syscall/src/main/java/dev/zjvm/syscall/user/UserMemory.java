package dev.zjvm.syscall.user;

import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Checked access to one process's user memory, as syscall handlers use it (Zircon's
 * {@code user_ptr}). Any byte that is unmapped or lacks the needed permission makes the whole
 * access fail with {@code ZxException(INVALID_ARGS)} (syscalls.md: bad user pointers give
 * INVALID_ARGS, not a fault); a failed write may have written a prefix, as in Zircon.
 *
 * <p>Alignment is not required by the copy itself; calls whose spec demands alignment (futexes)
 * check it with {@link #requireAligned}. Zero-length copies succeed for any pointer. Optional ("may be NULL") outputs are the handler's
 * business: it skips the write when the pointer is 0. Address 0 is never mapped.
 *
 * <p>Implementations: the VM code over the process's VMAR; {@link HeapUserMemory} for tests.
 * Only {@link #read} and {@link #write} are required; the rest are conveniences (little-endian)
 * an implementation may override for speed.
 */
public interface UserMemory {
    /** Copies {@code len} bytes at guest {@code vaddr} into {@code dst[off..]}. */
    void read(long vaddr, byte[] dst, int off, int len);

    /** Copies {@code src[off..off+len)} to guest {@code vaddr}. */
    void write(long vaddr, byte[] src, int off, int len);

    VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Largest single copy a handler may ask for (guards against int overflow and huge allocations). */
    long MAX_COPY = 64L << 20;

    default byte[] readBytes(long vaddr, long len) {
        checkLength(len);
        byte[] b = new byte[(int) len];
        read(vaddr, b, 0, b.length);
        return b;
    }

    default void writeBytes(long vaddr, byte[] src) {
        write(vaddr, src, 0, src.length);
    }

    default int readU32(long vaddr) {
        byte[] b = new byte[4];
        read(vaddr, b, 0, 4);
        return (int) I32.get(b, 0);
    }

    default long readU64(long vaddr) {
        byte[] b = new byte[8];
        read(vaddr, b, 0, 8);
        return (long) I64.get(b, 0);
    }

    default void writeU32(long vaddr, int value) {
        byte[] b = new byte[4];
        I32.set(b, 0, value);
        write(vaddr, b, 0, 4);
    }

    default void writeU64(long vaddr, long value) {
        byte[] b = new byte[8];
        I64.set(b, 0, value);
        write(vaddr, b, 0, 8);
    }

    /** Reads {@code count} u32 values (e.g. a handle array). */
    default int[] readU32Array(long vaddr, long count) {
        checkLength(count * 4);
        byte[] b = readBytes(vaddr, count * 4);
        int[] out = new int[(int) count];
        for (int i = 0; i < out.length; i++) out[i] = (int) I32.get(b, i * 4);
        return out;
    }

    default void writeU32Array(long vaddr, int[] values, int off, int count) {
        byte[] b = new byte[count * 4];
        for (int i = 0; i < count; i++) I32.set(b, i * 4, values[off + i]);
        write(vaddr, b, 0, b.length);
    }

    /** INVALID_ARGS unless {@code 0 <= len <= MAX_COPY}. */
    static void checkLength(long len) {
        if (len < 0 || len > MAX_COPY) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
    }

    /** INVALID_ARGS unless {@code vaddr} is a multiple of {@code alignment} (a power of two). */
    static void requireAligned(long vaddr, int alignment) {
        if ((vaddr & (alignment - 1)) != 0) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
    }

    /**
     * INVALID_ARGS unless {@code [vaddr, vaddr+len)} is non-null and does not wrap around. Empty
     * ranges are always fine (a zero-length copy never touches memory, whatever the pointer).
     */
    static void checkRange(long vaddr, long len) {
        if (len == 0) return;
        if (vaddr == 0 || len < 0 || Long.compareUnsigned(vaddr + len - 1, vaddr) < 0) {
            throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        }
    }
}
