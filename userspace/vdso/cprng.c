#include "vdso-private.h"

// Fills any length from the kernel in ZX_CPRNG_DRAW_MAX_LEN chunks; the kernel only refuses a
// chunk for a bad buffer, and this call has no way to report that: trap, as Zircon's vDSO does.
void VDSO_zx_cprng_draw(void* buffer, size_t buffer_size) {
  uint8_t* p = buffer;
  while (buffer_size > 0) {
    size_t chunk = buffer_size < ZX_CPRNG_DRAW_MAX_LEN ? buffer_size : ZX_CPRNG_DRAW_MAX_LEN;
    if (SYSCALL_zx_cprng_draw_once(p, chunk) != ZX_OK) {
      VDSO_TRAP();
    }
    p += chunk;
    buffer_size -= chunk;
  }
}
VDSO_EXPORT(zx_cprng_draw)
