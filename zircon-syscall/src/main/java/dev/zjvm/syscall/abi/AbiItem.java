package dev.zjvm.syscall.abi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One item of constants.def, in the order the C header declares it. */
public sealed interface AbiItem {

    /** Header (relative to include/) the item belongs to. */
    String header();

    /**
     * An integer constant.
     *
     * @param name   C name, e.g. {@code ZX_ERR_BAD_HANDLE}
     * @param cType  C type, e.g. {@code zx_status_t}
     * @param value  value as a two's-complement long (unsigned 64-bit values may read negative)
     * @param group  Java grouping, e.g. {@code status}, {@code right}
     */
    record ConstantDef(String name, String cType, long value, String group, String header) implements AbiItem {
        public ConstantDef {
            Objects.requireNonNull(name);
            Objects.requireNonNull(cType);
            Objects.requireNonNull(group);
            Objects.requireNonNull(header);
        }

        /** The value as an int (for 32-bit types). */
        public int intValue() {
            return (int) value;
        }
    }

    /** A scalar typedef: {@code typedef <cType> <name>;}. */
    record TypedefDef(String name, String cType, String header) implements AbiItem {
    }

    /** A function-like C macro (C only). */
    record MacroDef(String signature, String body, String header) implements AbiItem {
    }

    /** An incomplete struct type (pointers only). */
    record OpaqueDef(String name, String header) implements AbiItem {
    }

    /** C lines copied into the header as they are. */
    record VerbatimDef(List<String> lines, String header) implements AbiItem {
        public VerbatimDef {
            lines = List.copyOf(lines);
        }
    }

    /** The header declares this vDSO function (instead of zircon/syscalls.h). */
    record DeclareDef(String syscall, String header) implements AbiItem {
    }

    /**
     * A struct or union with an explicit layout.
     *
     * @param fields members in declaration order; members of one inline union share a union index
     */
    record StructDef(String name, boolean isUnion, int size, int align, List<FieldDef> fields, String header)
            implements AbiItem {
        public StructDef {
            fields = List.copyOf(fields);
        }

        /** The C struct tag: the name without its {@code _t} suffix. */
        public String tag() {
            return name.endsWith("_t") ? name.substring(0, name.length() - 2) : name;
        }

        /** The member reachable by this name: a direct member, or {@code union.member} for named unions. */
        public Optional<FieldDef> field(String memberName) {
            for (FieldDef f : fields) {
                String full = f.unionName().map(u -> u + "." + f.name()).orElse(f.name());
                if (full.equals(memberName)) {
                    return Optional.of(f);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * One member of a {@link StructDef}.
     *
     * @param offset     byte offset in the enclosing struct
     * @param cType      element C type
     * @param count      array length, 0 for a plain member
     * @param unionIndex 0 for a plain member; members of the same inline union share an index >= 1
     * @param unionName  name of that inline union (empty if anonymous or not in a union)
     */
    record FieldDef(String name, int offset, String cType, int count, int unionIndex, Optional<String> unionName) {
        public boolean isArray() {
            return count > 0;
        }
    }
}
