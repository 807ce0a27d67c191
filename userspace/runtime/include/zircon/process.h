// Startup handles of the running program, with the names Fuchsia's libc gives them.
// Filled by the runtime from the processargs bootstrap message before main() runs.
#ifndef ZJVM_ZIRCON_PROCESS_H_
#define ZJVM_ZIRCON_PROCESS_H_
#include <stdint.h>
#include <zircon/types.h>

zx_handle_t zx_process_self(void);
zx_handle_t zx_vmar_root_self(void);
zx_handle_t zx_job_default(void);
zx_handle_t zx_thread_self(void);

// Removes the startup handle whose handle-info entry equals hnd_info (PA_HND(type, arg))
// from the table and returns it (the caller owns it), or ZX_HANDLE_INVALID if none.
zx_handle_t zx_take_startup_handle(uint32_t hnd_info);
#endif
