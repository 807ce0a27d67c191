package dev.zjvm.syscall.abi.gen;

import dev.zjvm.syscall.abi.SyscallAttribute;
import dev.zjvm.syscall.abi.SyscallDef;

/** C declarations of vDSO functions, spelled like Fuchsia's public headers. */
final class Prototypes {
    private Prototypes() {
    }

    /** {@code extern <attrs> <type> <symbol>(<params>);} */
    static String declaration(SyscallDef d, String symbol, String extraAttributes) {
        StringBuilder sb = new StringBuilder("extern ");
        if (!extraAttributes.isEmpty()) {
            sb.append(extraAttributes).append(' ');
        }
        if (d.isNoReturn()) {
            sb.append("__NO_RETURN ");
        }
        if (d.has(SyscallAttribute.CONST)) {
            sb.append("__CONST ");
        }
        return sb.append(d.prototype(symbol)).append(';').toString();
    }

    /** The public pair: {@code zx_foo} and {@code _zx_foo}. */
    static String publicPair(SyscallDef d) {
        return declaration(d, d.cName(), "") + "\n" + declaration(d, "_" + d.cName(), "") + "\n";
    }
}
