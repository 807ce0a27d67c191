// test/runtime: checks of the guest runtime's own code that need (almost) no kernel:
// printf formatting, the processargs encoder/decoder, BOOTFS lookup and vDSO symbol
// lookup. Reports like test/smoke, with the prefix "[runtime]":
//   [runtime] PASS <case> / [runtime] FAIL <case>: <reason> / [runtime] SUMMARY ...
// It only needs zx_debug_write/zx_debuglog_write, zx_channel_read, zx_handle_close and
// zx_process_exit, so hosttest/harness.c runs it on the build machine too.
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>
#include <zircon/boot/bootfs.h>
#include <zircon/boot/image.h>
#include <zjvm/runtime.h>

static char g_reason[160];

__attribute__((format(printf, 1, 2))) static bool failf(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(g_reason, sizeof(g_reason), fmt, ap);
  va_end(ap);
  return false;
}

#define EXPECT(cond, ...)                   \
  do {                                      \
    if (!(cond)) return failf(__VA_ARGS__); \
  } while (0)

static bool fmt_is(const char* want, const char* fmt, ...) {
  char buf[96];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  if (strcmp(buf, want) != 0 || n != (int)strlen(want)) {
    return failf("format \"%s\" gave \"%s\" (%d), want \"%s\"", fmt, buf, n, want);
  }
  return true;
}

static bool printf_formats(void) {
  return fmt_is("42 -7 0", "%d %i %u", 42, -7, 0u) &&
         fmt_is("ff FF 777", "%x %X %o", 255u, 255u, 0777u) &&
         fmt_is("[   5] [5   ] [00005]", "[%4d] [%-4d] [%05d]", 5, 5, 5) &&
         fmt_is("-00012", "%06d", -12) &&
         fmt_is("18446744073709551615", "%lu", (unsigned long)-1) &&
         fmt_is("-9223372036854775808", "%ld", (long)(-9223372036854775807l - 1)) &&
         fmt_is("123456789012 ffffffffff", "%zu %lx", (size_t)123456789012ul, 0xfffffffffful) &&
         fmt_is("0x1000 c abc|ab|(null)", "%p %c %s|%.2s|%s", (void*)0x1000, 'c', "abc", "abc",
                (const char*)NULL) &&
         fmt_is("100% [  hi]", "100%% [%*s]", 4, "hi") && fmt_is("0042", "%.4u", 42u);
}

static bool printf_truncation(void) {
  char buf[8];
  int n = snprintf(buf, sizeof(buf), "%s", "0123456789");
  EXPECT(n == 10, "snprintf returned %d, want 10", n);
  EXPECT(strcmp(buf, "0123456") == 0, "truncated to \"%s\"", buf);
  n = snprintf(NULL, 0, "%d", 12345);
  EXPECT(n == 5, "snprintf(NULL, 0) returned %d", n);
  return true;
}

static bool procargs_round_trip(void) {
  uint8_t msg[256] __attribute__((aligned(8)));
  uint32_t info[3] = {PA_HND(PA_PROC_SELF, 0), PA_HND(PA_VMO_VDSO, 2), PA_HND(PA_USER0, 7)};
  zx_handle_t handles[3] = {0x13, 0x23, 0x33};
  const char* argv[] = {"bin/x", "--flag"};
  const char* envp[] = {"A=1", "userboot.shutdown="};
  uint32_t len = 0;
  zx_status_t st = zjvm_procargs_build(msg, sizeof(msg), info, 3, argv, 2, envp, 2, &len);
  EXPECT(st == ZX_OK, "build: %s", zjvm_status_name(st));
  EXPECT(len == 36 + 12 + 13 + 23, "message is %u bytes", len);
  static zjvm_procargs_t pa;
  st = zjvm_procargs_parse(msg, len, handles, 3, &pa);
  EXPECT(st == ZX_OK, "parse: %s", zjvm_status_name(st));
  EXPECT(pa.argc == 2 && strcmp(pa.argv[1], "--flag") == 0 && pa.argv[2] == NULL, "argv wrong");
  EXPECT(pa.envc == 2 && strcmp(pa.envp[1], "userboot.shutdown=") == 0, "environ wrong");
  EXPECT(pa.nhandles == 3 && pa.info[1] == PA_HND(PA_VMO_VDSO, 2) && pa.handles[2] == 0x33,
         "handles wrong");
  EXPECT(PA_HND_TYPE(pa.info[2]) == PA_USER0 && PA_HND_ARG(pa.info[2]) == 7, "info decoding");
  return true;
}

static bool procargs_rejects(void) {
  uint8_t msg[128] __attribute__((aligned(8)));
  uint32_t info[1] = {PA_HND(PA_PROC_SELF, 0)};
  const char* argv[] = {"abc"};
  uint32_t len = 0;
  zx_handle_t h[3] = {0x13, 0x23, 0x33};
  static zjvm_procargs_t pa;
  EXPECT(zjvm_procargs_build(msg, sizeof(msg), info, 1, argv, 1, NULL, 0, &len) == ZX_OK,
         "build failed");
  EXPECT(zjvm_procargs_parse(msg, 35, h, 0, &pa) == ZX_ERR_INVALID_ARGS, "accepted 35 bytes");
  // 8 bytes follow the table's start: room for 2 entries (as the standard reader counts).
  EXPECT(zjvm_procargs_parse(msg, len, h, 3, &pa) == ZX_ERR_INVALID_ARGS,
         "accepted more handles than the info table holds");
  EXPECT(zjvm_procargs_parse(msg, len - 1, h, 1, &pa) == ZX_ERR_INVALID_ARGS,
         "accepted an unterminated string");
  uint32_t bad = 0x12345678;
  memcpy(msg, &bad, 4);
  EXPECT(zjvm_procargs_parse(msg, len, h, 1, &pa) == ZX_ERR_INVALID_ARGS, "accepted bad protocol");
  EXPECT(zjvm_procargs_parse(msg + 1, len - 1, h, 1, &pa) == ZX_ERR_INVALID_ARGS,
         "accepted a misaligned buffer");
  return true;
}

static bool bootfs_lookup(void) {
  static uint8_t image[3 * ZBI_BOOTFS_PAGE_SIZE] __attribute__((aligned(16)));
  memset(image, 0, sizeof(image));
  zbi_bootfs_header_t hdr = {ZBI_BOOTFS_MAGIC, 0, 0, 0};
  uint8_t* p = image + sizeof(hdr);
  const char* names[] = {"bin/a", "lib/ld.so.1"};
  for (int i = 0; i < 2; i++) {
    uint32_t nl = (uint32_t)strlen(names[i]) + 1;
    uint32_t ent[3] = {nl, 3u + (uint32_t)i, ZBI_BOOTFS_PAGE_SIZE * (1u + (uint32_t)i)};
    memcpy(p, ent, 12);
    memcpy(p + 12, names[i], nl);
    p += ZBI_BOOTFS_DIRENT_SIZE(nl);
  }
  hdr.dirsize = (uint32_t)(p - image - sizeof(hdr));
  memcpy(image, &hdr, sizeof(hdr));
  memcpy(image + 2 * ZBI_BOOTFS_PAGE_SIZE, "ELF!", 4);
  zjvm_bootfs_t fs;
  EXPECT(zjvm_bootfs_init(&fs, image, sizeof(image)) == ZX_OK, "init failed");
  const uint8_t* data;
  size_t len;
  EXPECT(zjvm_bootfs_find(&fs, "lib/", "ld.so.1", &data, &len) == ZX_OK, "prefix lookup failed");
  EXPECT(data == image + 2 * ZBI_BOOTFS_PAGE_SIZE && len == 4, "wrong file data");
  EXPECT(zjvm_bootfs_find(&fs, NULL, "bin/a", &data, &len) == ZX_OK && len == 3, "bin/a");
  EXPECT(zjvm_bootfs_find(&fs, NULL, "bin/", &data, &len) == ZX_ERR_NOT_FOUND,
         "a name prefix matched");
  EXPECT(zjvm_bootfs_find(&fs, NULL, "bin/ab", &data, &len) == ZX_ERR_NOT_FOUND,
         "a longer name matched");
  image[0] ^= 1;
  EXPECT(zjvm_bootfs_init(&fs, image, sizeof(image)) == ZX_ERR_IO, "bad magic accepted");
  return true;
}

static bool vdso_symbols(void) {
  uintptr_t base = zjvm_startup()->vdso_base;
  uintptr_t strong = zjvm_vdso_lookup(base, "_zx_channel_read");
  uintptr_t weak = zjvm_vdso_lookup(base, "zx_channel_read");
  EXPECT(strong != 0, "_zx_channel_read not found");
  EXPECT(weak == strong, "zx_channel_read (%p) is not an alias of _zx_channel_read (%p)",
         (void*)weak, (void*)strong);
  EXPECT(zjvm_vdso_lookup(base, "zx_no_such_call") == 0, "found a name that does not exist");
  EXPECT(zjvm_vdso_lookup(base, "zx_clock_get_monotonic") != 0, "zx_clock_get_monotonic missing");
  EXPECT(zjvm_vdso_first_missing(base) == NULL, "%s is missing", zjvm_vdso_first_missing(base));
  return true;
}

static const struct {
  const char* name;
  bool (*run)(void);
} kCases[] = {
    {"printf_formats", printf_formats},
    {"printf_truncation", printf_truncation},
    {"procargs_round_trip", procargs_round_trip},
    {"procargs_rejects", procargs_rejects},
    {"bootfs_lookup", bootfs_lookup},
    {"vdso_symbols", vdso_symbols},
};

int main(int argc, char** argv, char** envp) {
  unsigned pass = 0, fail = 0;
  for (unsigned i = 0; i < sizeof(kCases) / sizeof(kCases[0]); i++) {
    g_reason[0] = '\0';
    if (kCases[i].run()) {
      printf("[runtime] PASS %s\n", kCases[i].name);
      pass++;
    } else {
      printf("[runtime] FAIL %s: %s\n", kCases[i].name, g_reason);
      fail++;
    }
  }
  printf("[runtime] SUMMARY pass=%u fail=%u total=%u\n", pass, fail, pass + fail);
  return fail == 0 ? 0 : 1;
}
