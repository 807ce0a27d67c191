// vdso-private.h - shared by the vDSO's hand-written C files.
#ifndef VDSO_PRIVATE_H_
#define VDSO_PRIVATE_H_

#include <zircon/features.h>
#include <zircon/vdso-constants.h>

#include "vdso-syscalls.h"  // generated: SYSCALL_zx_* stubs, VDSO_zx_* prototypes, VDSO_EXPORT

// Written by the kernel (the loader) before any process runs: see data-constants.S. Declared
// extern (defined in assembly) so the compiler cannot fold the 0xdeadbeef placeholders.
extern const vdso_constants_t vdso_data_constants VDSO_HIDDEN;
#define DATA_CONSTANTS vdso_data_constants

// The vDSO has no way to report a broken kernel contract except crashing the caller.
#define VDSO_TRAP() __builtin_trap()

#endif  // VDSO_PRIVATE_H_
