// The processargs bootstrap message (formats.md §A): decoding with the checks of the
// standard reader (§A.4), and encoding for the processes we start.
#include <string.h>
#include <zircon/processargs.h>
#include <zjvm/runtime.h>

#define HEADER_SIZE ((uint32_t)sizeof(zx_proc_args_t))
_Static_assert(sizeof(zx_proc_args_t) == 36, "zx_proc_args_t is 36 bytes (formats.md A.1)");

// Splits `num` NUL-terminated strings starting at `off` into out[] (NULL-terminated).
static zx_status_t strings(const char* msg, uint32_t size, uint32_t off, uint32_t num,
                           const char** out) {
  out[0] = NULL;
  if (num == 0) return ZX_OK;
  if (num > ZJVM_PA_MAX_STRINGS || off < HEADER_SIZE || off > size || size - off < num) {
    return ZX_ERR_INVALID_ARGS;
  }
  uint32_t pos = off;
  for (uint32_t i = 0; i < num; i++) {
    uint32_t len = (uint32_t)strnlen(msg + pos, size - pos);
    if (pos + len >= size) return ZX_ERR_INVALID_ARGS;  // runs past the end: no NUL
    out[i] = msg + pos;
    pos += len + 1;
  }
  out[num] = NULL;
  return ZX_OK;
}

zx_status_t zjvm_procargs_parse(const void* bytes, uint32_t nbytes, const zx_handle_t* handles,
                                uint32_t nhandles, zjvm_procargs_t* out) {
  const char* msg = bytes;
  zx_proc_args_t hdr;
  if (nbytes < HEADER_SIZE || ((uintptr_t)bytes & 3) != 0 || nhandles > ZJVM_PA_MAX_HANDLES) {
    return ZX_ERR_INVALID_ARGS;
  }
  memcpy(&hdr, msg, sizeof(hdr));
  if (hdr.protocol != ZX_PROCARGS_PROTOCOL || hdr.version != ZX_PROCARGS_VERSION) {
    return ZX_ERR_INVALID_ARGS;
  }
  if (hdr.handle_info_off < HEADER_SIZE || (hdr.handle_info_off & 3) != 0 ||
      hdr.handle_info_off > nbytes || (nbytes - hdr.handle_info_off) / 4 < nhandles) {
    return ZX_ERR_INVALID_ARGS;
  }
  zx_status_t st = strings(msg, nbytes, hdr.args_off, hdr.args_num, out->argv);
  if (st == ZX_OK) st = strings(msg, nbytes, hdr.environ_off, hdr.environ_num, out->envp);
  if (st == ZX_OK) st = strings(msg, nbytes, hdr.names_off, hdr.names_num, out->names);
  if (st != ZX_OK) return st;
  out->argc = hdr.args_num;
  out->envc = hdr.environ_num;
  out->namec = hdr.names_num;
  out->nhandles = nhandles;
  for (uint32_t i = 0; i < nhandles; i++) {
    out->handles[i] = handles[i];
    memcpy(&out->info[i], msg + hdr.handle_info_off + 4 * i, 4);
  }
  return ZX_OK;
}

static zx_status_t append_strings(char* buf, size_t cap, uint32_t* pos,
                                  const char* const* list, uint32_t num) {
  for (uint32_t i = 0; i < num; i++) {
    size_t len = strlen(list[i]) + 1;
    if (*pos + len > cap) return ZX_ERR_BUFFER_TOO_SMALL;
    memcpy(buf + *pos, list[i], len);
    *pos += (uint32_t)len;
  }
  return ZX_OK;
}

zx_status_t zjvm_procargs_build(void* buf, size_t cap, const uint32_t* info, uint32_t nhandles,
                                const char* const* argv, uint32_t argc,
                                const char* const* envp, uint32_t envc, uint32_t* out_len) {
  if (cap > ZX_CHANNEL_MAX_MSG_BYTES) cap = ZX_CHANNEL_MAX_MSG_BYTES;
  uint32_t pos = HEADER_SIZE + 4 * nhandles;
  if (nhandles > ZX_CHANNEL_MAX_MSG_HANDLES || pos > cap) return ZX_ERR_BUFFER_TOO_SMALL;
  zx_proc_args_t hdr = {
      .protocol = ZX_PROCARGS_PROTOCOL,
      .version = ZX_PROCARGS_VERSION,
      .handle_info_off = HEADER_SIZE,
  };
  memcpy((char*)buf + HEADER_SIZE, info, 4 * nhandles);
  hdr.args_off = pos;
  hdr.args_num = argc;
  zx_status_t st = append_strings(buf, cap, &pos, argv, argc);
  if (st != ZX_OK) return st;
  hdr.environ_off = pos;
  hdr.environ_num = envc;
  st = append_strings(buf, cap, &pos, envp, envc);
  if (st != ZX_OK) return st;
  hdr.names_off = pos;
  hdr.names_num = 0;
  memcpy(buf, &hdr, sizeof(hdr));
  *out_len = pos;
  return ZX_OK;
}
