package dev.zjvm.syscall.abi.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.zjvm.syscall.abi.SyscallDef;
import dev.zjvm.syscall.abi.SyscallTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class AbiGenHeadersTest {
    private static final Path OUT = Path.of("target", "abi-gen-test");

    @Test
    void generatesTheHeadersAndIsIdempotent() throws IOException {
        AbiGen.generate(OUT);
        assertTrue(Files.isRegularFile(OUT.resolve("include/zircon/syscalls.h")));
        assertTrue(Files.isRegularFile(OUT.resolve("include/zircon/types.h")));
        assertTrue(Files.isRegularFile(OUT.resolve("vdso/syscalls.S")));
        assertEquals(List.of(), AbiGen.generate(OUT), "a second run must not rewrite anything");
        String syscalls = Files.readString(OUT.resolve("include/zircon/syscalls.h"));
        for (SyscallDef d : SyscallTable.standard().all()) {
            boolean elsewhere = d.name().equals("status_get_string") || d.name().equals("exception_get_string");
            boolean declared = syscalls.contains(" " + d.cName() + "(");
            assertEquals(d.isExported() && !elsewhere, declared, d.cName());
        }
        assertTrue(syscalls.contains("extern __NO_RETURN void zx_process_exit(int64_t retcode);"));
        assertTrue(syscalls.contains("extern zx_status_t zx_channel_write(zx_handle_t handle, uint32_t options, "
                + "const void* bytes, uint32_t num_bytes, const zx_handle_t* handles, uint32_t num_handles);"));
    }

    @Test
    void headersCompileAndLayoutsHoldUnderGcc() throws IOException, InterruptedException {
        assumeTrue(Gcc.available("gcc"), "gcc not installed; skipping the C compile check of the headers");
        AbiGen.generate(OUT);
        Path include = OUT.resolve("include").toAbsolutePath();
        StringBuilder c = new StringBuilder();
        try (Stream<Path> files = Files.walk(include)) {
            files.filter(p -> p.toString().endsWith(".h")).sorted()
                    .forEach(p -> c.append("#include <").append(include.relativize(p)).append(">\n"));
        }
        // Uses a few macros and prototypes so that type errors in them show up too.
        c.append("""
                #ifdef __cplusplus
                #define _Static_assert static_assert
                #endif
                static zx_status_t use(zx_handle_t h) {
                  zx_port_packet_t p;
                  zx_signals_t s = p.signal.observed | ZX_CHANNEL_READABLE | ZX_USER_SIGNAL_ALL;
                  uint32_t info = PA_HND(PA_PROC_SELF, 0);
                  zx_info_maps_t m;
                  (void)m.u.mapping.vmo_koid; (void)info;
                  zx_time_t t = zx_time_add_duration(ZX_TIME_INFINITE, ZX_SEC(1));
                  _Static_assert(ZBI_ALIGN(0x100000001ull) == 0x100000008ull, "ZBI_ALIGN keeps high bits");
                  _Static_assert(ZBI_BOOTFS_PAGE_ALIGN(4097u) == 8192u, "BOOTFS page align");
                  _Static_assert(ZBI_BOOTFS_DIRENT_SIZE(5) == 20, "dirent size");
                  _Static_assert(PA_HND(PA_VMO_VDSO, 2) == 0x20011u, "PA_HND");
                  return zx_object_wait_one(h, s, t, NULL) == ZX_OK ? ZX_ERR_BAD_HANDLE : ZX_OK;
                }
                int main(void) { return use(ZX_HANDLE_INVALID) == ZX_OK; }
                """);
        Path src = OUT.resolve("all-headers.c").toAbsolutePath();
        Files.writeString(src, c);
        for (List<String> cmd : List.of(
                List.of("gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", "-fsyntax-only", "-I" + include,
                        src.toString()),
                List.of("gcc", "-x", "c++", "-std=c++17", "-Wall", "-Werror", "-fsyntax-only", "-I" + include,
                        src.toString()))) {
            Gcc.Result r = Gcc.run(OUT, cmd);
            assertEquals(0, r.exitCode(), String.join(" ", cmd) + "\n" + r.output());
        }
    }
}
