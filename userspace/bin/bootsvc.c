// bin/bootsvc: the program userboot starts when the command line names no other.
//
// A short tour of a Zircon process's life, for newcomers:
//  1. The runtime (runtime/start.c) already read our processargs message: the kernel
//     command line arrived as environment strings, and handles for our process, the
//     root job, the vDSO and the BOOTFS image arrived tagged with PA_* types.
//  2. We find bin/hello inside BOOTFS and start it as a child process, giving it one
//     end of a new channel (tagged PA_USER0).
//  3. We send it a message, wait for its answer, wait for it to exit, and report.
#include <stdio.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>
#include <zjvm/runtime.h>

static const char kChild[] = "bin/hello";

static zx_koid_t koid_of(zx_handle_t h) {
  zx_info_handle_basic_t info;
  zx_status_t st = zx_object_get_info(h, ZX_INFO_HANDLE_BASIC, &info, sizeof(info), NULL, NULL);
  return st == ZX_OK ? info.koid : ZX_KOID_INVALID;
}

static int fail(const char* what, zx_status_t st) {
  printf("bootsvc: %s failed: %s\n", what, zjvm_status_name(st));
  return 1;
}

int main(int argc, char** argv, char** envp) {
  const zjvm_startup_t* start = zjvm_startup();
  printf("bootsvc: hello, I am the first user program (process koid %lu)\n",
         (unsigned long)koid_of(zx_process_self()));
  printf("bootsvc: the kernel command line gave me %d environment word(s)\n",
         (int)start->args->envc);
  for (int i = 0; envp[i]; i++) printf("bootsvc:   %s\n", envp[i]);

  // 2. Find the child program in the boot filesystem.
  if (start->bootfs_vmo == ZX_HANDLE_INVALID || start->vdso_vmo == ZX_HANDLE_INVALID) {
    printf("bootsvc: no BOOTFS or vDSO handle: cannot start children\n");
    return 1;
  }
  zjvm_bootfs_t fs;
  zx_status_t st = zjvm_bootfs_map(zx_vmar_root_self(), start->bootfs_vmo, &fs);
  if (st != ZX_OK) return fail("mapping BOOTFS", st);
  const uint8_t* elf;
  size_t elf_size;
  st = zjvm_bootfs_find(&fs, NULL, kChild, &elf, &elf_size);
  if (st != ZX_OK) return fail("finding bin/hello", st);

  zx_handle_t ours, theirs;
  st = zx_channel_create(0, &ours, &theirs);
  if (st != ZX_OK) return fail("zx_channel_create", st);
  const char* child_argv[] = {kChild};
  uint32_t extra_info = PA_HND(PA_USER0, 0);
  zjvm_launch_t req = {
      .job = zx_job_default(),
      .name = "hello",
      .elf = elf,
      .elf_size = elf_size,
      .vdso_vmo = start->vdso_vmo,
      .log = start->log,
      .argv = child_argv,
      .argc = 1,
      .extra_handles = &theirs,
      .extra_info = &extra_info,
      .extra_count = 1,
  };
  zx_handle_t child;
  st = zjvm_launch(&req, &child);
  if (st != ZX_OK) return fail("starting bin/hello", st);
  printf("bootsvc: started %s as process koid %lu\n", kChild, (unsigned long)koid_of(child));

  // 3. Talk to it.
  static const char kPing[] = "ping";
  st = zx_channel_write(ours, 0, kPing, sizeof(kPing) - 1, NULL, 0);
  if (st != ZX_OK) return fail("zx_channel_write", st);
  zx_signals_t seen = 0;
  st = zx_object_wait_one(ours, ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED,
                          zx_deadline_after(ZX_SEC(30)), &seen);
  if (st != ZX_OK) return fail("waiting for the reply", st);
  char reply[128];
  uint32_t actual = 0, nhandles = 0;
  st = zx_channel_read(ours, 0, reply, NULL, sizeof(reply) - 1, 0, &actual, &nhandles);
  if (st != ZX_OK) return fail("zx_channel_read", st);
  reply[actual] = '\0';
  printf("bootsvc: %s answered: %s\n", kChild, reply);

  st = zx_object_wait_one(child, ZX_PROCESS_TERMINATED, zx_deadline_after(ZX_SEC(30)), NULL);
  if (st != ZX_OK) return fail("waiting for the child to exit", st);
  zx_info_process_t info;
  st = zx_object_get_info(child, ZX_INFO_PROCESS, &info, sizeof(info), NULL, NULL);
  if (st != ZX_OK) return fail("ZX_INFO_PROCESS", st);
  printf("bootsvc: %s exited with status %ld\n", kChild, (long)info.return_code);
  zx_handle_close(child);
  zx_handle_close(ours);

  bool ok = info.return_code == 0 && strncmp(reply, "pong", 4) == 0;
  printf("bootsvc: %s, goodbye\n", ok ? "all done" : "something went wrong");
  return ok ? 0 : 1;
}
