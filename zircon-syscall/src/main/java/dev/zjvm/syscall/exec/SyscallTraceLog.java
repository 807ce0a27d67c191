package dev.zjvm.syscall.exec;

import dev.zjvm.object.ZxStatus;
import dev.zjvm.syscall.abi.Param;
import dev.zjvm.syscall.abi.SyscallDef;
import dev.zjvm.syscall.abi.SyscallTable;
import dev.zjvm.syscall.dispatch.SyscallContext;
import dev.zjvm.syscall.dispatch.SyscallTracer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code --trace} listener: one line per syscall on the {@code dev.zjvm.trace} logger, with
 * the arguments named and typed as the ABI table declares them and the status decoded, e.g.
 * {@code userboot[1027] channel_read(handle=0x3f0b, options=0, bytes=0x7f..., ...) -> ZX_OK}.
 */
public final class SyscallTraceLog implements SyscallTracer {
    private static final Logger LOG = LoggerFactory.getLogger("dev.zjvm.trace");

    private final SyscallTable table;

    public SyscallTraceLog(SyscallTable table) {
        this.table = table;
    }

    public static SyscallTraceLog standard() {
        return new SyscallTraceLog(SyscallTable.standard());
    }

    @Override
    public void onSyscall(SyscallContext ctx, int number, String name, long a0, long a1, long a2, long a3, long a4,
            long a5, long a6, long a7, long result) {
        if (!LOG.isTraceEnabled()) return;
        LOG.trace(format(ctx.process().name() + "[" + ctx.process().koid() + "]", number, new long[] {a0, a1, a2, a3, a4, a5, a6, a7}, result));
    }

    /** The trace line for one call. */
    public String format(String caller, int number, long[] args, long result) {
        SyscallDef def = table.byNumber(number).orElse(null);
        StringBuilder b = new StringBuilder(caller).append(' ');
        if (def == null) {
            b.append("syscall#").append(number).append("(?)");
        } else {
            b.append(def.name()).append('(');
            List<Param> params = def.params();
            for (int i = 0; i < params.size() && i < args.length; i++) {
                if (i > 0) b.append(", ");
                Param p = params.get(i);
                b.append(p.name()).append('=').append(value(p, args[i]));
            }
            b.append(')');
        }
        b.append(" -> ");
        b.append(def != null && !"zx_status_t".equals(def.returnType()) ? Long.toString(result) : ZxStatus.name((int) result));
        return b.toString();
    }

    /** 32-bit bit patterns shown in hex. */
    private static final java.util.Set<String> HEX32 = java.util.Set.of("zx_handle_t", "zx_rights_t", "zx_signals_t");

    private static String value(Param p, long v) {
        String type = p.cType();
        if (HEX32.contains(type)) return "0x" + Long.toHexString(v & 0xffff_ffffL);
        if (type.endsWith("*") || type.contains("vaddr")) return "0x" + Long.toHexString(v);
        if (type.equals("zx_time_t") && v == Long.MAX_VALUE) return "INFINITE";
        if (type.startsWith("uint32_t") || type.startsWith("int32_t") || type.equals("zx_status_t")) return Integer.toString((int) v);
        return Long.toString(v);
    }
}
