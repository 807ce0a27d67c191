// The guest runtime's own API (beyond the standard C and Zircon names).
#ifndef ZJVM_RUNTIME_H_
#define ZJVM_RUNTIME_H_
#include <stddef.h>
#include <stdint.h>
#include <zircon/types.h>

// ---- vDSO symbol resolution (runtime/vdso.c) ----
// Looks `name` up in the dynamic symbol table of the ELF image mapped at `base`
// (DT_GNU_HASH, falling back to DT_HASH). Returns the absolute address or 0.
uintptr_t zjvm_vdso_lookup(uintptr_t base, const char* name);
// Fills slots[i] for every name of the stub table generated for this image (see
// scripts/gen-stubs.sh). Unresolved names get a stub returning ZX_ERR_NOT_SUPPORTED.
// Returns the number of unresolved names.
size_t zjvm_vdso_bind(uintptr_t base, void** slots, size_t nslots);
// The first stub name the vDSO at base does not export, or NULL if it has them all.
const char* zjvm_vdso_first_missing(uintptr_t base);
extern const uint32_t zjvm_stub_count;

// ---- debug output (runtime/printf.c) ----
// The handle printf writes to (a debuglog), or ZX_HANDLE_INVALID for zx_debug_write.
// Each image defines these (runtime/start.c, userboot/userboot.c).
zx_handle_t zjvm_log_handle(void);
void zjvm_log_write(const char* text, size_t len);

// ---- processargs (runtime/processargs.c) ----
#define ZJVM_PA_MAX_HANDLES 64u
#define ZJVM_PA_MAX_STRINGS 256u
typedef struct {
  uint32_t nhandles;
  zx_handle_t handles[ZJVM_PA_MAX_HANDLES];
  uint32_t info[ZJVM_PA_MAX_HANDLES];
  uint32_t argc, envc, namec;
  const char* argv[ZJVM_PA_MAX_STRINGS + 1];  // NULL-terminated
  const char* envp[ZJVM_PA_MAX_STRINGS + 1];  // NULL-terminated
  const char* names[ZJVM_PA_MAX_STRINGS + 1];
} zjvm_procargs_t;
// Validates and decodes a message read from a bootstrap channel (formats.md §A.4).
// `bytes` must stay alive: the string pointers point into it.
zx_status_t zjvm_procargs_parse(const void* bytes, uint32_t nbytes, const zx_handle_t* handles,
                                uint32_t nhandles, zjvm_procargs_t* out);
// Encodes a message: [header][info × nhandles][args][environ]. Returns the size in *out_len.
zx_status_t zjvm_procargs_build(void* buf, size_t cap, const uint32_t* info, uint32_t nhandles,
                                const char* const* argv, uint32_t argc,
                                const char* const* envp, uint32_t envc, uint32_t* out_len);

// ---- BOOTFS (runtime/bootfs.c) ----
typedef struct {
  const uint8_t* base;  // the mapped BOOTFS image
  size_t size;
} zjvm_bootfs_t;
// Checks the header (magic, dirsize within the image).
zx_status_t zjvm_bootfs_init(zjvm_bootfs_t* fs, const void* base, size_t size);
// Finds `prefix` + `name` (prefix may be NULL). On success *data / *len are the file.
zx_status_t zjvm_bootfs_find(const zjvm_bootfs_t* fs, const char* prefix, const char* name,
                             const uint8_t** data, size_t* len);
// Maps the BOOTFS VMO read-only into `vmar` and initializes *fs.
zx_status_t zjvm_bootfs_map(zx_handle_t vmar, zx_handle_t vmo, zjvm_bootfs_t* fs);

// ---- process loading (runtime/elf_load.c, runtime/launch.c) ----
#define ZJVM_DEFAULT_STACK_SIZE (256u * 1024u)
typedef struct {
  zx_handle_t process;   // owned
  zx_handle_t root_vmar; // owned
  zx_handle_t thread;    // owned
  zx_vaddr_t load_bias;  // where the program's vaddr 0 lives
  zx_vaddr_t entry;
  zx_vaddr_t vdso_base;
  zx_vaddr_t sp;         // initial stack pointer (§A.6: 16-aligned minus 8)
} zjvm_child_t;

// Loads the PIE/ET_EXEC image `elf` (in memory) into `vmar`: one VMO per PT_LOAD,
// filled from the file, mapped at its vaddr inside a fresh sub-VMAR.
zx_status_t zjvm_elf_load(zx_handle_t vmar, const uint8_t* elf, size_t size, zx_vaddr_t* bias,
                          zx_vaddr_t* entry, size_t* stack_size);
// Maps a RODSO image (the vDSO) straight from its VMO, segment by segment.
zx_status_t zjvm_rodso_map(zx_handle_t vmar, zx_handle_t vmo, zx_vaddr_t* base);
// Creates process + thread `name` in `job`, loads `elf`, maps the vDSO from vdso_vmo,
// creates the stack. Nothing runs yet; on error everything created is released.
// The stack VMO is named `stack_name`.
zx_status_t zjvm_child_prepare(zx_handle_t job, const char* name, const uint8_t* elf, size_t size,
                               zx_handle_t vdso_vmo, const char* stack_name, zjvm_child_t* child);
void zjvm_child_release(zjvm_child_t* child);

// Convenience launcher used by programs (not userboot): prepares the child, sends the
// standard processargs message, starts it. The message carries PA_PROC_SELF,
// PA_THREAD_SELF, PA_VMAR_ROOT, PA_VMO_VDSO (duplicate of vdso_vmo), PA_JOB_DEFAULT
// (duplicate of job), PA_FD 1 (duplicate of log, if valid), then the caller's extra
// handles (consumed in all cases). argv[0] is conventionally the name.
typedef struct {
  zx_handle_t job;
  const char* name;
  const uint8_t* elf;
  size_t elf_size;
  zx_handle_t vdso_vmo;
  zx_handle_t log;
  const char* const* argv;
  uint32_t argc;
  const char* const* envp;
  uint32_t envc;
  const zx_handle_t* extra_handles;
  const uint32_t* extra_info;
  uint32_t extra_count;
} zjvm_launch_t;
zx_status_t zjvm_launch(const zjvm_launch_t* req, zx_handle_t* out_process);

// Human-readable status name ("ZX_ERR_BAD_HANDLE"); unknown values give "ZX_ERR_?".
const char* zjvm_status_name(zx_status_t status);

// ---- program runtime (runtime/start.c) ----
// What the program received at start-up, after the well-known handles were taken.
typedef struct {
  uintptr_t vdso_base;
  zx_handle_t bootfs_vmo;     // PA_VMO_BOOTFS or invalid
  zx_handle_t vdso_vmo;       // PA_VMO_VDSO 0 or invalid
  zx_handle_t root_resource;  // PA_RESOURCE or invalid
  zx_handle_t log;            // debuglog used by printf, or invalid
  const zjvm_procargs_t* args;
} zjvm_startup_t;
const zjvm_startup_t* zjvm_startup(void);
// Value of environment word `key=value` (last occurrence wins), or NULL.
const char* zjvm_getenv(const char* key);
#endif
