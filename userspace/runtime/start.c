// C start-up of guest programs: bind the vDSO, relocate, read the processargs message,
// pick up the well-known handles, set up the debug log, run main, exit with its result.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>
#include <zjvm/runtime.h>

int main(int argc, char** argv, char** envp);
int __zjvm_self_relocate(void);

// The stub table (scripts/gen-stubs.sh): one slot per zx_* function this image calls.
extern void* zjvm_stub_slots[];

static struct {
  zjvm_startup_t pub;
  zjvm_procargs_t args;
  zx_handle_t process, vmar_root, job, thread;
} g;

static uint8_t g_message[ZX_CHANNEL_MAX_MSG_BYTES] __attribute__((aligned(16)));

zx_handle_t zjvm_log_handle(void) { return g.pub.log; }
const zjvm_startup_t* zjvm_startup(void) { return &g.pub; }
zx_handle_t zx_process_self(void) { return g.process; }
zx_handle_t zx_vmar_root_self(void) { return g.vmar_root; }
zx_handle_t zx_job_default(void) { return g.job; }
zx_handle_t zx_thread_self(void) { return g.thread; }

zx_handle_t zx_take_startup_handle(uint32_t hnd_info) {
  for (uint32_t i = 0; i < g.args.nhandles; i++) {
    if (g.args.info[i] == hnd_info && g.args.handles[i] != ZX_HANDLE_INVALID) {
      zx_handle_t h = g.args.handles[i];
      g.args.handles[i] = ZX_HANDLE_INVALID;
      return h;
    }
  }
  return ZX_HANDLE_INVALID;
}

// Takes the first handle of the given type, whatever its argument.
static zx_handle_t take_type(uint32_t type) {
  for (uint32_t i = 0; i < g.args.nhandles; i++) {
    if (PA_HND_TYPE(g.args.info[i]) == type && g.args.handles[i] != ZX_HANDLE_INVALID) {
      return zx_take_startup_handle(g.args.info[i]);
    }
  }
  return ZX_HANDLE_INVALID;
}

const char* zjvm_getenv(const char* key) {
  size_t n = strlen(key);
  const char* found = NULL;
  for (uint32_t i = 0; i < g.args.envc; i++) {
    const char* e = g.args.envp[i];
    if (strncmp(e, key, n) == 0 && e[n] == '=') found = e + n + 1;
  }
  return found;
}

// Picks the handle printf writes to: a debuglog handed over as an fd (PA_FD), else a
// new debuglog made from the root resource, else none (zx_debug_write).
static void setup_log(void) {
  zx_handle_t fd = take_type(PA_FD);
  if (fd != ZX_HANDLE_INVALID) {
    zx_info_handle_basic_t info;
    if (zx_object_get_info(fd, ZX_INFO_HANDLE_BASIC, &info, sizeof(info), NULL, NULL) == ZX_OK &&
        info.type == ZX_OBJ_TYPE_LOG) {
      g.pub.log = fd;
      return;
    }
    zx_handle_close(fd);
  }
  if (g.pub.root_resource != ZX_HANDLE_INVALID) {
    zx_handle_t log;
    if (zx_debuglog_create(g.pub.root_resource, 0, &log) == ZX_OK) g.pub.log = log;
  }
}

__attribute__((noreturn, used)) void __zjvm_start(zx_handle_t bootstrap, uintptr_t vdso_base) {
  size_t missing = zjvm_vdso_bind(vdso_base, zjvm_stub_slots, zjvm_stub_count);
  if (__zjvm_self_relocate() != 0) {
    static const char kMsg[] = "runtime: unsupported relocation type in program image\n";
    zx_debug_write(kMsg, sizeof(kMsg) - 1);
    zx_process_exit(-1);
  }
  g.pub.vdso_base = vdso_base;
  g.pub.args = &g.args;

  zx_handle_t handles[ZJVM_PA_MAX_HANDLES];
  uint32_t nbytes = 0, nhandles = 0;
  zx_status_t read_st = zx_channel_read(bootstrap, 0, g_message, handles, sizeof(g_message),
                                        ZJVM_PA_MAX_HANDLES, &nbytes, &nhandles);
  zx_status_t parse_st = ZX_ERR_BAD_STATE;
  if (read_st == ZX_OK) {
    parse_st = zjvm_procargs_parse(g_message, nbytes, handles, nhandles, &g.args);
    if (parse_st != ZX_OK) {
      for (uint32_t i = 0; i < nhandles; i++) zx_handle_close(handles[i]);
    }
  }
  zx_handle_close(bootstrap);

  g.process = zx_take_startup_handle(PA_HND(PA_PROC_SELF, 0));
  g.thread = zx_take_startup_handle(PA_HND(PA_THREAD_SELF, 0));
  g.vmar_root = zx_take_startup_handle(PA_HND(PA_VMAR_ROOT, 0));
  g.job = zx_take_startup_handle(PA_HND(PA_JOB_DEFAULT, 0));
  g.pub.vdso_vmo = zx_take_startup_handle(PA_HND(PA_VMO_VDSO, 0));
  g.pub.bootfs_vmo = zx_take_startup_handle(PA_HND(PA_VMO_BOOTFS, 0));
  g.pub.root_resource = take_type(PA_RESOURCE);
  setup_log();

  if (read_st != ZX_OK || parse_st != ZX_OK) {
    printf("runtime: bad bootstrap message (read %s, parse %s)\n", zjvm_status_name(read_st),
           zjvm_status_name(parse_st));
  }
  if (missing) {
    printf("runtime: %zu zx_* functions not found in the vDSO at %p (first: %s)\n", missing,
           (void*)vdso_base, zjvm_vdso_first_missing(vdso_base));
  }
  exit(main((int)g.args.argc, (char**)g.args.argv, (char**)g.args.envp));
}

void exit(int status) { zx_process_exit(status); }

void abort(void) {
  printf("abort()\n");
  zx_process_exit(-1);
}
