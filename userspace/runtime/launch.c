// Creating and starting processes from ELF images (used by userboot and by programs).
#include <string.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>
#include <zjvm/runtime.h>

static void close_if_valid(zx_handle_t* h) {
  if (*h != ZX_HANDLE_INVALID) zx_handle_close(*h);
  *h = ZX_HANDLE_INVALID;
}

void zjvm_child_release(zjvm_child_t* child) {
  if (child->process != ZX_HANDLE_INVALID) zx_task_kill(child->process);
  close_if_valid(&child->thread);
  close_if_valid(&child->root_vmar);
  close_if_valid(&child->process);
}

// Keeps the stack, vDSO and image out of the low half of the address space while they
// are placed, as Zircon's loaders do (formats.md §A.6). Best effort: a kernel that
// cannot allocate the reservation still gets a working (if differently laid out) child.
static zx_handle_t reserve_low_half(zx_handle_t vmar) {
  zx_info_vmar_t info;
  if (zx_object_get_info(vmar, ZX_INFO_VMAR, &info, sizeof(info), NULL, NULL) != ZX_OK) {
    return ZX_HANDLE_INVALID;
  }
  size_t half = (info.len / 2) & ~(size_t)(ZX_PAGE_SIZE - 1);
  zx_handle_t reserve;
  zx_vaddr_t addr;
  if (half == 0 || zx_vmar_allocate(vmar, ZX_VM_SPECIFIC, 0, half, &reserve, &addr) != ZX_OK) {
    return ZX_HANDLE_INVALID;
  }
  return reserve;
}

zx_status_t zjvm_child_prepare(zx_handle_t job, const char* name, const uint8_t* elf, size_t size,
                               zx_handle_t vdso_vmo, const char* stack_name, zjvm_child_t* child) {
  memset(child, 0, sizeof(*child));
  size_t name_len = strnlen(name, ZX_MAX_NAME_LEN - 1);
  zx_status_t st =
      zx_process_create(job, name, name_len, 0, &child->process, &child->root_vmar);
  if (st != ZX_OK) {
    child->process = child->root_vmar = ZX_HANDLE_INVALID;
    return st;
  }
  zx_handle_t reserve = reserve_low_half(child->root_vmar);
  size_t stack_size = 0;
  st = zjvm_elf_load(child->root_vmar, elf, size, &child->load_bias, &child->entry, &stack_size);
  if (st == ZX_OK) st = zjvm_rodso_map(child->root_vmar, vdso_vmo, &child->vdso_base);
  zx_handle_t stack_vmo = ZX_HANDLE_INVALID;
  if (st == ZX_OK) st = zx_vmo_create(stack_size, 0, &stack_vmo);
  if (st == ZX_OK) {
    zx_object_set_property(stack_vmo, ZX_PROP_NAME, stack_name, strlen(stack_name));
    zx_vaddr_t stack_base;
    st = zx_vmar_map(child->root_vmar, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, stack_vmo, 0,
                     stack_size, &stack_base);
    // x86-64 entry convention: 16-byte aligned, minus 8 as if a return address was pushed.
    if (st == ZX_OK) child->sp = ((stack_base + stack_size) & ~(zx_vaddr_t)15) - 8;
  }
  close_if_valid(&stack_vmo);
  if (st == ZX_OK) st = zx_thread_create(child->process, name, name_len, 0, &child->thread);
  if (reserve != ZX_HANDLE_INVALID) {
    zx_vmar_destroy(reserve);
    zx_handle_close(reserve);
  }
  if (st != ZX_OK) zjvm_child_release(child);
  return st;
}

zx_status_t zjvm_launch(const zjvm_launch_t* req, zx_handle_t* out_process) {
  enum { kFixed = 6 };
  zx_handle_t handles[ZX_CHANNEL_MAX_MSG_HANDLES];
  uint32_t info[ZX_CHANNEL_MAX_MSG_HANDLES];
  uint32_t n = 0;
  zjvm_child_t child = {0};
  zx_handle_t to_child = ZX_HANDLE_INVALID, child_end = ZX_HANDLE_INVALID;
  zx_status_t st = req->extra_count > ZX_CHANNEL_MAX_MSG_HANDLES - kFixed ? ZX_ERR_INVALID_ARGS
                                                                         : ZX_OK;
  if (st == ZX_OK) {
    st = zjvm_child_prepare(req->job, req->name, req->elf, req->elf_size, req->vdso_vmo,
                            "initial-stack", &child);
  }
  if (st == ZX_OK) st = zx_channel_create(0, &to_child, &child_end);
  // The fixed handles: the child's own process/thread/VMAR, the vDSO and a job for its
  // own children, and our debuglog as its stdout.
  struct {
    zx_handle_t src;
    uint32_t info;
  } fixed[kFixed] = {
      {child.process, PA_HND(PA_PROC_SELF, 0)},
      {child.thread, PA_HND(PA_THREAD_SELF, 0)},
      {child.root_vmar, PA_HND(PA_VMAR_ROOT, 0)},
      {req->vdso_vmo, PA_HND(PA_VMO_VDSO, 0)},
      {req->job, PA_HND(PA_JOB_DEFAULT, 0)},
      {req->log, PA_HND(PA_FD, 1)},
  };
  for (unsigned i = 0; i < kFixed && st == ZX_OK; i++) {
    if (fixed[i].src == ZX_HANDLE_INVALID) continue;
    st = zx_handle_duplicate(fixed[i].src, ZX_RIGHT_SAME_RIGHTS, &handles[n]);
    if (st == ZX_OK) info[n++] = fixed[i].info;
  }
  for (uint32_t i = 0; i < req->extra_count; i++) {
    if (st == ZX_OK) {
      handles[n] = req->extra_handles[i];
      info[n++] = req->extra_info[i];
    } else {
      zx_handle_close(req->extra_handles[i]);
    }
  }
  uint8_t msg[4096] __attribute__((aligned(8)));
  uint32_t len = 0;
  if (st == ZX_OK) {
    st = zjvm_procargs_build(msg, sizeof(msg), info, n, req->argv, req->argc, req->envp,
                             req->envc, &len);
  }
  if (st == ZX_OK) {
    st = zx_channel_write(to_child, 0, msg, len, handles, n);
    n = 0;  // moved (or closed by the kernel on failure)
  }
  for (uint32_t i = 0; i < n; i++) zx_handle_close(handles[i]);
  if (to_child != ZX_HANDLE_INVALID) zx_handle_close(to_child);
  if (st == ZX_OK) {
    st = zx_process_start(child.process, child.thread, child.entry, child.sp, child_end,
                          child.vdso_base);
    child_end = ZX_HANDLE_INVALID;  // consumed even on failure
  }
  if (child_end != ZX_HANDLE_INVALID) zx_handle_close(child_end);
  if (st != ZX_OK) {
    zjvm_child_release(&child);
    return st;
  }
  zx_handle_close(child.thread);
  zx_handle_close(child.root_vmar);
  *out_process = child.process;
  return ZX_OK;
}

const char* zjvm_status_name(zx_status_t status) {
  switch (status) {
    case ZX_OK: return "ZX_OK";
    case ZX_ERR_INTERNAL: return "ZX_ERR_INTERNAL";
    case ZX_ERR_NOT_SUPPORTED: return "ZX_ERR_NOT_SUPPORTED";
    case ZX_ERR_NO_RESOURCES: return "ZX_ERR_NO_RESOURCES";
    case ZX_ERR_NO_MEMORY: return "ZX_ERR_NO_MEMORY";
    case ZX_ERR_INVALID_ARGS: return "ZX_ERR_INVALID_ARGS";
    case ZX_ERR_BAD_HANDLE: return "ZX_ERR_BAD_HANDLE";
    case ZX_ERR_WRONG_TYPE: return "ZX_ERR_WRONG_TYPE";
    case ZX_ERR_BAD_SYSCALL: return "ZX_ERR_BAD_SYSCALL";
    case ZX_ERR_OUT_OF_RANGE: return "ZX_ERR_OUT_OF_RANGE";
    case ZX_ERR_BUFFER_TOO_SMALL: return "ZX_ERR_BUFFER_TOO_SMALL";
    case ZX_ERR_BAD_STATE: return "ZX_ERR_BAD_STATE";
    case ZX_ERR_TIMED_OUT: return "ZX_ERR_TIMED_OUT";
    case ZX_ERR_SHOULD_WAIT: return "ZX_ERR_SHOULD_WAIT";
    case ZX_ERR_CANCELED: return "ZX_ERR_CANCELED";
    case ZX_ERR_PEER_CLOSED: return "ZX_ERR_PEER_CLOSED";
    case ZX_ERR_NOT_FOUND: return "ZX_ERR_NOT_FOUND";
    case ZX_ERR_ALREADY_EXISTS: return "ZX_ERR_ALREADY_EXISTS";
    case ZX_ERR_ACCESS_DENIED: return "ZX_ERR_ACCESS_DENIED";
    case ZX_ERR_IO: return "ZX_ERR_IO";
    case ZX_ERR_BAD_PATH: return "ZX_ERR_BAD_PATH";
    default: return "ZX_ERR_?";
  }
}
