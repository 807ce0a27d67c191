package dev.zjvm.syscall.abi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One syscall parameter as declared in syscalls.def.
 *
 * @param name         C parameter name
 * @param cType        C type exactly as in the public prototype (e.g. {@code const zx_handle_t*})
 * @param direction    data flow for pointers
 * @param handleTypes  required object types (names without ZX_OBJ_TYPE_, "ANY" = any type) when the
 *                     value or array element is an input handle; empty otherwise
 * @param resourceKind required resource kind (name without ZX_RSRC_KIND_), if the handle is a resource
 * @param rights       rights (names without ZX_RIGHT_) the handle must always carry
 * @param dynamicRights further rights depend on other arguments and are checked by the handler
 * @param release      the call consumes the handle(s), even on failure
 * @param nullable     the pointer may be NULL / the handle may be ZX_HANDLE_INVALID
 * @param bytesParam   name of the parameter holding this buffer's size in bytes
 * @param countParam   name of the parameter holding this array's element count
 */
public record Param(String name, String cType, Direction direction, List<String> handleTypes,
                    Optional<String> resourceKind, Set<String> rights, boolean dynamicRights,
                    boolean release, boolean nullable, Optional<String> bytesParam,
                    Optional<String> countParam) {

    public Param {
        Objects.requireNonNull(name);
        Objects.requireNonNull(cType);
        Objects.requireNonNull(direction);
        handleTypes = List.copyOf(handleTypes);
        Objects.requireNonNull(resourceKind);
        rights = Set.copyOf(rights);
        Objects.requireNonNull(bytesParam);
        Objects.requireNonNull(countParam);
    }

    /** True for a pointer type. */
    public boolean isPointer() {
        return cType.endsWith("*");
    }

    /** The type a pointer points to, without const (e.g. {@code zx_handle_t} for {@code const zx_handle_t*}). */
    public String pointeeType() {
        if (!isPointer()) {
            throw new IllegalStateException(name + " is not a pointer");
        }
        String t = cType.substring(0, cType.length() - 1).strip();
        return t.startsWith("const ") ? t.substring("const ".length()).strip() : t;
    }

    /** True when this parameter carries input handle value(s) that the kernel looks up. */
    public boolean isHandleInput() {
        return !handleTypes.isEmpty() || resourceKind.isPresent();
    }
}
