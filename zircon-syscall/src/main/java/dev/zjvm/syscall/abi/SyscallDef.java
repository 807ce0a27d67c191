package dev.zjvm.syscall.abi;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One entry of syscalls.def.
 *
 * @param name       name without the {@code zx_} prefix, e.g. {@code channel_write}
 * @param number     kernel entry number (zCore libos numbering), empty for vDSO-only functions
 * @param family     fidl family (file) the entry belongs to, e.g. {@code channel}
 * @param returnType C return type
 * @param params     parameters in call order
 * @param attributes attributes
 * @param line       line in syscalls.def (for messages)
 */
public record SyscallDef(String name, OptionalInt number, String family, String returnType,
                         List<Param> params, Set<SyscallAttribute> attributes, int line) {

    public SyscallDef {
        Objects.requireNonNull(name);
        Objects.requireNonNull(number);
        Objects.requireNonNull(family);
        Objects.requireNonNull(returnType);
        params = List.copyOf(params);
        attributes = attributes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(attributes));
    }

    /** The C name, e.g. {@code zx_channel_write}. */
    public String cName() {
        return "zx_" + name;
    }

    public boolean has(SyscallAttribute attribute) {
        return attributes.contains(attribute);
    }

    /** True when the kernel has an entry number for it (ordinary, internal, test or composite). */
    public boolean isKernelEntry() {
        return number.isPresent();
    }

    /** True when the vDSO exports {@code _zx_name} and weak {@code zx_name}. */
    public boolean isExported() {
        return !has(SyscallAttribute.INTERNAL);
    }

    public boolean isBlocking() {
        return has(SyscallAttribute.BLOCKING);
    }

    public boolean isNoReturn() {
        return has(SyscallAttribute.NORETURN);
    }

    /** Number of arguments (at most 8 for kernel entries). */
    public int arity() {
        return params.size();
    }

    /** The parameter with this name. */
    public Optional<Param> param(String paramName) {
        return params.stream().filter(p -> p.name().equals(paramName)).findFirst();
    }

    /** Index of the parameter with this name, or -1. */
    public int indexOf(String paramName) {
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i).name().equals(paramName)) {
                return i;
            }
        }
        return -1;
    }

    /** The C prototype without trailing semicolon, e.g. {@code zx_status_t zx_handle_close(zx_handle_t handle)}. */
    public String prototype(String symbol) {
        StringBuilder sb = new StringBuilder();
        sb.append(returnType).append(' ').append(symbol).append('(');
        if (params.isEmpty()) {
            sb.append("void");
        }
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(p.cType()).append(' ').append(p.name());
        }
        return sb.append(')').toString();
    }
}
