package dev.zjvm.syscall.abi;

import dev.zjvm.syscall.abi.AbiItem.ConstantDef;
import dev.zjvm.syscall.abi.AbiItem.DeclareDef;
import dev.zjvm.syscall.abi.AbiItem.FieldDef;
import dev.zjvm.syscall.abi.AbiItem.OpaqueDef;
import dev.zjvm.syscall.abi.AbiItem.StructDef;
import dev.zjvm.syscall.abi.AbiItem.TypedefDef;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The immutable contents of constants.def: headers, constants, typedefs and struct layouts.
 * Kernel code uses it for values and offsets ({@code value("ZX_ERR_BAD_HANDLE")},
 * {@code offsetOf("zx_port_packet_t", "signal.observed")}); the generator turns it into C headers.
 */
public final class AbiConstants {
    /** Classpath location of the project's constants file. */
    public static final String RESOURCE = "/dev/zjvm/syscall/abi/constants.def";

    private final List<HeaderDef> headers;
    private final Map<String, ConstantDef> constants = new LinkedHashMap<>();
    private final Map<String, StructDef> structs = new LinkedHashMap<>();
    private final Map<String, String> typeHeaders = new LinkedHashMap<>();
    private final Map<String, String> declaredIn = new LinkedHashMap<>();
    private final TypeCatalog types = new TypeCatalog();

    AbiConstants(List<HeaderDef> headers, List<AbiItem> itemsInFileOrder) {
        this.headers = List.copyOf(headers);
        for (AbiItem item : itemsInFileOrder) {
            {
                HeaderDef h = headers.stream().filter(x -> x.path().equals(item.header())).findFirst().orElseThrow();
                switch (item) {
                    case ConstantDef c -> constants.put(c.name(), c);
                    case StructDef s -> {
                        types.declareStruct(s);
                        structs.put(s.name(), s);
                        typeHeaders.put(s.name(), h.path());
                    }
                    case TypedefDef t -> {
                        types.declareTypedef(t.name(), t.cType());
                        typeHeaders.put(t.name(), h.path());
                    }
                    case OpaqueDef o -> {
                        types.declareOpaque(o.name());
                        typeHeaders.put(o.name(), h.path());
                    }
                    case DeclareDef d -> declaredIn.put(d.syscall(), h.path());
                    default -> {
                    }
                }
            }
        }
    }

    /** The project's constants, parsed once from {@link #RESOURCE}. */
    public static AbiConstants standard() {
        return Standard.CONSTANTS;
    }

    /** Reads a constants file from the class path. */
    public static AbiConstants fromResource(String resource) {
        try (InputStream in = AbiConstants.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new AbiDefinitionException("missing class-path resource " + resource);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return ConstantsDefParser.parse(resource, text.lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<HeaderDef> headers() {
        return headers;
    }

    public Optional<ConstantDef> constant(String name) {
        return Optional.ofNullable(constants.get(name));
    }

    /** The value of a constant; throws {@link NoSuchElementException} for an unknown name. */
    public long value(String name) {
        ConstantDef c = constants.get(name);
        if (c == null) {
            throw new NoSuchElementException("no constant " + name);
        }
        return c.value();
    }

    /** Constants of one group (e.g. {@code status}, {@code right}, {@code obj_type}) in file order. */
    public List<ConstantDef> group(String group) {
        List<ConstantDef> out = new ArrayList<>();
        constants.values().forEach(c -> {
            if (c.group().equals(group)) {
                out.add(c);
            }
        });
        return List.copyOf(out);
    }

    /** All constants in file order. */
    public List<ConstantDef> constants() {
        return List.copyOf(constants.values());
    }

    public Optional<StructDef> struct(String name) {
        return Optional.ofNullable(structs.get(name));
    }

    /** All structs and unions in file order. */
    public List<StructDef> structs() {
        return List.copyOf(structs.values());
    }

    /** Byte size of a C type (scalar, typedef, pointer or struct). */
    public int sizeOf(String cType) {
        return types.sizeOf(cType);
    }

    /** True when the type is known (base type, typedef, struct, opaque or any pointer). */
    public boolean isKnownType(String cType) {
        return types.isKnown(cType);
    }

    /** True when a scalar C type (through typedefs) is signed. */
    public boolean isSigned(String cType) {
        return types.resolveBase(cType).signed();
    }

    /** Header declaring a type, if the type comes from constants.def. */
    public Optional<String> headerOf(String typeName) {
        return Optional.ofNullable(typeHeaders.get(typeName));
    }

    /** Header that declares this vDSO function instead of zircon/syscalls.h. */
    public Optional<String> declaringHeader(String syscallName) {
        return Optional.ofNullable(declaredIn.get(syscallName));
    }

    /**
     * Byte offset of a member path within a struct, e.g. {@code ("zx_port_packet_t", "signal.observed")}
     * or {@code ("zx_info_maps_t", "u.mapping.vmo_koid")}.
     */
    public int offsetOf(String structName, String path) {
        StructDef s = struct(structName).orElseThrow(() -> new NoSuchElementException("no struct " + structName));
        String[] parts = path.split("\\.");
        int offset = 0;
        int i = 0;
        while (i < parts.length) {
            if (s == null) {
                throw new NoSuchElementException(path + ": '" + parts[i - 1] + "' is not a struct");
            }
            Optional<FieldDef> f = s.field(parts[i]);
            int used = 1;
            if (f.isEmpty() && i + 1 < parts.length) {
                f = s.field(parts[i] + "." + parts[i + 1]);
                used = 2;
            }
            if (f.isEmpty()) {
                throw new NoSuchElementException(structName + " has no member " + path);
            }
            offset += f.get().offset();
            s = structs.get(f.get().cType());
            i += used;
        }
        return offset;
    }

    /** Lazily parsed, immutable standard constants (holder idiom; no mutable static state). */
    private static final class Standard {
        static final AbiConstants CONSTANTS = fromResource(RESOURCE);
    }
}
