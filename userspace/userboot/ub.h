// userboot's state. userboot is a RODSO-like image without a writable segment (like the
// real one; see README), so its few mutable globals live in a block on its initial stack
// that %r15 points at for the whole run (every userboot object is built with
// -ffixed-r15). The block starts with the vDSO call slots the generated stubs jump
// through (`jmp *8*i(%r15)`).
#ifndef USERBOOT_UB_H_
#define USERBOOT_UB_H_

#define UB_MAX_SLOTS 256
#define UB_GLOBALS_SIZE (UB_MAX_SLOTS * 8 + 64)

#ifndef __ASSEMBLER__
#include <zircon/types.h>

typedef struct {
  void* slots[UB_MAX_SLOTS];
  zx_handle_t log;  // debuglog for printf, or invalid (zx_debug_write)
  uint8_t reserved[60];
} ub_globals_t;

_Static_assert(sizeof(ub_globals_t) == UB_GLOBALS_SIZE, "start.S reserves UB_GLOBALS_SIZE");

register ub_globals_t* ub asm("r15");
#endif
#endif
