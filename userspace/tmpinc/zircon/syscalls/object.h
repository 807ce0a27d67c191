// TEMPORARY stand-in for <zircon/syscalls/object.h>; see ../types.h.
#ifndef ZIRCON_SYSCALLS_OBJECT_H_
#define ZIRCON_SYSCALLS_OBJECT_H_
#include <zircon/types.h>

#define ZX_INFO_HANDLE_VALID ((zx_object_info_topic_t)1u)
#define ZX_INFO_HANDLE_BASIC ((zx_object_info_topic_t)2u)
#define ZX_INFO_PROCESS ((zx_object_info_topic_t)3u)
#define ZX_INFO_VMAR ((zx_object_info_topic_t)7u)
#define ZX_INFO_VMO ((zx_object_info_topic_t)23u)

#define ZX_PROP_NAME 3u
#define ZX_PROP_PROCESS_VDSO_BASE_ADDRESS 6u

typedef struct zx_info_handle_basic {
  zx_koid_t koid;
  zx_rights_t rights;
  zx_obj_type_t type;
  zx_koid_t related_koid;
  uint32_t props;
  uint8_t padding1[4];
} zx_info_handle_basic_t;

typedef struct zx_info_process {
  int64_t return_code;
  bool started;
  bool exited;
  bool debugger_attached;
  uint8_t padding1[5];
} zx_info_process_t;

typedef struct zx_info_vmar {
  uintptr_t base;
  size_t len;
} zx_info_vmar_t;
#endif
