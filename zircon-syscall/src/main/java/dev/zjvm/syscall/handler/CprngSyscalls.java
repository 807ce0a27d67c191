package dev.zjvm.syscall.handler;

import dev.zjvm.object.ZxException;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallFamily;
import dev.zjvm.syscall.dispatch.SyscallRegistry;
import java.security.SecureRandom;

/** cprng_draw_once (behind the vDSO's zx_cprng_draw) and cprng_add_entropy. */
public final class CprngSyscalls implements SyscallFamily {
    /** ZX_CPRNG_DRAW_MAX_LEN and ZX_CPRNG_ADD_ENTROPY_MAX_LEN. */
    static final int MAX_LEN = 256;

    @Override
    public void registerInto(SyscallRegistry r) {
        r.register("cprng_draw_once", (c, buf, len, a2, a3, a4, a5, a6, a7) -> draw(c, buf, len));
        r.register("cprng_add_entropy", (c, buf, len, a2, a3, a4, a5, a6, a7) -> addEntropy(c, buf, len));
    }

    /** The kernel's CPRNG: the host's SecureRandom, one per kernel. */
    static SecureRandom cprng(SyscallContext c) {
        return c.kernel().service(SecureRandom.class, k -> new SecureRandom());
    }

    static long draw(SyscallContext c, long buf, long len) {
        if (len < 0 || len > MAX_LEN) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        byte[] bytes = new byte[(int) len];
        cprng(c).nextBytes(bytes);
        c.memory().write(buf, bytes, 0, bytes.length);
        return ZxStatus.OK;
    }

    static long addEntropy(SyscallContext c, long buf, long len) {
        if (len < 0 || len > MAX_LEN) throw new ZxException(ZxStatus.ERR_INVALID_ARGS);
        cprng(c).setSeed(c.memory().readBytes(buf, len)); // SecureRandom mixes the seed in, never replaces its state
        return ZxStatus.OK;
    }
}
