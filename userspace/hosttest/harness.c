// Host-side harness: runs a guest program natively on Linux against a real libos vDSO
// (its zcore_syscall_entry slots point at a tiny fake kernel here), so the runtime's
// start-up path (entry, self-relocation, vDSO binding, processargs, printf, exit) can be
// checked before the real kernel exists. Only the handful of syscalls such programs need
// are emulated; everything else returns ZX_ERR_NOT_SUPPORTED.
//
// usage: harness VDSO PROGRAM EXPECTED_EXIT [EXPECTED_OUTPUT_SUBSTRING...]
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define BOOTSTRAP_HANDLE 0x1003u
#define ZX_OK 0
#define ZX_ERR_NOT_SUPPORTED (-2)
#define ZX_ERR_BAD_HANDLE (-11)
#define ZX_ERR_BUFFER_TOO_SMALL (-15)
#define ZX_ERR_SHOULD_WAIT (-22)

static const char* g_names[512];  // syscall number -> vDSO function name
static char g_output[1 << 16];
static size_t g_output_len;
static jmp_buf g_exit;
static long g_exit_code;
static int g_bootstrap_read;
static uint8_t g_message[512];
static uint32_t g_message_len;
static uint32_t g_message_handles[4] = {0x2003, 0x3003, 0x4003, 0x5003};

static void* map_file(const char* path, size_t* size) {
  int fd = open(path, O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    perror(path);
    exit(2);
  }
  *size = (size_t)st.st_size;
  void* p = mmap(NULL, (*size + 4095) & ~4095ul, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE,
                 fd, 0);
  close(fd);
  if (p == MAP_FAILED) {
    perror("mmap");
    exit(2);
  }
  return p;
}

static void append_output(const char* s, size_t n) {
  if (n > sizeof(g_output) - 1 - g_output_len) n = sizeof(g_output) - 1 - g_output_len;
  memcpy(g_output + g_output_len, s, n);
  g_output_len += n;
  if (getenv("HOSTTEST_VERBOSE")) fwrite(s, 1, n, stdout);
}

// The fake kernel: called by the trampoline with the syscall's arguments and number.
long harness_dispatch(long a0, long a1, long a2, long a3, long a4, long a5, long num, long a6,
                      long a7) {
  const char* name = num >= 0 && num < 512 && g_names[num] ? g_names[num] : "?";
  if (!strcmp(name, "_zx_channel_read")) {
    if ((uint32_t)a0 != BOOTSTRAP_HANDLE) return ZX_ERR_BAD_HANDLE;
    if (g_bootstrap_read) return ZX_ERR_SHOULD_WAIT;
    if ((uint32_t)a4 < g_message_len || (uint32_t)a5 < 4) return ZX_ERR_BUFFER_TOO_SMALL;
    memcpy((void*)a2, g_message, g_message_len);
    memcpy((void*)a3, g_message_handles, sizeof(g_message_handles));
    if (a6) *(uint32_t*)a6 = g_message_len;
    if (a7) *(uint32_t*)a7 = 4;
    g_bootstrap_read = 1;
    return ZX_OK;
  }
  if (!strcmp(name, "_zx_handle_close")) return ZX_OK;
  if (!strcmp(name, "_zx_debug_write") || !strcmp(name, "_zx_debuglog_write")) {
    const char* buf = (const char*)(strcmp(name, "_zx_debug_write") ? a2 : a0);
    size_t len = (size_t)(strcmp(name, "_zx_debug_write") ? a3 : a1);
    append_output(buf, len);
    return ZX_OK;
  }
  if (!strcmp(name, "_zx_process_exit")) {
    g_exit_code = a0;
    longjmp(g_exit, 1);
  }
  fprintf(stderr, "harness: unemulated syscall %ld (%s) -> NOT_SUPPORTED\n", num, name);
  return ZX_ERR_NOT_SUPPORTED;
}

// vDSO stubs jump here: %rax = number, SysV argument registers, args 7/8 on the stack.
extern char harness_entry[];
__asm__(
    ".text\n"
    "harness_entry:\n"
    "  push %rbp\n"
    "  mov %rsp, %rbp\n"
    "  sub $8, %rsp\n"
    "  pushq 24(%rbp)\n"
    "  pushq 16(%rbp)\n"
    "  push %rax\n"
    "  call harness_dispatch\n"
    "  leave\n"
    "  ret\n"
    // enter_guest(entry, sp, arg1, arg2)
    ".globl enter_guest\n"
    "enter_guest:\n"
    "  mov %rsi, %rsp\n"
    "  mov %rdi, %rax\n"
    "  mov %rdx, %rdi\n"
    "  mov %rcx, %rsi\n"
    "  xor %ebp, %ebp\n"
    "  jmp *%rax\n");
void enter_guest(uintptr_t entry, uintptr_t sp, uintptr_t arg1, uintptr_t arg2);

static void patch_vdso(uint8_t* vdso) {
  Elf64_Ehdr* eh = (Elf64_Ehdr*)vdso;
  Elf64_Shdr* sh = (Elf64_Shdr*)(vdso + eh->e_shoff);
  int slots = 0;
  for (int i = 0; i < eh->e_shnum; i++) {
    if (sh[i].sh_type != SHT_SYMTAB && sh[i].sh_type != SHT_DYNSYM) continue;
    Elf64_Sym* sym = (Elf64_Sym*)(vdso + sh[i].sh_offset);
    const char* str = (const char*)(vdso + sh[sh[i].sh_link].sh_offset);
    for (size_t j = 0; j < sh[i].sh_size / sizeof(Elf64_Sym); j++) {
      const char* n = str + sym[j].st_name;
      if (sh[i].sh_type == SHT_SYMTAB && !strcmp(n, "zcore_syscall_entry")) {
        uintptr_t target = (uintptr_t)harness_entry;
        memcpy(vdso + sym[j].st_value, &target, 8);
        slots++;
      }
      // Learn the numbering from the stubs themselves: `mov $num, %eax` near the start.
      // Blocking calls wrap an internal stub (CODE_SYSCALL_zx_foo in zCore's vDSO,
      // SYSCALL_zx_foo in ours) with a retry loop.
      char* alias = NULL;
      const char* internal = strstr(n, "SYSCALL_zx_");
      if (sh[i].sh_type == SHT_SYMTAB && internal && asprintf(&alias, "_%s", internal + 8) > 0) {
        n = alias;
      }
      if (!strncmp(n, "_zx_", 4) &&
          ELF64_ST_TYPE(sym[j].st_info) == STT_FUNC) {
        const uint8_t* code = vdso + sym[j].st_value;
        for (int k = 0; k < 24; k++) {
          if (code[k] == 0xb8) {
            uint32_t num;
            memcpy(&num, code + k + 1, 4);
            if (num < 512 && !g_names[num]) g_names[num] = n;
            break;
          }
        }
      }
    }
  }
  if (slots == 0) {
    fprintf(stderr, "harness: no zcore_syscall_entry slot in the vDSO\n");
    exit(2);
  }
}

static uintptr_t load_program(const char* path) {
  size_t size;
  uint8_t* file = map_file(path, &size);
  Elf64_Ehdr* eh = (Elf64_Ehdr*)file;
  Elf64_Phdr* ph = (Elf64_Phdr*)(file + eh->e_phoff);
  uint64_t hi = 0;
  for (int i = 0; i < eh->e_phnum; i++) {
    if (ph[i].p_type == PT_LOAD && ph[i].p_vaddr + ph[i].p_memsz > hi) {
      hi = ph[i].p_vaddr + ph[i].p_memsz;
    }
  }
  uint8_t* base = mmap(NULL, (hi + 4095) & ~4095ul, PROT_READ | PROT_WRITE | PROT_EXEC,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  for (int i = 0; i < eh->e_phnum; i++) {
    if (ph[i].p_type == PT_LOAD) memcpy(base + ph[i].p_vaddr, file + ph[i].p_offset, ph[i].p_filesz);
  }
  return (uintptr_t)base + eh->e_entry;
}

static void build_message(const char* program) {
  // Built by hand (not with runtime/processargs.c) so the runtime's parser is checked
  // against an independent encoder: header, 4 handle infos, 1 arg, 2 environ strings.
  uint32_t info[4] = {0x01, 0x02, 0x04, 0x03};  // PROC_SELF, THREAD_SELF, VMAR_ROOT, JOB
  const char strings[] = "ARGV0\0harness.env=1\0userboot.shutdown=";
  uint32_t hdr[9] = {0x4150585d, 0x1000, 36, 36 + 16, 1, 36 + 16 + 6, 2, 0, 0};
  memcpy(g_message, hdr, 36);
  memcpy(g_message + 36, info, 16);
  memcpy(g_message + 52, strings, sizeof(strings));
  g_message_len = 52 + sizeof(strings);
  memcpy(g_message + 52, program, 5 > strlen(program) ? strlen(program) : 5);
}

int main(int argc, char** argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: %s VDSO PROGRAM EXPECTED_EXIT [SUBSTRING...]\n", argv[0]);
    return 2;
  }
  size_t vdso_size;
  uint8_t* vdso = map_file(argv[1], &vdso_size);
  patch_vdso(vdso);
  uintptr_t entry = load_program(argv[2]);
  build_message("guest");
  size_t stack_size = 256 * 1024;
  uint8_t* stack = mmap(NULL, stack_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  uintptr_t sp = (((uintptr_t)stack + stack_size) & ~15ul) - 8;
  if (setjmp(g_exit) == 0) {
    enter_guest(entry, sp, BOOTSTRAP_HANDLE, (uintptr_t)vdso);
  }
  fflush(stdout);
  g_output[g_output_len] = '\0';
  int ok = 1;
  long want = strtol(argv[3], NULL, 0);
  if (g_exit_code != want) {
    fprintf(stderr, "harness: %s exited with %ld, want %ld\n", argv[2], g_exit_code, want);
    ok = 0;
  }
  for (int i = 4; i < argc; i++) {
    if (!strstr(g_output, argv[i])) {
      fprintf(stderr, "harness: output of %s lacks \"%s\"\n", argv[2], argv[i]);
      ok = 0;
    }
  }
  if (!ok) fprintf(stderr, "---- guest console ----\n%s---- end ----\n", g_output);
  printf("harness: %s %s\n", argv[2], ok ? "OK" : "FAILED");
  return ok ? 0 : 1;
}
