// TEMPORARY stand-in for <zircon/syscalls/system.h>; see ../types.h.
#ifndef ZIRCON_SYSCALLS_SYSTEM_H_
#define ZIRCON_SYSCALLS_SYSTEM_H_
#include <zircon/types.h>
#define ZX_SYSTEM_POWERCTL_REBOOT 5u
#define ZX_SYSTEM_POWERCTL_SHUTDOWN 8u
typedef struct zx_system_powerctl_arg {
  uint8_t opaque[12];
} zx_system_powerctl_arg_t;
#endif
