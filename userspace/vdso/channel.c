#include "vdso-private.h"

// Write + wait for the reply; if the wait is interrupted (e.g. by a suspend) the kernel says
// ZX_ERR_INTERNAL_INTR_RETRY and the wait continues without writing again.
zx_status_t VDSO_zx_channel_call(zx_handle_t handle, uint32_t options, zx_time_t deadline,
                                 const zx_channel_call_args_t* args, uint32_t* actual_bytes,
                                 uint32_t* actual_handles) {
  zx_status_t status =
      SYSCALL_zx_channel_call_noretry(handle, options, deadline, args, actual_bytes, actual_handles);
  while (status == ZX_ERR_INTERNAL_INTR_RETRY) {
    status = SYSCALL_zx_channel_call_finish(deadline, args, actual_bytes, actual_handles);
  }
  return status;
}
VDSO_EXPORT(zx_channel_call)
