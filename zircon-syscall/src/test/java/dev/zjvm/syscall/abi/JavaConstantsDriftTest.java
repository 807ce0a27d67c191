package dev.zjvm.syscall.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The kernel objects keep hand-written Java copies of some ABI constants (status codes, rights,
 * object types, signals); this test fails when a copy disagrees with constants.def. The classes are
 * found by name so a rename shows up as a clear failure here rather than a compile error.
 */
class JavaConstantsDriftTest {
    private static final AbiConstants ABI = AbiConstants.standard();
    /** Kernel-private values that deliberately have no C name. */
    private static final Set<String> KERNEL_PRIVATE = Set.of("ERR_INTERNAL_INTR_KILLED");

    @Test
    void statusCodes() throws Exception {
        int matched = compareIntFields("dev.zjvm.object.ZxStatus", f -> List.of("ZX_" + f));
        assertEquals(ABI.group("status").size(), matched, "every status code has a Java copy");
    }

    @Test
    void rights() throws Exception {
        int matched = compareIntFields("dev.zjvm.object.Rights", f -> List.of("ZX_RIGHT_" + f, "ZX_RIGHTS_" + f));
        assertTrue(matched >= 22, "matched " + matched);
    }

    @Test
    void signals() throws Exception {
        int matched = compareIntFields("dev.zjvm.object.signal.Signals", f -> List.of("ZX_" + f, "ZX_SIGNAL_" + f,
                "ZX_USER_SIGNAL_" + f.replaceFirst("^USER_", ""), "ZX_CHANNEL_" + f, "ZX_EVENT_" + f));
        assertTrue(matched >= 15, "matched " + matched);
    }

    @Test
    void objectTypesAndDefaultRights() throws Exception {
        Class<?> type = Class.forName("dev.zjvm.object.ObjectType");
        Method value = type.getMethod("value");
        Method rights = type.getMethod("defaultRights");
        List<String> problems = new ArrayList<>();
        for (Object constant : type.getEnumConstants()) {
            String name = ((Enum<?>) constant).name();
            check(problems, name, "ZX_OBJ_TYPE_" + name, (int) value.invoke(constant));
            if (!name.equals("NONE")) {
                // MSI objects use the MSI / interrupt macros (constants.md section 3).
                String macro = switch (name) {
                    case "MSI_ALLOCATION" -> "ZX_DEFAULT_MSI_RIGHTS";
                    case "MSI_INTERRUPT" -> "ZX_DEFAULT_INTERRUPT_RIGHTS";
                    default -> "ZX_DEFAULT_" + name + "_RIGHTS";
                };
                check(problems, name + " rights", macro, (int) rights.invoke(constant));
            }
        }
        assertEquals(List.of(), problems);
        assertEquals(ABI.group("obj_type").size() - 1, type.getEnumConstants().length, "all types but UPPER_BOUND");
    }

    private interface Candidates {
        List<String> of(String field);
    }

    private static int compareIntFields(String className, Candidates candidates) throws Exception {
        Class<?> c = Class.forName(className);
        List<String> problems = new ArrayList<>();
        int matched = 0;
        for (Field f : c.getDeclaredFields()) {
            int mod = f.getModifiers();
            if (!Modifier.isPublic(mod) || !Modifier.isStatic(mod) || f.getType() != int.class
                    || KERNEL_PRIVATE.contains(f.getName())) {
                continue;
            }
            int javaValue = f.getInt(null);
            Optional<String> cName = candidates.of(f.getName()).stream()
                    .filter(n -> ABI.constant(n).isPresent()).findFirst();
            if (cName.isEmpty()) {
                problems.add(className + "." + f.getName() + " has no counterpart in constants.def");
                continue;
            }
            check(problems, className + "." + f.getName(), cName.get(), javaValue);
            matched++;
        }
        assertEquals(List.of(), problems);
        return matched;
    }

    private static void check(List<String> problems, String what, String cName, int javaValue) {
        Optional<AbiItem.ConstantDef> c = ABI.constant(cName);
        if (c.isEmpty()) {
            problems.add(what + ": no " + cName + " in constants.def");
        } else if (c.get().intValue() != javaValue) {
            problems.add(what + " = " + javaValue + " but " + cName + " = " + c.get().value());
        }
    }
}
