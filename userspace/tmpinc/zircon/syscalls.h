// TEMPORARY stand-in for the generated <zircon/syscalls.h>; see types.h.
// Prototypes exactly as Fuchsia spells them (mid-2020), only those userspace/ uses.
#ifndef ZIRCON_SYSCALLS_H_
#define ZIRCON_SYSCALLS_H_
#include <zircon/types.h>
#include <zircon/syscalls/object.h>
#include <zircon/syscalls/port.h>
#include <zircon/syscalls/system.h>

zx_status_t zx_handle_close(zx_handle_t handle);
zx_status_t zx_handle_duplicate(zx_handle_t handle, zx_rights_t rights, zx_handle_t* out);
zx_status_t zx_handle_replace(zx_handle_t handle, zx_rights_t rights, zx_handle_t* out);
zx_status_t zx_object_get_info(zx_handle_t handle, uint32_t topic, void* buffer, size_t buffer_size,
                               size_t* actual, size_t* avail);
zx_status_t zx_object_get_property(zx_handle_t handle, uint32_t property, void* value, size_t value_size);
zx_status_t zx_object_set_property(zx_handle_t handle, uint32_t property, const void* value,
                                   size_t value_size);
zx_status_t zx_object_signal(zx_handle_t handle, uint32_t clear_mask, uint32_t set_mask);
zx_status_t zx_object_signal_peer(zx_handle_t handle, uint32_t clear_mask, uint32_t set_mask);
zx_status_t zx_object_wait_one(zx_handle_t handle, zx_signals_t signals, zx_time_t deadline,
                               zx_signals_t* observed);
zx_status_t zx_object_wait_many(zx_wait_item_t* items, size_t num_items, zx_time_t deadline);
zx_status_t zx_object_wait_async(zx_handle_t handle, zx_handle_t port, uint64_t key,
                                 zx_signals_t signals, uint32_t options);
zx_status_t zx_task_kill(zx_handle_t handle);
zx_status_t zx_job_create(zx_handle_t parent_job, uint32_t options, zx_handle_t* out);
zx_status_t zx_process_create(zx_handle_t job, const char* name, size_t name_size, uint32_t options,
                              zx_handle_t* proc_handle, zx_handle_t* vmar_handle);
zx_status_t zx_process_start(zx_handle_t handle, zx_handle_t thread, zx_vaddr_t entry,
                             zx_vaddr_t stack, zx_handle_t arg1, uintptr_t arg2);
__attribute__((noreturn)) void zx_process_exit(int64_t retcode);
zx_status_t zx_thread_create(zx_handle_t process, const char* name, size_t name_size,
                             uint32_t options, zx_handle_t* out);
zx_status_t zx_thread_start(zx_handle_t handle, zx_vaddr_t thread_entry, zx_vaddr_t stack,
                            uintptr_t arg1, uintptr_t arg2);
__attribute__((noreturn)) void zx_thread_exit(void);
zx_status_t zx_channel_create(uint32_t options, zx_handle_t* out0, zx_handle_t* out1);
zx_status_t zx_channel_read(zx_handle_t handle, uint32_t options, void* bytes, zx_handle_t* handles,
                            uint32_t num_bytes, uint32_t num_handles, uint32_t* actual_bytes,
                            uint32_t* actual_handles);
zx_status_t zx_channel_write(zx_handle_t handle, uint32_t options, const void* bytes,
                             uint32_t num_bytes, const zx_handle_t* handles, uint32_t num_handles);
zx_status_t zx_socket_create(uint32_t options, zx_handle_t* out0, zx_handle_t* out1);
zx_status_t zx_socket_write(zx_handle_t handle, uint32_t options, const void* buffer,
                            size_t buffer_size, size_t* actual);
zx_status_t zx_socket_read(zx_handle_t handle, uint32_t options, void* buffer, size_t buffer_size,
                           size_t* actual);
zx_status_t zx_event_create(uint32_t options, zx_handle_t* out);
zx_status_t zx_eventpair_create(uint32_t options, zx_handle_t* out0, zx_handle_t* out1);
zx_status_t zx_port_create(uint32_t options, zx_handle_t* out);
zx_status_t zx_port_queue(zx_handle_t handle, const zx_port_packet_t* packet);
zx_status_t zx_port_wait(zx_handle_t handle, zx_time_t deadline, zx_port_packet_t* packet);
zx_status_t zx_futex_wait(const zx_futex_t* value_ptr, zx_futex_t current_value,
                          zx_handle_t new_futex_owner, zx_time_t deadline);
zx_status_t zx_futex_wake(const zx_futex_t* value_ptr, uint32_t wake_count);
zx_status_t zx_timer_create(uint32_t options, zx_clock_t clock_id, zx_handle_t* out);
zx_status_t zx_timer_set(zx_handle_t handle, zx_time_t deadline, zx_duration_t slack);
zx_status_t zx_timer_cancel(zx_handle_t handle);
zx_time_t zx_clock_get_monotonic(void);
zx_time_t zx_deadline_after(zx_duration_t nanoseconds);
zx_status_t zx_nanosleep(zx_time_t deadline);
zx_ticks_t zx_ticks_get(void);
zx_ticks_t zx_ticks_per_second(void);
void zx_cprng_draw(void* buffer, size_t buffer_size);
zx_status_t zx_vmo_create(uint64_t size, uint32_t options, zx_handle_t* out);
zx_status_t zx_vmo_read(zx_handle_t handle, void* buffer, uint64_t offset, size_t buffer_size);
zx_status_t zx_vmo_write(zx_handle_t handle, const void* buffer, uint64_t offset, size_t buffer_size);
zx_status_t zx_vmo_get_size(zx_handle_t handle, uint64_t* size);
zx_status_t zx_vmo_set_size(zx_handle_t handle, uint64_t size);
zx_status_t zx_vmo_create_child(zx_handle_t handle, uint32_t options, uint64_t offset, uint64_t size,
                                zx_handle_t* out);
zx_status_t zx_vmo_replace_as_executable(zx_handle_t handle, zx_handle_t vmex, zx_handle_t* out);
zx_status_t zx_vmar_allocate(zx_handle_t parent_vmar, zx_vm_option_t options, size_t offset,
                             size_t size, zx_handle_t* child_vmar, zx_vaddr_t* child_addr);
zx_status_t zx_vmar_destroy(zx_handle_t handle);
zx_status_t zx_vmar_map(zx_handle_t handle, zx_vm_option_t options, size_t vmar_offset,
                        zx_handle_t vmo, uint64_t vmo_offset, size_t len, zx_vaddr_t* mapped_addr);
zx_status_t zx_vmar_unmap(zx_handle_t handle, zx_vaddr_t addr, size_t len);
zx_status_t zx_vmar_protect(zx_handle_t handle, zx_vm_option_t options, zx_vaddr_t addr, size_t len);
zx_status_t zx_debuglog_create(zx_handle_t resource, uint32_t options, zx_handle_t* out);
zx_status_t zx_debuglog_write(zx_handle_t handle, uint32_t options, const void* buffer,
                              size_t buffer_size);
zx_status_t zx_debug_write(const char* buffer, size_t buffer_size);
zx_status_t zx_system_powerctl(zx_handle_t resource, uint32_t cmd,
                               const zx_system_powerctl_arg_t* arg);
#endif
