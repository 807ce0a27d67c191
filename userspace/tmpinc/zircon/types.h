// TEMPORARY stand-in for the generated <zircon/types.h> (ABI helper's AbiGen).
// Standard Fuchsia names and values (mid-2020), only what userspace/ uses.
// Delete this directory once the generated headers are on main.
#ifndef ZIRCON_TYPES_H_
#define ZIRCON_TYPES_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zircon/errors.h>
#include <zircon/rights.h>

typedef uint32_t zx_handle_t;
typedef int32_t zx_status_t;
typedef uint32_t zx_rights_t;
typedef uint32_t zx_signals_t;
typedef uint32_t zx_obj_type_t;
typedef uint64_t zx_koid_t;
typedef int64_t zx_time_t;
typedef int64_t zx_duration_t;
typedef int64_t zx_ticks_t;
typedef uint32_t zx_clock_t;
typedef uintptr_t zx_vaddr_t;
typedef uint64_t zx_off_t;
typedef uint32_t zx_vm_option_t;
typedef int zx_futex_t;
typedef uint32_t zx_object_info_topic_t;

#define ZX_HANDLE_INVALID ((zx_handle_t)0)
#define ZX_KOID_INVALID ((zx_koid_t)0)
#define ZX_TIME_INFINITE INT64_MAX
#define ZX_TIME_INFINITE_PAST INT64_MIN
#define ZX_PAGE_SIZE 4096u
#define ZX_MAX_NAME_LEN 32u
#define ZX_CHANNEL_MAX_MSG_BYTES 65536u
#define ZX_CHANNEL_MAX_MSG_HANDLES 64u

#define ZX_SEC(n) ((zx_duration_t)(n) * 1000000000ll)
#define ZX_MSEC(n) ((zx_duration_t)(n) * 1000000ll)
#define ZX_USEC(n) ((zx_duration_t)(n) * 1000ll)

#define ZX_CLOCK_MONOTONIC 0u

#define ZX_SIGNAL_NONE 0u
#define ZX_USER_SIGNAL_0 (1u << 24)
#define ZX_USER_SIGNAL_1 (1u << 25)
#define ZX_EVENT_SIGNALED (1u << 3)
#define ZX_EVENTPAIR_SIGNALED (1u << 3)
#define ZX_EVENTPAIR_PEER_CLOSED (1u << 2)
#define ZX_CHANNEL_READABLE (1u << 0)
#define ZX_CHANNEL_WRITABLE (1u << 1)
#define ZX_CHANNEL_PEER_CLOSED (1u << 2)
#define ZX_SOCKET_READABLE (1u << 0)
#define ZX_SOCKET_WRITABLE (1u << 1)
#define ZX_SOCKET_PEER_CLOSED (1u << 2)
#define ZX_TASK_TERMINATED (1u << 3)
#define ZX_PROCESS_TERMINATED (1u << 3)
#define ZX_THREAD_TERMINATED (1u << 3)
#define ZX_TIMER_SIGNALED (1u << 3)

#define ZX_OBJ_TYPE_NONE 0u
#define ZX_OBJ_TYPE_PROCESS 1u
#define ZX_OBJ_TYPE_THREAD 2u
#define ZX_OBJ_TYPE_VMO 3u
#define ZX_OBJ_TYPE_CHANNEL 4u
#define ZX_OBJ_TYPE_EVENT 5u
#define ZX_OBJ_TYPE_PORT 6u
#define ZX_OBJ_TYPE_LOG 12u
#define ZX_OBJ_TYPE_SOCKET 14u
#define ZX_OBJ_TYPE_RESOURCE 15u
#define ZX_OBJ_TYPE_EVENTPAIR 16u
#define ZX_OBJ_TYPE_JOB 17u
#define ZX_OBJ_TYPE_VMAR 18u
#define ZX_OBJ_TYPE_TIMER 22u

#define ZX_VM_PERM_READ (1u << 0)
#define ZX_VM_PERM_WRITE (1u << 1)
#define ZX_VM_PERM_EXECUTE (1u << 2)
#define ZX_VM_COMPACT (1u << 3)
#define ZX_VM_SPECIFIC (1u << 4)
#define ZX_VM_SPECIFIC_OVERWRITE (1u << 5)
#define ZX_VM_CAN_MAP_SPECIFIC (1u << 6)
#define ZX_VM_CAN_MAP_READ (1u << 7)
#define ZX_VM_CAN_MAP_WRITE (1u << 8)
#define ZX_VM_CAN_MAP_EXECUTE (1u << 9)

#define ZX_VMO_RESIZABLE (1u << 1)
#define ZX_VMO_CHILD_SNAPSHOT (1u << 0)
#define ZX_VMO_CHILD_SLICE (1u << 3)
#define ZX_VMO_CHILD_COPY_ON_WRITE (1u << 4)
#define ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE (1u << 4)

#define ZX_TIMER_SLACK_CENTER 0u
#define ZX_SOCKET_STREAM 0u
#define ZX_WAIT_ASYNC_ONCE 0u

typedef struct zx_wait_item {
  zx_handle_t handle;
  zx_signals_t waitfor;
  zx_signals_t pending;
} zx_wait_item_t;

typedef struct {
  const char* c_str;
  size_t length;
} zx_string_view_t;

#endif
